"""Background jobs of the funding app."""
from celery import shared_task


@shared_task(acks_late=True)
def lapse_conversions() -> list[int]:
    """Nightly: close as grants the convertible grants past their deadline without a qualifying round."""
    from poc.roles import SYSTEM

    from .services import lapse_conversions as run

    return run(SYSTEM)
