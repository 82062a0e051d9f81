"""Redis hangs or is down while a user acts: the request answers its normal success quickly, the work waits
in the outbox, and the drain publishes it exactly once when Redis is back.

Each test starts its own redis-server on a private port (tests/faults/services.py); the request is the API's
``accept_for_review`` (an officer's action that notifies the applicants through the outbox)."""
import json
import logging
import time

import pytest

from poc.models import Application, OutboxMessage
from poc.notifications import outbox
from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.poc.api_support import api_client, app_url

from .conftest import needs_redis_server

pytestmark = [pytest.mark.django_db(transaction=True), needs_redis_server]

BOUND = 2.0  # seconds: the longest a request may take while Redis hangs or is down


@pytest.fixture(autouse=True)
def _warm(settings):
    """One request first, with tasks in-process: the timed request pays no first-import cost."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    accept_for_review()
    OutboxMessage.objects.all().delete()


@pytest.fixture
def on_private_broker(_warm, private_redis, settings):
    """Tasks go to the private Redis (broker and result backend), as in production."""
    from celery import current_app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = private_redis.url
    previous = current_app.conf.result_backend
    current_app.conf.result_backend = f"config.celery:PublishOnlyRedisBackend+{private_redis.url}"
    current_app._backend_cache = None
    current_app._local.__dict__.pop("backend", None)  # a process that has not yet connected
    yield private_redis
    current_app.conf.result_backend = previous
    current_app._backend_cache = None
    current_app._local.__dict__.pop("backend", None)


def accept_for_review():
    institution = InstitutionFactory()
    applicant_of(institution)
    app = make_application(institution=institution, state="submitted")
    client = api_client(officer())
    started = time.monotonic()
    response = client.post(app_url(app, "transitions", "accept_for_review"), {"comment": "ok"}, format="json")
    return app, response, time.monotonic() - started


def queued_task_ids(redis) -> list[str]:
    return [json.loads(raw)["headers"]["id"] for raw in redis.client().lrange("celery", 0, -1)]


def assert_delivered_once_after_recovery(redis, row):
    assert outbox.drain() == 1
    assert outbox.drain() == 0
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    assert queued_task_ids(redis) == [row.task_id]


def test_redis_healthy_the_task_is_published_at_once(on_private_broker):
    app, response, seconds = accept_for_review()

    assert response.status_code == 200, response.content
    [row] = OutboxMessage.objects.all()
    assert row.sent_at is not None
    assert queued_task_ids(on_private_broker) == [row.task_id]
    print(f"healthy Redis: {seconds:.3f} s")


def test_redis_paused_the_request_succeeds_quickly_and_the_outbox_delivers_once_later(on_private_broker, caplog):
    on_private_broker.pause()  # the port stays open; nothing answers
    try:
        with caplog.at_level(logging.WARNING, logger="poc.notifications.outbox"):
            app, response, seconds = accept_for_review()
    finally:
        on_private_broker.resume()

    print(f"paused Redis: {seconds:.3f} s")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "under_review"
    assert seconds < BOUND
    assert Application.objects.get(pk=app.pk).state == "under_review"
    [row] = OutboxMessage.objects.all()
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    [line] = [r for r in caplog.records if r.name == "poc.notifications.outbox"]
    assert "backlog 1" in line.getMessage() and line.exc_info is None  # one line, no traceback

    assert_delivered_once_after_recovery(on_private_broker, row)


def test_redis_down_before_the_process_connected_the_request_succeeds_quickly(on_private_broker, private_redis):
    private_redis.kill()

    app, response, seconds = accept_for_review()

    print(f"Redis down: {seconds:.3f} s")
    assert response.status_code == 200, response.content
    assert seconds < BOUND
    [row] = OutboxMessage.objects.all()
    assert row.sent_at is None and row.attempts == 1

    private_redis.start()  # back on the same port
    assert_delivered_once_after_recovery(private_redis, row)


def test_the_broker_accepts_connections_and_never_answers(_warm, silent_listener, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_listener.port}/0"

    app, response, seconds = accept_for_review()

    print(f"silent broker: {seconds:.3f} s")
    assert response.status_code == 200 and seconds < BOUND
    [row] = OutboxMessage.objects.all()
    assert row.sent_at is None and row.attempts == 1
