"""Housekeeping deletes what is past its retention (notifications, job files, sent outbox rows, expired
sessions) and never the audit trail."""
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone

from poc.housekeeping import clean_up
from poc.models import BackgroundJob, JobState, Notification, OutboxMessage, TransitionLog
from poc.tasks import housekeeping
from poc.workflow import run_transition
from tests.factories import make_application, officer

pytestmark = pytest.mark.django_db


def aged(model, obj, days, field="created_at"):
    model.objects.filter(pk=obj.pk).update(**{field: timezone.now() - timedelta(days=days)})


def test_old_records_go_recent_ones_and_the_audit_trail_stay(settings):
    settings.RETENTION = {"NOTIFICATIONS_DAYS": 365, "JOB_FILES_DAYS": 7, "OUTBOX_SENT_DAYS": 30}
    staff = officer()
    application = make_application(state="submitted")
    with time_machine.travel(timezone.now() - timedelta(days=4000)):
        run_transition(application, "accept_for_review", staff, "")
    audit = TransitionLog.objects.count()
    assert audit and TransitionLog.objects.filter(created_at__lt=timezone.now() - timedelta(days=3000)).exists()

    old_note = Notification.objects.create(recipient=staff, kind="k", key="old", title="old")
    new_note = Notification.objects.create(recipient=staff, kind="k", key="new", title="new")
    aged(Notification, old_note, 400)

    old_job = BackgroundJob.objects.create(owner=staff, kind="k", state=JobState.DONE)
    old_job.result.save("old.xlsx", ContentFile(b"x"))
    stored = old_job.result.name
    storage = old_job.result.storage
    aged(BackgroundJob, old_job, 8, "finished_at")
    fresh_job = BackgroundJob.objects.create(owner=staff, kind="k", state=JobState.DONE, finished_at=timezone.now())
    running = BackgroundJob.objects.create(owner=staff, kind="k", state=JobState.RUNNING)

    sent = OutboxMessage.objects.create(task_name="poc.tasks.ping", sent_at=timezone.now())
    aged(OutboxMessage, sent, 31, "sent_at")
    unsent = OutboxMessage.objects.create(task_name="poc.tasks.ping")
    aged(OutboxMessage, unsent, 400)

    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="y" * 32, session_data="", expire_date=timezone.now() + timedelta(days=1))

    done = clean_up()

    assert done == {"notifications": 1, "job_files": 1, "jobs": 1, "outbox": 1}
    assert list(Notification.objects.values_list("pk", flat=True)) == [new_note.pk]
    assert not storage.exists(stored)
    assert set(BackgroundJob.objects.values_list("pk", flat=True)) == {fresh_job.pk, running.pk}
    pings = OutboxMessage.objects.filter(task_name="poc.tasks.ping")
    assert list(pings.values_list("pk", flat=True)) == [unsent.pk]  # never an unsent one
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 32]
    assert TransitionLog.objects.count() == audit  # the audit trail, however old, stays


def test_it_is_a_periodic_task_on_beats_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["housekeeping-nightly"]["task"] == "poc.tasks.housekeeping"
    assert housekeeping.apply().get() == {"notifications": 0, "job_files": 0, "jobs": 0, "outbox": 0}
