"""/health/: machine-readable, public, quick even when Redis hangs, 503 only when the database is gone."""
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from poc.models import OutboxMessage
from poc.tasks import heartbeat

from .conftest import needs_redis_server

pytestmark = pytest.mark.django_db

CHECKS = {"database", "cache", "broker", "outbox", "worker"}


def health(**extra):
    started = time.monotonic()
    response = Client().get("/health/", **extra)
    return response, time.monotonic() - started


def test_in_process_everything_is_ok_and_nothing_private_is_said(settings):
    settings.CELERY_BROKER_URL = ""  # the embedded default, also where .ci/run configures a broker
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response, _ = health()
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok" and set(body["checks"]) == CHECKS
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["outbox"] == {"ok": True, "backlog": 0, "oldest_age_seconds": 0,
                                        "ms": body["checks"]["outbox"]["ms"]}
    assert "no-cache" in response["Cache-Control"]


def test_it_is_exempt_from_the_https_redirect_and_needs_no_login(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/health/").status_code == 200
    assert Client().get("/").status_code == 301  # everything else is redirected


def test_an_old_outbox_backlog_is_reported_without_failing_the_probe():
    row = OutboxMessage.objects.create(task_name="poc.tasks.ping", args=[])
    OutboxMessage.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    response, _ = health()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["outbox"]["ok"] is False and body["checks"]["outbox"]["backlog"] == 1
    assert body["checks"]["outbox"]["oldest_age_seconds"] >= 600


def test_without_the_database_it_answers_503():
    with mock.patch("config.health._database", side_effect=OperationalError("connection timeout expired")):
        response, _ = health()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down" and body["checks"]["database"] == {
        "ok": False, "error": "OperationalError", "ms": body["checks"]["database"]["ms"]}


@needs_redis_server
def test_a_hung_broker_and_a_silent_worker_are_reported_quickly(private_redis, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = private_redis.url

    response, _ = health()
    body = response.json()
    assert response.status_code == 200 and body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"] == {"ok": False, "last_beat_seconds": None, "ms": body["checks"]["worker"]["ms"]}

    heartbeat.apply()  # a worker beats
    assert health()[0].json()["checks"]["worker"]["ok"] is True

    private_redis.pause()
    try:
        response, seconds = health()
    finally:
        private_redis.resume()
    print(f"/health/ with Redis paused: {seconds:.2f} s")
    body = response.json()
    assert response.status_code == 200 and seconds < 2.0
    assert body["status"] == "degraded" and body["checks"]["broker"]["ok"] is False
