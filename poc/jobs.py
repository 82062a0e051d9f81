"""Background jobs the user watches: start one, let its task report progress, keep its result file.

``start_job`` writes a :class:`~poc.models.BackgroundJob` and enqueues its task through the transactional outbox
(``poc.notifications.outbox``): the task is published when the transaction commits, and a broker outage only
delays it (the drain publishes it later). The task receives the job's id first, then ``args``, and does its work
through :func:`execute`, which skips a job already done (a second delivery changes nothing), records progress,
keeps the result file and marks the job failed once retries are exhausted.
"""
import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from .models import BackgroundJob, JobState

logger = logging.getLogger(__name__)

NOT_RETRIED = (PermissionError, ObjectDoesNotExist)  # trying again changes nothing
REPORT_EVERY = 50  # rows between two progress reports


def start_job(user, kind: str, task_name: str, args=()) -> BackgroundJob:
    """Create a queued job of ``kind`` for ``user`` and enqueue ``task_name(job.pk, *args)`` on commit."""
    from .notifications.outbox import enqueue

    with transaction.atomic():
        job = BackgroundJob.objects.create(owner=user, kind=kind, language=translation.get_language() or "")
        enqueue(task_name, [job.pk, *args])
    return job


def report(job_id: int, progress: int, message: str = "") -> None:
    """Record the progress (0–100) of a running job; visible at once to the page polling it."""
    progress = max(0, min(100, int(progress)))
    BackgroundJob.objects.filter(pk=job_id).exclude(state=JobState.DONE).update(
        state=JobState.RUNNING, progress=progress, message=str(message)[:300])


class Progress:
    """Calls ``report`` every ``every`` items out of ``total`` (progress up to ``ceiling`` %, leaving room to save)."""

    def __init__(self, job_id: int, total: int, every: int = REPORT_EVERY, ceiling: int = 95):
        self.job_id, self.total, self.every, self.ceiling = job_id, total, every, ceiling

    def __call__(self, done: int) -> None:
        if done % self.every and done != self.total:
            return
        percent = self.ceiling * done // self.total if self.total else self.ceiling
        from django.utils.translation import gettext as _

        report(self.job_id, percent, _("%(done)s of %(total)s rows written") % {"done": done, "total": self.total})


def execute(task, job_id: int, build) -> bool:
    """Run ``build(job) -> (file name, bytes)`` for job ``job_id`` and keep the file; True if it ran to the end.

    A job that is done (or gone) is not run again. A failure is retried by the task (``task.retry``) while
    retries remain; after the last one, or at once when tasks run in-process, the job is marked failed."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or job.state == JobState.DONE:
        return False
    report(job_id, 0)
    try:
        with translation.override(job.language or None):
            name, content = build(job)
    except Exception as exc:
        eager = bool(getattr(task.request, "is_eager", False))
        if not eager and not isinstance(exc, NOT_RETRIED) and task.request.retries < (task.max_retries or 0):
            raise task.retry(exc=exc, countdown=min(600, 10 * 2 ** task.request.retries)) from exc
        logger.exception("background job %s (%s) failed", job_id, job.kind)
        BackgroundJob.objects.filter(pk=job_id).update(state=JobState.FAILED, finished_at=timezone.now(),
                                                       error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    job.refresh_from_db()
    job.result.save(name, ContentFile(content), save=False)
    job.result_name = name
    job.state, job.progress, job.message, job.error = JobState.DONE, 100, "", ""
    job.finished_at = timezone.now()
    job.save(update_fields=["result", "result_name", "state", "progress", "message", "error", "finished_at"])
    return True
