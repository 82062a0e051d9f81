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


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool((marker and marker.kwargs.get("transaction")) or "transactional_db" in getattr(item, "fixturenames", ()))


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or "db" in getattr(item, "fixturenames", ())


_flushed = {"since_restore": False}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Note when a transactional test has emptied the database (its teardown flushes every table)."""
    try:
        return (yield)
    finally:
        if _is_transactional(item):
            _flushed["since_restore"] = True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """A test in a transaction that follows a transactional one gets the reference data back first.

    pytest-django runs transactional tests after the others, so in one process this never happens; when the
    suite is spread over processes by file (``make test``'s ``--dist loadfile``), a file's transactional tests
    may come before another file's plain ones."""
    if _flushed["since_restore"] and _uses_database(item) and not _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        from tests.reference_data import ensure_reference_data

        with item.config.stash[blocking_manager_key].unblock():
            ensure_reference_data()
        _flushed["since_restore"] = False
    return (yield)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """A transactional test starts from a flushed database: put the migrations' reference data back."""
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from tests.reference_data import ensure_reference_data

        ensure_reference_data()
    yield
