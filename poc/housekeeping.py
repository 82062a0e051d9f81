"""Housekeeping (daily, from beat): delete what has served its time, as settings.RETENTION says.

Stored notifications older than NOTIFICATIONS_DAYS (the inbox and its email copies; an event key's
notification is what keeps it from being sent twice, so this stays far longer than any reminder's horizon),
finished background jobs and their result files older than JOB_FILES_DAYS, published outbox rows older than
OUTBOX_SENT_DAYS, and expired sessions. Never the audit trail (TransitionLog) nor any domain record."""
import logging
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .models import BackgroundJob, JobState, Notification, OutboxMessage

logger = logging.getLogger(__name__)

DEFAULTS = {"NOTIFICATIONS_DAYS": 730, "JOB_FILES_DAYS": 14, "OUTBOX_SENT_DAYS": 30}


def retention(name: str) -> timedelta:
    return timedelta(days=int({**DEFAULTS, **getattr(settings, "RETENTION", {})}[name]))


def clean_up(now=None) -> dict[str, int]:
    """Delete what is past its retention; return how many of each were deleted."""
    now = now or timezone.now()
    done = {}
    done["notifications"], _ = Notification.objects.filter(
        created_at__lt=now - retention("NOTIFICATIONS_DAYS")).delete()
    jobs = BackgroundJob.objects.filter(state__in=(JobState.DONE, JobState.FAILED),
                                        finished_at__lt=now - retention("JOB_FILES_DAYS"))
    done["job_files"] = 0
    for job in jobs.iterator():
        if job.result:
            job.result.delete(save=False)  # the file in private storage
            done["job_files"] += 1
    done["jobs"], _ = jobs.delete()
    done["outbox"], _ = OutboxMessage.objects.filter(
        sent_at__isnull=False, sent_at__lt=now - retention("OUTBOX_SENT_DAYS")).delete()
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    logger.info("housekeeping: %s", done)
    return done
