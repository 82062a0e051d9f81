"""The outbox: work is written with the user's change, published on commit, and survives a broker outage.

The outage is a broker URL on a closed local port (nothing else is touched); the drain then runs with tasks
in-process, as without a broker. tests/notifications/test_worker.py repeats it against the real worker.
"""
import pytest
from django.core import mail
from django.db import transaction

from poc.models import Notification, OutboxMessage
from poc.notifications import outbox
from poc.tasks import drain_outbox
from poc.workflow import run_transition
from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.notifications.support import CLOSED_PORT_BROKER, committed, inbox, unsent

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned_later(django_capture_on_commit_callbacks):
    """An officer returns a submitted application (a user's action, committed); the applicants are told."""
    institution = InstitutionFactory()
    applicant = applicant_of(institution)
    off = officer()
    app = make_application(institution=institution, created_by=applicant, state="submitted")

    def act():
        with committed(django_capture_on_commit_callbacks):
            return run_transition(app, "return_for_revision", off, "Budget details are missing.")

    return act, applicant


def broker_down(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER


def test_the_outbox_row_is_written_in_the_users_transaction_and_rolled_back_with_it(django_capture_on_commit_callbacks):
    with committed(django_capture_on_commit_callbacks) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.enqueue("poc.tasks.ping", ["lost"])
            raise RuntimeError("the user's change failed")
    assert OutboxMessage.objects.count() == 0 and callbacks == []


def test_with_the_broker_down_the_action_succeeds_and_the_drain_sends_the_work_exactly_once(returned_later, settings):
    act, applicant = returned_later
    broker_down(settings)

    returned = act()  # no exception reaches the user

    assert returned.state == "returned"
    [row] = unsent()
    assert row.task_name == "poc.tasks.fan_out_notification" and row.attempts == 1
    assert "6390" in row.last_error or "refused" in row.last_error.lower()
    assert Notification.objects.count() == 0 and mail.outbox == []

    # the drain while the broker is still down: nothing is lost, nothing raises
    assert drain_outbox.apply(throw=True).get() == 0
    assert OutboxMessage.objects.get(pk=row.pk).attempts == 2

    # the broker is back (here: tasks in-process): the drain sends it once, and a second drain sends nothing
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert drain_outbox.apply(throw=True).get() == 1
    assert drain_outbox.apply(throw=True).get() == 0
    sent = OutboxMessage.objects.get(pk=row.pk)
    assert sent.sent_at is not None and sent.attempts == 3
    assert [n.kind for n in inbox(applicant)] == ["application_returned"]
    assert [m.to for m in mail.outbox] == [[applicant.email]]


def test_publishing_a_sent_row_again_does_nothing(returned_later):
    act, applicant = returned_later
    act()
    [row] = OutboxMessage.objects.all()
    assert row.sent_at is not None
    assert outbox.publish(row.pk) is False
    assert len(inbox(applicant)) == 1 and len(mail.outbox) == 1


def test_a_failing_in_process_run_is_kept_for_the_drain_and_never_raises_into_the_request(
        returned_later, settings):
    act, applicant = returned_later
    settings.EMAIL_BACKEND = "tests.notifications.flaky_email.FailingBackend"

    assert act().state == "returned"

    [row] = unsent()
    assert "SMTP server unreachable" in row.last_error
    assert Notification.objects.count() == 0  # the failed run left nothing half-written

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.drain() == 1
    assert len(inbox(applicant)) == 1 and len(mail.outbox) == 1


def test_the_drain_takes_the_least_tried_rows_first_and_stops_at_a_dead_broker(settings):
    broker_down(settings)
    old = OutboxMessage.objects.create(task_name="poc.tasks.ping", args=["old"], attempts=5)
    new = OutboxMessage.objects.create(task_name="poc.tasks.ping", args=["new"])
    assert outbox.drain() == 0
    assert (OutboxMessage.objects.get(pk=new.pk).attempts, OutboxMessage.objects.get(pk=old.pk).attempts) == (1, 5)

    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert outbox.drain() == 2 and unsent() == []
