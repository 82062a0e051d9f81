"""Schema fuzzing (schemathesis) of the published API, as every role: no server error, and every answer
matches the schema the API publishes.

Every GET operation of the live schema (``/api/schema/``) is called with generated path and query parameters,
by an anonymous client and with the API token of each role, in the matrix's world (tests/security/world.py:
two institutions with everything that hangs off them), so ids sometimes hit real objects. Generation is
derandomized (a fixed seed): a run is reproducible.

``POCHUB_FUZZ_CASES`` sets the examples generated per operation and role (default 1, quick enough for
``make test``); ``.ci/run`` raises it on PostgreSQL and reads the number of requests made and the time taken
from the file named by ``POCHUB_FUZZ_REPORT``.
"""
import os
import time
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.security.world import ROLES

pytestmark = pytest.mark.django_db

CASES = int(os.environ.get("POCHUB_FUZZ_CASES", "1"))
# A server error, or a body the schema does not allow. (Downloads answer their file's own type, e.g.
# application/pdf, where the schema says application/octet-stream: content types are not checked.)
CHECKS = [not_a_server_error, response_schema_conformance]
TALLY: Counter = Counter()


@pytest.fixture(scope="module")
def wsgi_app():
    """The project's WSGI application, in this process and in the test's transaction: as Django's test client
    does, connections are not closed at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    started = time.monotonic()
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        summary = (f"schema fuzzing: {sum(TALLY.values())} requests "
                   f"({', '.join(f'{role} {n}' for role, n in sorted(TALLY.items()))}) "
                   f"with {CASES} example(s) per operation and role, in {time.monotonic() - started:.0f} s")
        print(f"\n{summary}")
        if os.environ.get("POCHUB_FUZZ_REPORT"):
            with open(os.environ["POCHUB_FUZZ_REPORT"], "a", encoding="utf-8") as report:
                report.write(summary + "\n")


@pytest.fixture(scope="module")
def api_schema(world):
    from drf_spectacular.generators import SchemaGenerator

    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


@pytest.fixture(scope="module")
def tokens(world):
    return {role: (Token.objects.get_or_create(user=world.user(role))[0].key if role != "anonymous" else None)
            for role in ROLES}


def get_operations(schema):
    for result in schema.include(method="GET").get_all_operations():
        yield result.ok()


def fuzz(operation, headers, wsgi_app) -> list[str]:
    """Up to CASES generated requests to ``operation``; the failures, each once, with the request that made it."""
    failures: list[str] = []

    @settings(max_examples=CASES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(app=wsgi_app, headers=headers)
        TALLY[headers.get("X-Role", "?")] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, ExceptionGroup) as exc:  # a FailureGroup: noted, and on with the next case
            failures.append(f"{case.method} {case.formatted_path} {case.query or ''}: {str(exc)[:1500]}")

    run()
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_matches_the_schema(role, api_schema, tokens, wsgi_app):
    headers = {"Accept-Language": "en", "X-Role": role}
    if tokens[role]:
        headers["Authorization"] = f"Token {tokens[role]}"
    failures = []
    operations = list(get_operations(api_schema))
    assert len(operations) > 80
    for operation in operations:
        failures += fuzz(operation, headers, wsgi_app)
    assert not failures, f"{len(failures)} failing case(s):\n\n" + "\n\n".join(failures)
