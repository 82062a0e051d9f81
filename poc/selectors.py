"""General reads: the audit history of any workflow object, as a viewer may see it, and reference data.

The reads of each aggregate live in its package (``poc.applications.selectors``, ``poc.centers.selectors``,
``poc.projects.selectors``, ``poc.institutions.selectors``).
"""
from django.contrib.contenttypes.models import ContentType

from .access import officer
from .models import TransitionLog


def history_of(obj):
    return (
        TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def last_comment(obj, transitions) -> str:
    """The comment of the latest audit row of ``obj`` for one of ``transitions`` (a decision's reason)."""
    log = TransitionLog.objects.for_object(obj).filter(transition__in=transitions).order_by("-created_at", "-id") \
        .first()
    return log.comment if log else ""


def timeline_of(subjects, viewer):
    """The merged history of ``subjects`` (pairs of (object, prefix)), oldest first, as ``viewer`` may see it.

    Same policy as the application history (``poc.applications.selectors.timeline_for``): officers see who did each step;
    everyone else sees names only on applicant-facing steps, and "Bureau officer" on every bureau step.
    Rows without an actor were written by the nightly job ("System").
    """
    from django.utils.translation import gettext as _

    from .roles import ROLE_NAMES
    from .rules import describe, state_field

    officer_view = officer.holds(viewer)
    entries = []
    for obj, prefix in subjects:
        model = type(obj)
        states = dict(state_field(obj).flatchoices)
        for log in history_of(obj):
            if log.transition == "create":
                label, applicant_facing = _("Created"), True
            else:
                try:
                    custom = describe(model, log.transition)["custom"]
                except LookupError:
                    custom = {}
                label = str(custom.get("label", log.transition))
                applicant_facing = bool(custom.get("applicant_facing"))
            if log.actor is None:
                actor = _("System")
            elif officer_view or applicant_facing:
                actor = log.actor.get_full_name() or log.actor.username
            else:
                actor = str(ROLE_NAMES["officer"])
            entries.append({
                "at": log.created_at, "id": log.pk, "transition": log.transition,
                "label": f"{prefix}{label}" if prefix else label, "actor": actor,
                "source": str(states.get(log.source, log.source)) if log.source else "",
                "target": str(states.get(log.target, log.target)), "comment": log.comment,
            })
    entries.sort(key=lambda e: (e["at"], e["id"]))
    return entries


def disciplines():
    """The taxonomy of disciplines and industries (学科/产业领域): public reference data."""
    from .models import Discipline

    return Discipline.objects.select_related("parent").order_by("code")
