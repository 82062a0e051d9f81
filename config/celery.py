"""Celery application.

With ``CELERY_BROKER_URL`` unset (the embedded default) tasks run in-process, eagerly;
with it set, a worker consumes them from the broker (Redis in production).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("pochub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
