"""Listening to the workflow (poc.signals): an event that concerns someone becomes an outbox row, written in
the same transaction as the change itself; the fan-out task does the rest after commit."""
from django.dispatch import receiver

from poc.signals import created, created_in_bulk, state_changed

from . import outbox
from .registry import notification_rules

FAN_OUT_TASK = "poc.tasks.fan_out_notification"
FAN_OUT_BATCH_TASK = "poc.tasks.fan_out_batch"


def _enqueue_if_concerned(model, transition: str, instance, log) -> None:
    rules = notification_rules.rules_for(model, transition)
    if log is not None and any(rule.applies(instance, log) for rule in rules):
        outbox.enqueue(FAN_OUT_TASK, [log.pk])


@receiver(state_changed, dispatch_uid="poc.notifications.state_changed")
def on_state_changed(sender, instance, transition, log=None, **kwargs):
    _enqueue_if_concerned(sender, transition, instance, log)


@receiver(created, dispatch_uid="poc.notifications.created")
def on_created(sender, instance, log=None, **kwargs):
    _enqueue_if_concerned(sender, "create", instance, log)


@receiver(created_in_bulk, dispatch_uid="poc.notifications.created_in_bulk")
def on_created_in_bulk(sender, log_ids=(), **kwargs):
    """A batch (a whole call's assignments): one outbox row; the task tells each person once."""
    if log_ids and notification_rules.batch_rules_for(sender):
        outbox.enqueue(FAN_OUT_BATCH_TASK, [list(log_ids)])
