"""Every list page and API list reads the database a number of times that does not depend on how many rows it
lists: each is requested by every role at 3 units of the world and at 30 (tests/lists/world.py), and each role
it answers must make as many queries at both sizes. A new list route without a row in tests/lists/routes.py
fails ``test_every_list_route_has_a_row``."""
import re
from collections import Counter

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic import ListView

from tests.lists.conftest import LARGE, SMALL
from tests.lists.routes import EXCLUDED, LIST_ROUTES

pytestmark = pytest.mark.django_db


def _patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _patterns(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}".strip(":"), pattern.callback


def is_list(name, callback):
    """A ListView, the ``list`` action of a viewset, or a name ending in "list"."""
    actions = getattr(callback, "actions", None) or {}
    view_class = getattr(callback, "view_class", None)
    return (actions.get("get") == "list" or (view_class is not None and issubclass(view_class, ListView))
            or name.rsplit(":", 1)[-1].endswith("list"))


def test_every_list_route_has_a_row():
    lists = {name for name, callback in _patterns() if is_list(name, callback) and not name.startswith("admin:")}
    missing = sorted(lists - set(LIST_ROUTES) - set(EXCLUDED))
    assert not missing, f"list routes without a row in tests/lists/routes.py: {missing}"
    assert not set(LIST_ROUTES) & set(EXCLUDED)
    known = {name for name, _ in _patterns()}
    assert not (set(LIST_ROUTES) | set(EXCLUDED)) - known, "rows for routes that no longer exist"


@pytest.mark.parametrize("name", sorted(LIST_ROUTES))
def test_query_count_does_not_grow_with_the_rows(counts, name):
    small, large = counts
    roles = sorted({role for n, role in small if n == name})
    answered = [r for r in roles if small[name, r][0] == 200 and large.get((name, r), (0,))[0] == 200]
    assert answered, f"{name}: no role got the list at both sizes ({[(r, small[name, r][0]) for r in roles]})"
    grown = {r: (small[name, r][1], large[name, r][1]) for r in answered if small[name, r][1] != large[name, r][1]}
    assert not grown, (f"{name}: queries at {SMALL} units → {LARGE} units, by role: {grown}; the most repeated: "
                       f"{_most_repeated(large[name, next(iter(grown))][2])}")


def _most_repeated(sqls):
    shapes = Counter(re.sub(r"\b\d+\b", "N", sql)[:300] for sql in sqls)
    return [f"{n}× {shape}" for shape, n in shapes.most_common(3)]
