import pytest

from tests.poc.workflow_support import FAST_HASHERS


@pytest.fixture(autouse=True)
def _in_process_unless_on_a_worker(request, settings):
    """Tasks run in-process (as without a broker), except in the tests that use the real worker; fast hashing."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    if request.node.get_closest_marker("celery_worker") is None:
        settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
