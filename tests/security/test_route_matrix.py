"""The route × role × ownership matrix (DESIGN §3): every URL of the project, pages and API, requested by
side A's anonymous visitor, applicant, expert and fund manager (and the officer, for sanity) with URL kwargs
that point at side B's objects.

- A GET of side B's object answers no 2xx (404, 403, 405 or a redirect are fine) unless the table says the
  object is open to that role on purpose; a list answers without side B's names and ids.
- A write (POST on every page; POST, PUT, PATCH and DELETE on the API where the route answers them, and on
  every API detail route) changes nothing in the database (row count, highest id and content of every table)
  and writes no audit row.
- A URL name without an entry in tests/security/routes.py fails ``test_every_route_has_a_matrix_entry``.

Each test runs in its own savepoint (pytest-django), so one leaking write does not change what the next sees.
Run with ``-s`` to see how many reads and writes were checked.
"""
import json

import pytest

from tests.security.matrix import (
    audit_rows,
    body,
    changed_tables,
    checked_routes,
    content,
    fingerprint,
    send,
    side_fingerprint,
    url_of,
    write_counter,
)
from tests.security.routes import TABLE
from tests.security.routes_api import API_TABLE

pytestmark = pytest.mark.django_db

ENTRIES = {**TABLE, **API_TABLE}
ROUTES, UNNAMED = checked_routes()
SIDE_A_ROLES = ("anonymous", "applicant", "expert", "fund_manager", "district_officer")
WRITES = ("post", "put", "patch", "delete")
COUNTS = {"reads": 0, "list reads": 0, "writes": 0, "open on purpose": 0}

# Leaks the current code has, each marked strict xfail so the suite stays green and the leak stays visible:
# (url name, method, role) -> what leaks.
KNOWN_LEAKS = {}


def _case(name, method, role):
    reason = KNOWN_LEAKS.get((name, method, role))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, method, role, id=f"{name}-{method.upper()}-{role}", marks=marks)


def _reads():
    for name, route in sorted(ROUTES.items()):
        if route.methods and "get" not in route.methods:
            continue
        for role in SIDE_A_ROLES:  # the officer's reads: test_each_entry_points_at_a_real_object
            yield _case(name, "get", role)


def _write_methods(route):
    if not route.api:
        return ("post",)
    methods = [m for m in WRITES if m in route.methods]
    if route.is_detail:
        methods += [m for m in ("put", "patch", "delete") if m not in methods]
    return tuple(m for m in WRITES if m in methods)


def _writes():
    for name, route in sorted(ROUTES.items()):
        for method in _write_methods(route):
            for role in SIDE_A_ROLES:
                yield _case(name, method, role)


def baseline(world):
    """The world's fingerprint, read once: every test starts from the same world (each runs in a savepoint that
    is rolled back), so the state before any write is this one."""
    if not hasattr(world, "fingerprint"):
        world.fingerprint, world.audit = fingerprint(), audit_rows()
    return world.fingerprint


def test_every_route_has_a_matrix_entry():
    missing = sorted(set(ROUTES) - set(ENTRIES))
    assert not missing, f"routes without an entry in tests/security/routes.py: {missing}"
    stale = sorted(set(ENTRIES) - set(ROUTES))
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"
    assert not UNNAMED, f"unnamed URL patterns (the matrix finds routes by name): {UNNAMED}"


def _client(world, route, role):
    return (world.api if route.api else world.pages)[role]


def _item_id(item):
    """The id of one JSON list item (a ranking row names its application as a nested object)."""
    if not isinstance(item, dict):
        return None
    pk = item.get("id", item.get("application"))
    return pk.get("id") if isinstance(pk, dict) else pk


def _shows_side_b(world, entry, response):
    """The side-B names (and, for API lists, ids) a list response shows."""
    raw = content(response)
    for allowed in entry.may_show:
        raw = raw.replace(allowed.encode(), b"")
    found = [f"text {world.b.mark}"] if world.b.mark.encode() in raw else []
    if entry.model and response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(content(response))
        items = (data.get("results") or data.get("rows") or []) if isinstance(data, dict) else data
        owned = world.b.owned.get(entry.model, set())
        found += [f"{entry.model} id {pk}" for pk in map(_item_id, items) if pk in owned]
    return found


@pytest.mark.parametrize(("name", "method", "role"), list(_reads()))
def test_no_read_shows_the_other_party(world, name, method, role):
    route, entry = ROUTES[name], ENTRIES.get(name)
    if entry is None:
        pytest.fail(f"{name}: no matrix entry")
    client = _client(world, route, role)
    for kwargs in entry.variants(world):
        path = url_of(route, kwargs)
        response = send(client, "get", path, {}, route.api)
        assert response.status_code < 500, f"GET {path} as {role}: {response.status_code}"
        if entry.lists:
            COUNTS["list reads"] += 1
            if 200 <= response.status_code < 300:
                shown = _shows_side_b(world, entry, response)
                assert not shown, f"GET {path} as {role} of side A shows side B: {shown}"
        elif role in entry.open_to:
            COUNTS["open on purpose"] += 1  # open to this role on purpose, yet it must not name side B
            if 200 <= response.status_code < 300:
                shown = _shows_side_b(world, entry, response)
                assert not shown, f"GET {path} as {role} of side A shows side B: {shown}"
        else:
            COUNTS["reads"] += 1
            assert not 200 <= response.status_code < 300, (
                f"GET {path} as {role} of side A: {response.status_code} on side B's object\n"
                f"{content(response)[:300]!r}")


@pytest.mark.parametrize(("name", "method", "role"), list(_writes()))
def test_no_write_changes_anything(world, name, method, role):
    route, entry = ROUTES[name], ENTRIES.get(name)
    if entry is None:
        pytest.fail(f"{name}: no matrix entry")
    client = _client(world, route, role)
    own_rows_only = role in entry.self_service
    for kwargs in entry.variants(world):
        path = url_of(route, kwargs)
        before = side_fingerprint(world.b) if own_rows_only else baseline(world)
        audit = audit_rows() if own_rows_only else world.audit
        counter = write_counter()
        response = send(client, method, path, body(world, kwargs), route.api)
        COUNTS["writes"] += 1
        assert response.status_code < 500, f"{method.upper()} {path} as {role}: {response.status_code}"
        if counter is not None and write_counter() == counter:
            continue  # not a single row inserted, updated or deleted
        after = side_fingerprint(world.b) if own_rows_only else fingerprint()
        new_audit = [row for row in audit_rows() if row not in audit]
        if own_rows_only:  # one's own request may be audited; nothing of side B's may be
            new_audit = [row for row in new_audit if row[1] in world.b.owned_keys]
        assert not new_audit, f"{method.upper()} {path} as {role} of side A wrote audit rows {new_audit}"
        assert before == after, (
            f"{method.upper()} {path} as {role} of side A changed the database "
            f"({response.status_code}): {changed_tables(before, after)}\n{content(response)[:300]!r}")


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.kwargs and "get" in (r.methods or {"get"})))
def test_each_entry_points_at_a_real_object(world, name):
    """Sanity: side B's own parties (or the officer) can open what the entry points at, so a 404 for side A
    means "not yours", not "no such object"."""
    route, entry = ROUTES[name], ENTRIES.get(name)
    if entry is None:
        pytest.fail(f"{name}: no matrix entry")
    for kwargs in entry.variants(world):
        path = url_of(route, kwargs)
        statuses = {}
        for who in ("officer", "applicant:b", "expert:b", "fund_manager:b", "district_officer:b"):
            client = world.api["officer"] if route.api and who == "officer" else (
                _api_client_for(world, who) if route.api else world.pages[who])
            statuses[who] = send(client, "get", path, {}, route.api).status_code
            if statuses[who] < 400 or statuses[who] in (400, 409):
                break
        if set(statuses.values()) == {405}:
            continue  # a POST-only page
        # 400/409: the route found the object and refused what was asked (e.g. a draw with nobody to draw)
        assert any(s < 400 or s in (400, 409) for s in statuses.values()), f"nobody can open {path}: {statuses}"


def _api_client_for(world, who):
    from tests.security.world import _token_client

    role, side = who.split(":")
    return _token_client(world.user(role, side))


def test_zz_summary():
    """How much the matrix checked (run with -s to see it)."""
    print(f"\nroute matrix: {len(ROUTES)} routes; {COUNTS['reads']} reads of side B's objects, "
          f"{COUNTS['list reads']} list reads, {COUNTS['open on purpose']} reads of objects open on purpose, "
          f"{COUNTS['writes']} writes checked")
    assert COUNTS["writes"] or COUNTS["reads"] or len(ROUTES)
