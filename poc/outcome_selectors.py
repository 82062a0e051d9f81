"""Page reads of life after approval (designated centers, funded projects): overviews, flags, history.

Visibility has one source, :mod:`poc.after_approval_selectors` (shared with the API): officers see all;
applicants their institution's; everybody else nothing. That is the predicate of
``center_services.may_view_center`` and ``project_services.may_view_project``, so a list can never show
what the detail page forbids. Everything here only narrows those querysets.
"""
from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from .after_approval_selectors import centers_visible_to, evaluations_visible_to, projects_visible_to
from .horizons import EXPIRY_WARNING_DAYS, OBLIGATION_WARNING_DAYS
from .models import (
    AnnualEvaluation,
    CenterState,
    EvaluationState,
    ProjectMilestone,
    ProjectState,
    TransitionLog,
)
from .models.projects import ACTIVE_PROJECT_STATES
from .roles import is_officer
from .selectors import history_of

CENTERS_IN_FORCE = (CenterState.ACTIVE, CenterState.RECTIFYING)


# ---------------------------------------------------------------- centers

def center_for(user, pk):
    """One center the user may view, or None (the caller answers 404)."""
    return centers_visible_to(user).filter(pk=pk).first()


def with_latest_grade(centers):
    """Annotate the latest scored evaluation: ``latest_grade``, ``latest_score``, ``latest_year``."""
    latest = (AnnualEvaluation.objects.filter(center=OuterRef("pk"), state=EvaluationState.SCORED)
              .order_by("-data_year"))
    return centers.annotate(latest_grade=Subquery(latest.values("grade")[:1]),
                            latest_score=Subquery(latest.values("score")[:1]),
                            latest_year=Subquery(latest.values("data_year")[:1]))


def expiring_centers(centers, today=None, days=EXPIRY_WARNING_DAYS):
    """Centers in force whose designation ends within ``days`` days (inclusive), soonest first."""
    today = today or timezone.localdate()
    return centers.filter(state__in=CENTERS_IN_FORCE, valid_until__gte=today,
                          valid_until__lte=today + timedelta(days=days)).order_by("valid_until")


def evaluation_for(user, pk):
    return evaluations_visible_to(user).filter(pk=pk).first()


def evaluations_waiting_for_score(user):
    return evaluations_visible_to(user).filter(state=EvaluationState.FILED).order_by("filed_at")


def public_center_facts(centers):
    """Only the public columns of centers (no contact, no evaluation, no state)."""
    return centers.only("pk", "name", "center_type", "designation_number", "designated_on", "valid_until",
                        "services", "institution__name", "institution__district")


# --------------------------------------------------------------- projects

def project_for(user, pk):
    return projects_visible_to(user).filter(pk=pk).first()


def project_state_counts(projects):
    """{state: n} over ``projects``."""
    return {row["state"]: row["n"] for row in projects.values("state").annotate(n=Count("id")).order_by()}


def overdue_milestones(projects, today=None):
    """Milestones past their due date without a report, on projects being executed."""
    today = today or timezone.localdate()
    return (ProjectMilestone.objects.filter(project__in=projects,
                                            project__state__in=[ProjectState.IN_PROGRESS, ProjectState.RECTIFYING],
                                            due_on__lt=today, reported_at__isnull=True)
            .select_related("project__institution").order_by("due_on"))


def _obligation_open(projects):
    """Projects whose conversion obligation still runs: active, and no acceptance found it met."""
    return (projects.filter(state__in=ACTIVE_PROJECT_STATES, obligation_due_on__isnull=False)
            .exclude(acceptances__obligation_met=True))


def obligations_due_soon(projects, today=None, days=OBLIGATION_WARNING_DAYS):
    """Open conversion obligations due within ``days`` days (inclusive), soonest first."""
    today = today or timezone.localdate()
    return _obligation_open(projects).filter(obligation_due_on__gte=today,
                                             obligation_due_on__lte=today + timedelta(days=days)) \
        .order_by("obligation_due_on")


def obligations_overdue(projects, today=None):
    today = today or timezone.localdate()
    return _obligation_open(projects).filter(obligation_due_on__lt=today).order_by("obligation_due_on")


def obligation_status(project, today=None) -> str:
    """met, overdue, due_soon, open, or closed (the project ended without meeting it)."""
    today = today or timezone.localdate()
    if any(a.obligation_met for a in project.acceptances.all()):
        return "met"
    if project.state not in ACTIVE_PROJECT_STATES or project.obligation_due_on is None:
        return "closed"
    if project.obligation_due_on < today:
        return "overdue"
    if project.obligation_due_on <= today + timedelta(days=OBLIGATION_WARNING_DAYS):
        return "due_soon"
    return "open"


def last_comment(obj, transitions) -> str:
    """The comment of the latest audit row of ``obj`` for one of ``transitions`` (a decision's reason)."""
    log = TransitionLog.objects.for_object(obj).filter(transition__in=transitions).order_by("-created_at", "-id") \
        .first()
    return log.comment if log else ""


def change_requests_of(project):
    return project.change_requests.select_related("requested_by", "decided_by").order_by("-requested_at", "-id")


# --------------------------------------------------------------- history

def timeline_of(subjects, viewer):
    """The merged history of ``subjects`` (pairs of (object, prefix)), oldest first, as ``viewer`` may see it.

    Same policy as the application history (``selectors.timeline_for``): officers see who did each step;
    everyone else sees names only on applicant-facing steps, and "Bureau officer" on every bureau step.
    Rows without an actor were written by the nightly job ("System").
    """
    from django.utils.translation import gettext as _

    from .roles import ROLE_NAMES
    from .rules import describe, state_field

    officer_view = is_officer(viewer)
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


__all__ = [
    "centers_visible_to", "evaluations_visible_to", "projects_visible_to", "center_for", "centers_visible_to", "evaluation_for", "evaluations_visible_to",
    "expiring_centers", "obligation_status", "obligations_due_soon", "obligations_overdue", "overdue_milestones",
    "project_for", "project_state_counts", "projects_visible_to", "timeline_of", "with_latest_grade",
]
