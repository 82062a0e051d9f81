"""A number or date beyond what the database stores answers 400 naming the parameter, never a 500.

The cases are read from the published OpenAPI schema: every integer, number, date and date-time query
parameter of every GET, and every integer path parameter of every route, so a filter or route added later is
covered without touching this file.
"""
from functools import cache

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import officer

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
# What each kind of parameter gets: beyond the 64-bit range, or a datetime that cannot be stored in UTC.
OUT_OF_RANGE = {
    ("integer", None): [HUGE, f"-{HUGE}"],
    ("number", None): [HUGE, "1e400"],
    ("string", "date"): ["99999-01-01"],
    ("string", "date-time"): ["0001-01-01T00:00:00", "9999-12-31T23:59:59"],
}


@cache
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _kind(parameter):
    s = parameter.get("schema", {})
    return s.get("type"), s.get("format") if s.get("type") == "string" else None


def query_cases():
    for path, operations in sorted(schema()["paths"].items()):
        get = operations.get("get")
        for parameter in (get or {}).get("parameters", []):
            if parameter["in"] == "query" and _kind(parameter) in OUT_OF_RANGE:
                for value in OUT_OF_RANGE[_kind(parameter)]:
                    yield pytest.param(path, parameter["name"], value, id=f"{path}?{parameter['name']}={value}")


def path_cases():
    for path, operations in sorted(schema()["paths"].items()):
        method = "get" if "get" in operations else next(m for m in operations if m != "parameters")
        ints = [p["name"] for p in operations[method].get("parameters", [])
                if p["in"] == "path" and _kind(p) == ("integer", None)]
        if ints:
            yield pytest.param(path, method, ints, id=f"{method.upper()} {path}")


def _url(path, ints=(), value="1"):
    import re

    return re.sub(r"\{(\w+)\}", lambda m: value if m.group(1) in ints else "x", path)


@pytest.fixture
def api():
    client = APIClient()
    user = officer()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_the_schema_has_the_filters_the_issue_counted():
    """33 integer id filters of the lists at the time of writing; fewer would mean the generator missed some."""
    assert len([c for c in query_cases() if c.values[2] == HUGE]) >= 33
    assert len(list(path_cases())) >= 40


@pytest.mark.parametrize(("path", "name", "value"), list(query_cases()))
def test_an_out_of_range_query_parameter_answers_400_naming_it(api, path, name, value):
    response = api.get(_url(path), {name: value})
    if name == "page":
        # Pagination: a page past the last is not found (DRF's answer), whatever its number.
        assert response.status_code == 404, (response.status_code, response.content[:300])
        return
    if "{" in path:
        # A parameter of an object's sub-resource: the object (id 1) need not exist; never a 500.
        assert response.status_code < 500, (response.status_code, response.content[:300])
        if response.status_code != 400:
            return
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert name in response.json()["errors"], response.json()


@pytest.mark.parametrize(("path", "method", "ints"), list(path_cases()))
def test_an_out_of_range_path_id_answers_400_naming_it(api, path, method, ints):
    response = getattr(api, method)(_url(path, ints, HUGE))
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert set(ints) <= set(response.json()["errors"]), response.json()


def test_an_out_of_range_id_in_a_page_address_is_not_found(client):
    client.force_login(officer())
    assert client.get(f"/applications/{HUGE}/").status_code == 404


def test_a_number_in_range_still_filters(api):
    response = api.get("/api/v1/applications/", {"call": str(2**63 - 1)})
    assert response.status_code == 200
    assert response.json()["count"] == 0
    fractional = api.get("/api/v1/applications/", {"call": "1.5"})
    assert fractional.status_code == 400 and "call" in fractional.json()["errors"]
