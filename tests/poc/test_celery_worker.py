"""Tasks on the real broker, through a real worker (started by .ci/run)."""
import os

import pytest
from django.conf import settings

from poc.tasks import ping

needs_worker = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL or not os.environ.get("POCHUB_CELERY_WORKER"),
    reason="needs CELERY_BROKER_URL and a running worker (POCHUB_CELERY_WORKER=1); .ci/run starts both",
)


def test_tasks_run_in_process_without_a_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert ping.delay("in-process").get(timeout=5) == "in-process"


@pytest.mark.celery_worker
@needs_worker
def test_a_real_worker_answers_through_the_broker():
    from config.celery import app

    assert app.conf.task_always_eager is False
    result = ping.apply_async(args=["through-redis"])
    assert result.get(timeout=30) == "through-redis"
