"""The background half of a workflow event: from its audit row to everyone it concerns.

Runs in the worker (or in-process without a broker) after the user's transaction committed. The audit row
names the object, the transition and the reason, so the task carries only the row's id; the event key
``<kind>:log:<id>`` makes a second delivery of the same task a no-op.
"""
from poc.models import TransitionLog

from .delivery import deliver, deliver_batch
from .registry import notification_rules


def event_key(kind: str, log_id: int) -> str:
    return f"{kind}:log:{log_id}"


def fan_out(log_id: int) -> int:
    """Notify everyone the transition (or creation) recorded in audit row ``log_id`` concerns; return how many
    notifications it stands for (existing ones included). The one who acted is not told of their own act."""
    log = TransitionLog.objects.select_related("content_type").filter(pk=log_id).first()
    if log is None:  # rolled back or gone: nothing happened to tell about
        return 0
    model = log.content_type.model_class()
    instance = model._default_manager.filter(pk=log.object_id).first() if model is not None else None
    if instance is None:
        return 0
    count = 0
    for rule in notification_rules.rules_for(model, log.transition):
        if not rule.applies(instance, log):
            continue
        users = [user for user in rule.audience(instance) if user.pk != log.actor_id]
        count += len(deliver(rule, instance, users, key=event_key(rule.kind, log.pk),
                             comment=log.comment if rule.with_reason else ""))
    return count


def fan_out_batch(log_ids: list[int]) -> int:
    """Notify each person a batch of creations concerns, once for all of them (key ``<kind>:batch:<first log>``)."""
    logs = list(TransitionLog.objects.select_related("content_type").filter(pk__in=log_ids).order_by("pk"))
    if not logs:
        return 0
    model = logs[0].content_type.model_class()
    if model is None:
        return 0
    actor_id = logs[0].actor_id
    count = 0
    for rule in notification_rules.batch_rules_for(model):
        instances = list(model._default_manager.filter(pk__in=[log.object_id for log in logs])
                         .select_related(*rule.related).order_by("pk"))
        per_user: dict = {}
        for instance in instances:
            for user in rule.audience(instance):
                if user.pk != actor_id:
                    per_user.setdefault(user.pk, (user, []))[1].append(instance)
        batch = [(user, objects[0], rule.facts(objects) if rule.facts else {"count": len(objects)})
                 for user, objects in per_user.values()]
        deliver_batch(rule, batch, key=f"{rule.kind}:batch:{logs[0].pk}")
        count += len(batch)
    return count
