"""Background tasks of poc."""
from celery import shared_task


@shared_task(acks_late=True)
def ping(value: str = "pong") -> str:
    """A health check: a worker that answers proves the broker round trip works."""
    return value


@shared_task(acks_late=True)
def expire_centers() -> list[str]:
    """Nightly: expire designated centers past their validity. Idempotent."""
    from .center_services import expire_centers as run
    from .roles import SYSTEM

    return run(SYSTEM)
