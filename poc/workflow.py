"""Running a workflow transition: the one path every page, API call and job goes through.

It asks the model's declared transition whether the user may run it now (poc.rules), requires a
reason where the transition says so, runs it under a row lock, saves, writes the immutable audit
row and announces the change. A transition that declares a consequence (``custom={"then": "method"}``)
then runs that method of the saved object in the same database transaction: it moves the objects the
change concerns through their own transitions (each audited), and a refusal there undoes the whole step.
A refusal changes nothing.
"""
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from .errors import BadInput, NotAllowed, NotNow
from .models import TransitionLog
from .rules import check_transition, describe, state_field, transition_methods
from .signals import created, created_in_bulk, state_changed


def run_transition(obj, name: str, user, comment: str = "", **details):
    """Run transition ``name`` on ``obj`` as ``user``; return the saved object.

    Raises NotAllowed (403), NotNow (409) or BadInput (400); nothing is changed on refusal.
    """
    model = type(obj)
    if name not in transition_methods(model):
        raise BadInput(_("Unknown step “%(name)s”.") % {"name": name})
    comment = (comment or "").strip()
    try:
        with transaction.atomic():
            if hasattr(obj, "lock_for_transition"):
                obj.lock_for_transition()
            locked = model.objects.select_for_update().get(pk=obj.pk)
            check = check_transition(locked, name, user)
            if not check.allowed:
                raise (NotAllowed if check.status == 403 else NotNow)(*check.reasons)
            if check.needs_comment and not comment:
                raise BadInput(
                    _("“%(action)s” needs a reason: please write a comment.") % {"action": check.label},
                    field_errors={"comment": [_("A reason is required.")]},
                )
            fsm_field = state_field(locked)
            source = fsm_field.get_state(locked)
            getattr(locked, name)(by=user, comment=comment, **details)
            locked.save()
            target = fsm_field.get_state(locked)
            log = TransitionLog.objects.create(
                subject=locked, transition=name, source=source, target=target,
                actor=user if getattr(user, "pk", None) else None, comment=comment,
            )
            state_changed.send(
                sender=model, instance=locked, transition=name, source=source, target=target, actor=user,
                comment=comment, log=log,
            )
            then = describe(model, name)["custom"].get("then")
            if then:
                getattr(locked, then)(by=user, comment=comment, log=log)
    except ConcurrentTransition:
        raise NotNow(_("Someone else changed this record at the same moment; reload it and try again.")) from None
    return locked


def record_creation(obj, user, comment: str = ""):
    """The first audit row of a workflow object: created in its initial state."""
    state = state_field(obj).get_state(obj)
    log = TransitionLog.objects.create(subject=obj, transition="create", source="", target=state, actor=user,
                                       comment=comment)
    created.send(sender=type(obj), instance=obj, actor=user, comment=comment, log=log)
    return log


def record_creations(model, pks, target: str, user, comments) -> list[int]:
    """The first audit rows of many workflow objects of one model (``pks``, all created in state ``target``),
    written in one statement; return the rows' ids in the objects' order.

    ``comments`` gives each object's comment (a list in the objects' order). One ``created_in_bulk``
    signal follows, so the inbox can tell each person once about the whole batch.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from .bulk import insert_rows

    pks = list(pks)
    if not pks:
        return []
    content_type = ContentType.objects.get_for_model(model)
    actor_id = user.pk if getattr(user, "pk", None) else None
    at = timezone.now()
    insert_rows(TransitionLog, ["content_type", "object_id", "transition", "source", "target", "actor", "comment",
                                "created_at"],
                ((content_type.pk, pk, "create", "", str(target), actor_id, comment, at)
                 for pk, comment in zip(pks, comments, strict=True)))
    by_object = dict(TransitionLog.objects.filter(content_type=content_type, transition="create", created_at=at,
                                                  actor_id=actor_id).values_list("object_id", "pk"))
    log_ids = [by_object[pk] for pk in pks]
    created_in_bulk.send(sender=model, pks=pks, actor=user, log_ids=log_ids)
    return log_ids
