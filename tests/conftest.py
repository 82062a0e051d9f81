import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Attachments go to a temporary private folder in tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "private_media")}},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """A transactional test starts from a flushed database: put the migrations' reference data back."""
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from tests.reference_data import ensure_reference_data

        ensure_reference_data()
    yield
