"""Background tasks of the transfer app."""
from celery import shared_task


@shared_task(acks_late=True)
def remind_trials_ending() -> int:
    """Daily: reminders before 先用后转 trials end (idempotent)."""
    from .services.licences import remind_trials_ending as run

    return run()
