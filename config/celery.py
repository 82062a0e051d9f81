"""Celery application.

With ``CELERY_BROKER_URL`` unset (the embedded default) tasks run in-process, eagerly;
with it set, a worker consumes them from the broker (Redis in production).
"""
import os

from celery import Celery, signals
from celery.backends.redis import RedisBackend

from . import request_ids

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class PublishOnlyRedisBackend(RedisBackend):
    """Celery's Redis result backend, except that sending a task does not subscribe to its result.

    Celery's backend subscribes to every published task's result channel (for a quick ``.get()`` in the
    publisher) and, when Redis is away, retries that subscription for 20 seconds inside the web request that
    published. Nothing in a request reads a task's result: ``AsyncResult(...).get()`` still works (it subscribes
    when called), and the worker stores results as before."""

    def on_task_call(self, producer, task_id):
        return None


app = Celery("pochub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every task's log lines carry the id of the request that published it (config/request_ids.py).
signals.before_task_publish.connect(request_ids.add_to_task_headers, weak=False)
signals.task_prerun.connect(request_ids.adopt_in_task, weak=False)
signals.task_postrun.connect(request_ids.forget_in_task, weak=False)
