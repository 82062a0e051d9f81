"""Reads of funded projects and their records (milestones, change requests, acceptances), permission-filtered.

Visibility is the access policy's (``poc.access.policies``, read through ``visible``): officers see all;
applicants their institution's; everybody else nothing.
"""
from datetime import timedelta

from django.db.models import Count, Prefetch
from django.utils import timezone

from poc.access import visible
from poc.horizons import OBLIGATION_WARNING_DAYS

from .models import Acceptance, ChangeRequest, Project, ProjectMilestone, ProjectState


def projects_visible_to(user):
    qs = Project.objects.select_related("institution", "application__call").prefetch_related(
        Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("month", "id")))
    return visible(user, qs)


def milestones_visible_to(user):
    qs = ProjectMilestone.objects.select_related("project__institution")
    return visible(user, qs)


def change_requests_visible_to(user):
    qs = ChangeRequest.objects.select_related("project__institution")
    return visible(user, qs)


def acceptances_visible_to(user):
    qs = Acceptance.objects.select_related("project__institution")
    return visible(user, qs)




def project_state_counts(projects):
    """{state: n} over ``projects``."""
    return {row["state"]: row["n"] for row in projects.values("state").annotate(n=Count("id")).order_by()}


def overdue_milestones(projects, today=None):
    """Milestones past their due date without a report, on projects being executed."""
    today = today or timezone.localdate()
    return (ProjectMilestone.objects.filter(project__in=projects,
                                            project__state__in=ProjectState.EXECUTING,
                                            due_on__lt=today, reported_at__isnull=True)
            .select_related("project__institution").order_by("due_on"))


def open_obligations(projects):
    """Projects whose conversion obligation still runs: active, and no acceptance found it met."""
    return (projects.filter(state__in=ProjectState.ACTIVE, obligation_due_on__isnull=False)
            .exclude(acceptances__obligation_met=True))


def obligations_due_soon(projects, today=None, days=OBLIGATION_WARNING_DAYS):
    """Open conversion obligations due within ``days`` days (inclusive), soonest first."""
    today = today or timezone.localdate()
    return open_obligations(projects).filter(obligation_due_on__gte=today,
                                             obligation_due_on__lte=today + timedelta(days=days)) \
        .order_by("obligation_due_on")


def obligations_overdue(projects, today=None):
    today = today or timezone.localdate()
    return open_obligations(projects).filter(obligation_due_on__lt=today).order_by("obligation_due_on")


def obligation_status(project, today=None) -> str:
    """met, overdue, due_soon, open, or closed (the project ended without meeting it)."""
    today = today or timezone.localdate()
    if any(a.obligation_met for a in project.acceptances.all()):
        return "met"
    if project.state not in ProjectState.ACTIVE or project.obligation_due_on is None:
        return "closed"
    if project.obligation_due_on < today:
        return "overdue"
    if project.obligation_due_on <= today + timedelta(days=OBLIGATION_WARNING_DAYS):
        return "due_soon"
    return "open"


def change_requests_of(project):
    return project.change_requests.select_related("requested_by", "decided_by").order_by("-requested_at", "-id")
