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
    """Notify each person a batch of creations concerns, once for all of them (key ``<kind>:batch:<first log>``).

    Set-based: per rule one query groups the batch's objects by the user they concern (ids and the facts'
    fields only), then the users and one object per user are loaded; whatever the batch's size."""
    from django.contrib.auth import get_user_model

    logs = TransitionLog.objects.filter(pk__in=log_ids)
    first = logs.select_related("content_type").order_by("pk").first()
    if first is None:
        return 0
    model = first.content_type.model_class()
    if model is None:
        return 0
    count = 0
    for rule in notification_rules.batch_rules_for(model):
        rows = (model._default_manager.filter(pk__in=logs.values("object_id"))
                .filter(**{f"{rule.recipient}__is_active": True})
                .values_list(rule.recipient, "pk", *rule.fields).order_by("pk"))
        names = ("pk", *rule.fields)
        per_user: dict[int, list[dict]] = {}
        for user_id, *values in rows:
            if user_id is not None and user_id != first.actor_id:
                per_user.setdefault(user_id, []).append(dict(zip(names, values, strict=True)))
        users = get_user_model()._default_manager.in_bulk(list(per_user))
        about = model._default_manager.in_bulk([objects[0]["pk"] for objects in per_user.values()])
        batch = [(users[user_id], about[objects[0]["pk"]],
                  rule.facts(objects) if rule.facts else {"count": len(objects)})
                 for user_id, objects in per_user.items()]
        deliver_batch(rule, batch, key=f"{rule.kind}:batch:{first.pk}")
        count += len(batch)
    return count
