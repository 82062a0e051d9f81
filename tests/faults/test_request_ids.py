"""Every request has an id (X-Request-ID, honoured or made), in every log line and in the tasks it publishes."""
import io
import json
import logging

import pytest
from django.test import Client

from config.request_ids import (
    TASK_HEADER,
    JsonFormatter,
    RequestIdFilter,
    adopt_in_task,
    current,
    forget_in_task,
)
from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.notifications.support import CLOSED_PORT_BROKER
from tests.poc.api_support import api_client, app_url

from .conftest import needs_redis_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The outbox's log lines as the production handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("poc.notifications.outbox")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_a_request_id_is_made_when_none_is_given_and_honoured_when_one_is():
    made = Client().get("/health/")["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert Client().get("/health/", HTTP_X_REQUEST_ID="lb-4f2a.7")["X-Request-ID"] == "lb-4f2a.7"
    forged = Client().get("/health/", HTTP_X_REQUEST_ID="x\nforged log line")["X-Request-ID"]
    assert forged != "x\nforged log line" and len(forged) == 32


def submitted():
    institution = InstitutionFactory()
    applicant_of(institution)
    return make_application(institution=institution, state="submitted")


@pytest.mark.django_db(transaction=True)
def test_a_failed_publish_is_logged_once_as_json_with_the_request_id(settings, json_log):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    app = submitted()
    response = api_client(officer()).post(app_url(app, "transitions", "accept_for_review"), {}, format="json",
                                          HTTP_X_REQUEST_ID="req-123")
    assert response.status_code == 200 and response["X-Request-ID"] == "req-123"
    [line] = json_log()
    assert line["request_id"] == "req-123" and line["level"] == "WARNING" and "backlog 1" in line["message"]
    assert "exc" not in line


@needs_redis_server
@pytest.mark.django_db(transaction=True)
def test_tasks_published_during_a_request_carry_its_id(private_redis, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = private_redis.url
    app = submitted()
    api_client(officer()).post(app_url(app, "transitions", "accept_for_review"), {}, format="json",
                               HTTP_X_REQUEST_ID="req-456")
    [raw] = private_redis.client().lrange("celery", 0, -1)
    assert json.loads(raw)["headers"][TASK_HEADER] == "req-456"


def test_the_worker_logs_a_task_under_the_id_it_carries():
    class Task:
        class request:
            pochub_request_id = "req-789"

    adopt_in_task(task_id="t1", task=Task)
    assert current.get() == "req-789"
    forget_in_task(task_id="t1")
    assert current.get() == "-"
