"""The growing world is built once per module inside a transaction rolled back at the end (as the security
matrix does): every list is read at SMALL units, the world grown to LARGE units, and every list read again."""
import logging

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.poc.workflow_support import FAST_HASHERS

SMALL, LARGE = 3, 30


def _storages(settings, location):
    return {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                             "OPTIONS": {"location": str(location)}}}


def _clients(w):
    pages, api = {}, {}
    for role, user in w.users().items():
        pages[role] = Client(HTTP_ACCEPT_LANGUAGE="en")
        api[role] = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            pages[role].force_login(user)
            api[role].force_authenticate(user)
    return pages, api


def read_all(w, routes, only=None):
    """(url name, role) -> (status, queries, their SQL): each list read once to warm per-process caches, then once
    counted; ``only`` limits the roles to those that got the list before."""
    pages, api = _clients(w)
    seen = {}
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the 403s of roles a list is not for
    for name, row in routes.items():
        path = row.path(name, w)
        for role in pages:
            if only is not None and only.get((name, role), (0,))[0] != 200:
                continue
            client = api[role] if path.startswith("/api/") else pages[role]
            if client.get(path).status_code != 200:
                seen[name, role] = (None, 0, [])
                continue
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            seen[name, role] = (response.status_code, len(queries), [q["sql"] for q in queries])
    return seen


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    from tests.lists.routes import LIST_ROUTES
    from tests.lists.world import build, grow

    media = tmp_path_factory.mktemp("lists_media")
    with django_db_blocker.unblock(), override_settings(STORAGES=_storages(settings, media),
                                                        PASSWORD_HASHERS=FAST_HASHERS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = grow(build(), SMALL)
            small = read_all(w, LIST_ROUTES)
            grow(w, LARGE - SMALL)
            large = read_all(w, LIST_ROUTES, only=small)
            yield small, large
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _private_media():
    """Overrides tests/conftest.py's: the world's storage stays in force while the module's world lives."""
    yield
