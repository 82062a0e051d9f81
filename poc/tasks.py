"""Background tasks of poc."""
from celery import shared_task


@shared_task(acks_late=True, ignore_result=False)
def ping(value: str = "pong") -> str:
    """A health check: a worker that answers proves the broker round trip works."""
    return value


@shared_task(acks_late=True)
def expire_centers() -> list[str]:
    """Nightly: expire designated centers past their validity. Idempotent."""
    from .centers.services import expire_centers as run
    from .roles import SYSTEM

    return run(SYSTEM)


# ---------------------------------------------------------------- notifications and the outbox
# Enqueued through poc.notifications.outbox (written in the user's transaction, published on commit).
# Every task is idempotent: a second delivery of the same message changes nothing.


def _fresh_content_types() -> None:
    """A worker lives long and caches content-type ids; a database that was flushed or restored meanwhile (the
    test suite flushes it between transactional tests) has new ones. Read them afresh for each job."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600,
             max_retries=8, ignore_result=False)  # how many were notified, for the operator
def fan_out_notification(self, log_id: int) -> int:
    """Notify everyone a workflow event concerns (inbox + email), from its audit row ``log_id``."""
    from .notifications.fanout import fan_out

    _fresh_content_types()
    return fan_out(log_id)


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def fan_out_batch(self, log_ids: list[int]) -> int:
    """Tell each person once about a batch of creations (a whole call's assignments), from its audit rows."""
    from .notifications.fanout import fan_out_batch as fan_out_many

    _fresh_content_types()
    return fan_out_many(log_ids)


@shared_task(acks_late=True, ignore_result=False)  # how many were published, for the operator
def drain_outbox() -> int:
    """Every minute: publish outbox rows left unsent (the broker was down when the user acted)."""
    from .notifications.outbox import drain

    return drain()


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def send_reminders(self, *checks: str) -> dict[str, int]:
    """Daily: deadline reminders (all checks, or the named ones). Each fires once per kind, subject and due date."""
    from .notifications.reminders import run

    _fresh_content_types()
    return run(*checks)


@shared_task(acks_late=True)
def recover_stale_jobs() -> dict[str, int]:
    """Every two minutes: re-queue (once) or fail the background jobs whose worker died (no heartbeat)."""
    from .jobs import recover_stale

    return recover_stale()


HEARTBEAT_KEY = "pochub:worker-heartbeat"


@shared_task(acks_late=True, expires=60)
def heartbeat() -> None:
    """Every 30 seconds: the worker's sign of life (a time stamp in the shared cache), read by /health/."""
    from django.core.cache import cache
    from django.utils import timezone

    cache.set(HEARTBEAT_KEY, timezone.now().timestamp(), timeout=3600)


@shared_task(acks_late=True)
def housekeeping() -> dict[str, int]:
    """Daily: delete old notifications, job files, sent outbox rows and expired sessions (settings.RETENTION)."""
    from .housekeeping import clean_up

    return clean_up()


@shared_task(bind=True, acks_late=True, max_retries=3)
def run_export(self, job_id: int, name: str, fmt: str, params: dict) -> bool:
    """An export (poc.exports) for the job's owner, written with progress. Access is asked again now: a user who
    lost the right since starting it gets nothing (the job fails), and the rows are those they may see now."""
    from django.http import Http404

    from .errors import NotAllowed
    from .exports import build
    from .jobs import Progress, execute

    def build_file(job):
        try:
            return build(job.owner, name, fmt, params, progress=lambda total: Progress(job_id, total))
        except NotAllowed as exc:
            raise PermissionError(exc.detail) from exc
        except Http404 as exc:  # the call (or other object) is no longer theirs to see
            raise PermissionError("not visible to the job's owner") from exc

    return execute(self, job_id, build_file)
