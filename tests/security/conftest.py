"""The matrix's world is built once per module (it takes seconds) inside a transaction rolled back at the end;
each test then runs in its own savepoint (pytest-django's ``db``), so one leaking write cannot spill over."""
import pytest
from django.db import transaction
from django.test import override_settings

from tests.poc.workflow_support import FAST_HASHERS


def _storages(settings, location):
    return {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                             "OPTIONS": {"location": str(location)}}}


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix_media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    from django.conf import settings

    from tests.security.world import build_world

    with django_db_blocker.unblock(), override_settings(STORAGES=_storages(settings, world_media),
                                                        PASSWORD_HASHERS=FAST_HASHERS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _private_media():
    """Overrides tests/conftest.py's: the world's storage (set while the module's world lives) stays in force."""
    yield
