"""Relations of the expert review, decided from the assignment rows (see poc/access/).

Each relation answers for one object (``holds``/``reasons``) and for a whole table (``q``), so an
expert's lists show exactly what the expert's detail pages allow. Models are imported when a relation
is asked, not when it is declared: the models' transitions declare their ``permission=`` with these.
"""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from poc.access import expert, relation
from poc.access.relations import signed_in


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def _follow(obj, path: str):
    """``obj`` followed along a ``__`` path of foreign keys; None when a link is missing."""
    for part in path.split("__") if path else ():
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def _active_assignments(user):
    from .models import Assignment, AssignmentState

    return Assignment.objects.filter(expert__user=user, state=AssignmentState.ACTIVE)


def assigned_expert(path: str = "", refusal=None):
    """The expert of the assignment at ``obj.<path>`` (``""``: the object is the assignment), holding the
    expert role. Whether the assignment is still active is a separate relation (:func:`assignment_active`)."""

    def test(obj, user):
        assignment = _follow(obj, path)
        return (assignment is not None and expert.holds(user)
                and assignment.expert.user_id == getattr(user, "pk", None))

    def query(user):
        return Q(**{f"{_prefix(path)}expert__user": user}) if expert.holds(user) else None

    return relation(f"assigned_expert({path})", test=test, query=query,
                    refusal=refusal or _("Only the assigned expert can do this."))


def assignment_active(path: str = ""):
    """The assignment at ``obj.<path>`` is active (not voided by an unassignment or a conflict).

    Its row decides, not the copy in memory: an object fetched before the assignment was voided loses the
    access as soon as the assignment is voided."""

    def test(obj, user):
        from .models import Assignment, AssignmentState

        assignment = _follow(obj, path)
        if assignment is None:
            return False
        if assignment.pk is None:
            return assignment.state == AssignmentState.ACTIVE
        return Assignment.objects.filter(pk=assignment.pk, state=AssignmentState.ACTIVE).exists()

    def query(user):
        from .models import AssignmentState

        return Q(**{f"{_prefix(path)}state": AssignmentState.ACTIVE})

    return relation(f"assignment_active({path})", test=test, query=query,
                    refusal=_("This assignment was voided."))


def expert_in_call(path: str = "call"):
    """An expert with an active assignment in the call at ``obj.<path>`` (they score against its rubric)."""

    def test(obj, user):
        call = _follow(obj, path)
        return signed_in(user) and call is not None and _active_assignments(user).filter(
            application__call=call).exists()

    def query(user):
        if not signed_in(user):
            return None
        return Q(**{f"{_prefix(path)}pk__in": _active_assignments(user).values("application__call_id")})

    return relation(f"expert_in_call({path})", test=test, query=query,
                    refusal=_("Only an expert assigned in this call can do this."))


assigned_expert_of_application = relation(
    "assigned_expert_of_application",
    test=lambda application, user: signed_in(user) and application is not None
    and _active_assignments(user).filter(application=application).exists(),
    query=lambda user: Q(pk__in=_active_assignments(user).values("application_id")) if signed_in(user) else None,
    refusal=_("Only an expert assigned to this application can do this."), label=_("The assigned expert"),
)
