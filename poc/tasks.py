"""Background tasks of poc."""
from celery import shared_task


@shared_task(acks_late=True)
def ping(value: str = "pong") -> str:
    """A health check: a worker that answers proves the broker round trip works."""
    return value
