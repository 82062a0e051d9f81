"""Notifications through the real broker and a real worker (.ci/run starts both: PostgreSQL, Redis, a worker).

The worker reads the test database, so these tests commit (transactional) and wait for the task's result
(never a sleep). The outage is simulated with a second broker URL on a closed local port, so the shared Redis
keeps serving the rest of the run.
"""
import os

import pytest
from django.conf import settings

from poc.models import Notification, OutboxMessage
from poc.tasks import drain_outbox, fan_out_notification
from poc.workflow import run_transition
from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.notifications.support import CLOSED_PORT_BROKER, inbox

needs_worker = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL or not os.environ.get("POCHUB_CELERY_WORKER"),
    reason="needs CELERY_BROKER_URL and a running worker (POCHUB_CELERY_WORKER=1); .ci/run starts both",
)
pytestmark = [pytest.mark.celery_worker, needs_worker, pytest.mark.django_db(transaction=True)]
WAIT = 30  # seconds: the longest a healthy worker may take


@pytest.fixture
def submitted():
    institution = InstitutionFactory()
    applicant = applicant_of(institution)
    app = make_application(institution=institution, created_by=applicant, state="submitted")
    return app, applicant, officer()


def test_a_transitions_notification_is_delivered_by_the_real_worker(submitted):
    from celery import current_app

    assert current_app.conf.task_always_eager is False
    app, applicant, off = submitted

    run_transition(app, "return_for_revision", off, "Budget details are missing.")  # commits; publishes on commit

    [row] = OutboxMessage.objects.all()
    assert row.sent_at is not None and row.last_error == ""
    assert fan_out_notification.AsyncResult(row.task_id).get(timeout=WAIT) == 1
    [note] = inbox(applicant)
    assert note.kind == "application_returned" and note.emailed_at is not None


def test_with_the_broker_unreachable_the_action_succeeds_and_the_drain_delivers_once_the_broker_is_back(
        submitted, settings):
    app, applicant, off = submitted
    real_broker = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER

    returned = run_transition(app, "return_for_revision", off, "Budget details are missing.")

    assert returned.state == "returned"
    [row] = OutboxMessage.objects.all()
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert Notification.objects.count() == 0

    settings.CELERY_BROKER_URL = real_broker  # the broker is back: beat's every-minute drain runs on the worker
    assert drain_outbox.apply_async().get(timeout=WAIT) == 1
    assert fan_out_notification.AsyncResult(row.task_id).get(timeout=WAIT) == 1
    assert drain_outbox.apply_async().get(timeout=WAIT) == 0

    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    assert [n.kind for n in inbox(applicant)] == ["application_returned"]
