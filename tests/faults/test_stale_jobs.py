"""A worker dies in the middle of a background job: the job's heartbeat stops, the detector re-queues it once
(then fails it with a message its owner sees), and a job that runs twice keeps one result."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from poc.jobs import claim, recover_stale
from poc.models import BackgroundJob, JobState, OutboxMessage
from review.tasks import export_expert_pool
from tests.factories import officer
from tests.poc.pages_support import browser
from tests.review.factories import ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_process(settings):
    settings.LANGUAGE_CODE = "en"
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def stuck_job(owner, minutes=10, attempts=1):
    """An expert-pool export left "running 11 %" by a worker that was killed ``minutes`` ago."""
    ExpertFactory()
    job = BackgroundJob.objects.create(owner=owner, kind="expert-pool-export", language="en",
                                       task_name="review.tasks.export_expert_pool", state=JobState.RUNNING,
                                       progress=11, attempts=attempts,
                                       heartbeat_at=timezone.now() - timedelta(minutes=minutes))
    job.task_args = [job.pk]
    job.save()
    return job


def test_a_stale_job_is_requeued_and_runs_to_done(django_capture_on_commit_callbacks):
    job = stuck_job(officer())

    with django_capture_on_commit_callbacks(execute=True):
        assert recover_stale() == {"requeued": 1, "failed": 0}

    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2 and job.result
    assert OutboxMessage.objects.filter(task_name="review.tasks.export_expert_pool").count() == 1


def test_a_job_whose_heartbeat_is_recent_is_left_alone():
    job = stuck_job(officer(), minutes=1)
    assert recover_stale() == {"requeued": 0, "failed": 0}
    assert claim(job.pk) is None  # alive in another run: a second delivery does not take it
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1


def test_a_job_out_of_attempts_fails_with_a_message_its_owner_sees():
    staff = officer()
    job = stuck_job(staff, attempts=2)

    assert recover_stale() == {"requeued": 0, "failed": 1}

    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at
    page = browser(staff).get(reverse("job-progress", args=[job.pk])).content.decode()
    assert "The server running this job stopped. Please start the job again." in page
    assert "hx-get" not in page  # the page stops polling


def test_a_job_delivered_twice_keeps_one_result():
    job = stuck_job(officer())
    assert export_expert_pool.apply(args=[job.pk]).get() is True  # the broker's re-delivery after the crash
    job.refresh_from_db()
    first = (job.result.name, job.finished_at, job.attempts)

    assert export_expert_pool.apply(args=[job.pk]).get() is False  # and the detector's re-queue, later
    job.refresh_from_db()
    assert (job.result.name, job.finished_at, job.attempts) == first and job.state == JobState.DONE


def test_a_run_that_lost_its_claim_does_not_overwrite_the_newer_run(monkeypatch):
    """The old run wakes up after the job was claimed again: its result is thrown away."""
    from poc import jobs

    job = stuck_job(officer())
    real_claim = jobs.claim

    def claim_then_lose_it(job_id):
        attempt = real_claim(job_id)
        BackgroundJob.objects.filter(pk=job_id).update(attempts=attempt + 1)  # a newer run claimed it meanwhile
        return attempt

    monkeypatch.setattr(jobs, "claim", claim_then_lose_it)
    assert export_expert_pool.apply(args=[job.pk]).get() is False
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and not job.result
