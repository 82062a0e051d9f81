"""The transactional outbox: background work that survives a broker outage.

``enqueue`` writes an :class:`~poc.models.OutboxMessage` in the caller's transaction (so the work exists exactly
when the user's change does) and asks to publish it on commit. ``publish`` sends one row to the broker, or runs
it in-process when tasks are eager (no broker configured); a failure is recorded on the row, never raised into
the request. ``drain`` (every minute, from beat) publishes what is left once the broker is back.

A row is marked sent in the same transaction that holds its row lock while publishing, so two publishers never
both send it; should a process die after publishing and before committing, the row is published again and the
idempotent task absorbs the second delivery.
"""
import logging
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from poc.models import OutboxMessage

logger = logging.getLogger(__name__)

# Publishing must fail fast when the broker is down or hangs: the request is waiting (the drain retries later).
# One try with short socket timeouts (settings.OUTBOX_PUBLISH_TIMEOUT), and no result-backend subscription.
DRAIN_BATCH = 500


def enqueue(task_name: str, args=()) -> OutboxMessage:
    """Record ``task_name(*args)`` in the current transaction; publish it once the transaction commits."""
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args))
    transaction.on_commit(lambda: publish(message.pk), robust=True)
    return message


def _task(name: str):
    module, attribute = name.rsplit(".", 1)
    return getattr(import_module(module), attribute)


def _eager() -> bool:
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)) or not settings.CELERY_BROKER_URL


def _dispatch(message: OutboxMessage) -> None:
    """Hand ``message`` to the broker, or run it here when tasks are eager. Raises on failure."""
    if _eager():
        with transaction.atomic():  # a failed run leaves nothing half-written
            _task(message.task_name).apply(args=message.args, task_id=message.task_id, throw=True)
        return
    from celery import current_app as app  # config.celery's app (apps never import config)

    timeout = float(getattr(settings, "OUTBOX_PUBLISH_TIMEOUT", 0.5))
    # max_retries 0: kombu would otherwise sleep 2 s and connect again within the request
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "retry_on_timeout": False,
               "max_retries": 0}
    with app.connection_for_write(settings.CELERY_BROKER_URL, connect_timeout=timeout,
                                  transport_options=options) as connection:
        app.send_task(message.task_name, args=message.args, task_id=message.task_id, connection=connection,
                      retry=False)


def backlog() -> int:
    """How many rows wait to be published."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


SENT, SKIPPED, FAILED = "sent", "skipped", "failed"


def publish(pk: int) -> bool:
    """Publish outbox row ``pk`` unless it is sent already or being sent; True if this call sent it.

    Never raises: a failure counts an attempt and keeps the error on the row for the drain to retry."""
    return _attempt(pk) == SENT


def _attempt(pk: int) -> str:
    try:
        with transaction.atomic():
            message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, sent_at__isnull=True).first())
            if message is None:
                return SKIPPED
            message.attempts += 1
            try:
                _dispatch(message)
            except Exception as exc:  # the broker is down, or the in-process run failed
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.save(update_fields=["attempts", "last_error"])
                logger.warning("outbox %s (%s) not published, attempt %s, backlog %s: %s", pk, message.task_name,
                               message.attempts, backlog(), message.last_error.splitlines()[0][:300])
                return FAILED
            message.sent_at = timezone.now()
            message.save(update_fields=["attempts", "sent_at"])
            return SENT
    except Exception as exc:  # even the database let us down: the row (if any) stays for the drain
        logger.warning("outbox %s not published, the database failed: %s: %s", pk, type(exc).__name__,
                       str(exc).splitlines()[0][:300] if str(exc) else "")
        return FAILED


def drain(limit: int = DRAIN_BATCH) -> int:
    """Publish unsent rows, the least-tried and oldest first; return how many were sent. With a broker, stop at
    the first failure (it is still down; the next run tries again)."""
    sent = 0
    pending = (OutboxMessage.objects.filter(sent_at__isnull=True).order_by("attempts", "created_at", "id")
               .values_list("pk", flat=True)[:limit])
    for pk in list(pending):
        outcome = _attempt(pk)
        if outcome == SENT:
            sent += 1
        elif outcome == FAILED and not _eager():
            break
    return sent
