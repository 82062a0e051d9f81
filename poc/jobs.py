"""Background jobs the user watches: start one, let its task report progress, keep its result file.

``start_job`` writes a :class:`~poc.models.BackgroundJob` and enqueues its task through the transactional outbox
(``poc.notifications.outbox``): the task is published when the transaction commits, and a broker outage only
delays it (the drain publishes it later). The task receives the job's id first, then ``args``, and does its work
through :func:`execute`, which skips a job already done (a second delivery changes nothing), records progress,
keeps the result file and marks the job failed once retries are exhausted.

Each run *claims* the job (``attempts`` + 1) and beats (``heartbeat_at``) with every progress report; only the run
holding the latest claim may finish it, so a job delivered twice (a re-queue, the broker's re-delivery) keeps
one result. :func:`recover_stale` (every few minutes, from beat) finds running jobs whose beat stopped (their
worker died): it re-queues them once more, then fails them with a message the user sees.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import BackgroundJob, JobState

logger = logging.getLogger(__name__)

NOT_RETRIED = (PermissionError, ObjectDoesNotExist)  # trying again changes nothing
REPORT_EVERY = 50  # rows between two progress reports


def start_job(user, kind: str, task_name: str, args=()) -> BackgroundJob:
    """Create a queued job of ``kind`` for ``user`` and enqueue ``task_name(job.pk, *args)`` on commit."""
    from .notifications.outbox import enqueue

    with transaction.atomic():
        job = BackgroundJob.objects.create(owner=user, kind=kind, language=translation.get_language() or "",
                                           task_name=task_name)
        job.task_args = [job.pk, *args]
        job.save(update_fields=["task_args"])
        enqueue(task_name, job.task_args)
    return job


def report(job_id: int, progress: int, message: str = "") -> None:
    """Record the progress (0–100) of a running job; visible at once to the page polling it."""
    progress = max(0, min(100, int(progress)))
    BackgroundJob.objects.filter(pk=job_id).exclude(state__in=(JobState.DONE, JobState.FAILED)).update(
        state=JobState.RUNNING, progress=progress, message=str(message)[:300], heartbeat_at=timezone.now())


class Progress:
    """Calls ``report`` every ``every`` items out of ``total`` (progress up to ``ceiling`` %, leaving room to save)."""

    def __init__(self, job_id: int, total: int, every: int = REPORT_EVERY, ceiling: int = 95):
        self.job_id, self.total, self.every, self.ceiling = job_id, total, every, ceiling

    def __call__(self, done: int) -> None:
        if done % self.every and done != self.total:
            return
        percent = self.ceiling * done // self.total if self.total else self.ceiling
        report(self.job_id, percent, _("%(done)s of %(total)s rows written") % {"done": done, "total": self.total})


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "JOB_STALE_AFTER", 300))


def claim(job_id: int) -> int | None:
    """Take job ``job_id`` for this run: queued, or running with a stopped heartbeat. The run's attempt number,
    or None when the job is done, failed, gone or alive in another run."""
    now = timezone.now()
    claimable = Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING) & (
        Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True))
    with transaction.atomic():
        if not BackgroundJob.objects.filter(claimable, pk=job_id).update(
                state=JobState.RUNNING, progress=0, heartbeat_at=now, attempts=F("attempts") + 1):
            return None
        return BackgroundJob.objects.values_list("attempts", flat=True).get(pk=job_id)


def execute(task, job_id: int, build) -> bool:
    """Run ``build(job) -> (file name, bytes)`` for job ``job_id`` and keep the file; True if it ran to the end.

    A job that is done (or gone, or running elsewhere) is not run again. A failure is retried by the task
    (``task.retry``) while retries remain; after the last one, or at once when tasks run in-process, the job is
    marked failed."""
    attempt = claim(job_id)
    if attempt is None:
        return False
    job = BackgroundJob.objects.get(pk=job_id)
    mine = BackgroundJob.objects.filter(pk=job_id, attempts=attempt)
    try:
        with translation.override(job.language or None):
            name, content = build(job)
    except Exception as exc:
        eager = bool(getattr(task.request, "is_eager", False))
        if not eager and not isinstance(exc, NOT_RETRIED) and task.request.retries < (task.max_retries or 0):
            mine.update(state=JobState.QUEUED)  # the retry claims it again
            raise task.retry(exc=exc, countdown=min(600, 10 * 2 ** task.request.retries)) from exc
        logger.exception("background job %s (%s) failed", job_id, job.kind)
        mine.exclude(state=JobState.DONE).update(state=JobState.FAILED, finished_at=timezone.now(),
                                                 error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    job.result.save(name, ContentFile(content), save=False)
    if not mine.exclude(state=JobState.DONE).update(
            result=job.result.name, result_name=name, state=JobState.DONE, progress=100, message="", error="",
            finished_at=timezone.now()):
        job.result.storage.delete(job.result.name)  # a later run holds the job: its result is the one kept
        return False
    return True


def recover_stale(now=None) -> dict[str, int]:
    """Running jobs whose heartbeat stopped (their worker died): re-queue each while it has attempts left
    (settings.JOB_MAX_ATTEMPTS), else fail it with a message its owner sees. Returns the counts."""
    from .notifications.outbox import enqueue

    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    stale = BackgroundJob.objects.filter(state=JobState.RUNNING).filter(
        Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True, created_at__lt=now - stale_after()))
    with transaction.atomic():
        for job in stale.select_for_update(skip_locked=True):
            with translation.override(job.language or settings.LANGUAGE_CODE):
                if job.task_name and job.attempts < getattr(settings, "JOB_MAX_ATTEMPTS", 2):
                    job.state, job.progress = JobState.QUEUED, 0
                    job.message = _("The server running this job stopped; the job was started again.")
                    enqueue(job.task_name, job.task_args)
                    counts["requeued"] += 1
                else:
                    job.state, job.finished_at = JobState.FAILED, now
                    job.message = _("The server running this job stopped. Please start the job again.")
                    job.error = f"stale: no heartbeat since {(job.heartbeat_at or job.created_at).isoformat()}"
                    counts["failed"] += 1
            job.save(update_fields=["state", "progress", "message", "finished_at", "error"])
            logger.warning("background job %s (%s) had no heartbeat since %s: %s", job.pk, job.kind,
                           job.heartbeat_at, job.state)
    return counts
