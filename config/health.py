"""``/health/``: is this web process able to serve, and how are the services behind it? Machine-readable JSON.

For the load balancer and the operator. It answers 200 while the database answers (a broker or worker outage
only delays notifications: the outbox keeps them), 503 otherwise; the body names each check with its state
and timing, the outbox's backlog and the age of its oldest row, and how long ago a worker last beat. No
private data: counts, ages and exception class names only. Public (no login) and exempt from the HTTPS
redirect (SECURE_REDIRECT_EXEMPT) so a probe over plain HTTP inside the network works.
"""
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

OUTBOX_LATE = 300  # seconds: an unsent outbox row older than this means publishing is failing
WORKER_LATE = 180  # seconds without a worker heartbeat (it beats every 30 s)


class _Late(Exception):
    """A check that answered, with facts that say the service is behind."""

    def __init__(self, facts):
        super().__init__("late")
        self.facts = facts


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = "pochub:health"
    cache.set(key, "1", timeout=30)
    if cache.get(key) != "1":
        raise RuntimeError("cache read back nothing")
    return {"shared": not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")}


def _eager() -> bool:
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)) or not settings.CELERY_BROKER_URL


def _broker():
    if _eager():
        return {"mode": "in-process"}
    from celery import current_app as app

    timeout = float(getattr(settings, "OUTBOX_PUBLISH_TIMEOUT", 0.5))
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "max_retries": 0}
    with app.connection_for_write(settings.CELERY_BROKER_URL, connect_timeout=timeout,
                                  transport_options=options) as conn:
        conn.default_channel.client.ping()
    return {"mode": "redis"}


def _outbox():
    from poc.models import OutboxMessage

    pending = OutboxMessage.objects.filter(sent_at__isnull=True)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    age = round((timezone.now() - oldest).total_seconds()) if oldest else 0
    if age > OUTBOX_LATE:
        raise _Late({"backlog": pending.count(), "oldest_age_seconds": age})
    return {"backlog": pending.count(), "oldest_age_seconds": age}


def _worker():
    if _eager():
        return {"mode": "in-process"}
    from poc.tasks import HEARTBEAT_KEY

    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        raise _Late({"last_beat_seconds": None})
    age = round(timezone.now().timestamp() - float(beat))
    if age > WORKER_LATE:
        raise _Late({"last_beat_seconds": age})
    return {"last_beat_seconds": age}


def _run(check) -> dict:
    started = time.monotonic()
    try:
        result = {"ok": True, **(check() or {})}
    except _Late as late:
        result = {"ok": False, **late.facts}
    except Exception as exc:  # the class name only: messages may hold addresses or credentials
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


@never_cache
@require_GET
def health(request):
    checks = {"database": _run(_database), "cache": _run(_cache), "broker": _run(_broker)}
    checks["outbox"] = _run(_outbox) if checks["database"]["ok"] else {"ok": False, "error": "database"}
    checks["worker"] = _run(_worker) if checks["cache"]["ok"] else {"ok": False, "error": "cache"}
    serving = checks["database"]["ok"]
    status = "ok" if all(c["ok"] for c in checks.values()) else ("degraded" if serving else "down")
    return JsonResponse({"status": status, "checks": checks}, status=200 if serving else 503)
