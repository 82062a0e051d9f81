"""Running a workflow transition: the one path every page, API call and job goes through.

It asks the model's declared transition whether the user may run it now (poc.rules), requires a
reason where the transition says so, runs it under a row lock, saves, writes the immutable audit
row and announces the change. A refusal changes nothing.
"""
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from .errors import BadInput, NotAllowed, NotNow
from .models import TransitionLog
from .rules import check_transition, state_field, transition_methods
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


def record_creations(objs, user, comments) -> list:
    """The first audit rows of many workflow objects of one model, written in one statement.

    ``comments`` gives each object's comment (a list in the objects' order). One ``created_in_bulk``
    signal follows, so the inbox can tell each person once about the whole batch.
    """
    from django.contrib.contenttypes.models import ContentType

    objs = list(objs)
    if not objs:
        return []
    model = type(objs[0])
    content_type = ContentType.objects.get_for_model(model)
    fsm_field = state_field(objs[0])
    actor = user if getattr(user, "pk", None) else None
    logs = TransitionLog.objects.bulk_create([
        TransitionLog(content_type=content_type, object_id=obj.pk, transition="create", source="",
                      target=fsm_field.get_state(obj), actor=actor, comment=comment)
        for obj, comment in zip(objs, comments, strict=True)])
    created_in_bulk.send(sender=model, instances=objs, actor=user, logs=logs)
    return logs
