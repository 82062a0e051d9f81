"""Reads of life after approval (centers, evaluations, projects and their records), permission-filtered.

One rule for every list and every detail (DESIGN §3): officers see everything; an applicant sees what
belongs to its own institution (``center_rules.is_member_of``: the applicant role and the institution's
group); everybody else sees nothing. The same predicate as ``center_services.may_view_center`` and
``project_services.may_view_project``, as querysets, so a list never shows what a detail refuses.
"""
from django.db.models import Prefetch

from .models import (
    Acceptance,
    AnnualEvaluation,
    Center,
    ChangeRequest,
    EvaluationEvidence,
    Institution,
    Project,
    ProjectMilestone,
)
from .roles import APPLICANT, has_role, is_officer


def _own_institutions(user):
    """The institutions whose members the user is (as an applicant), or None for officers (all)."""
    if is_officer(user):
        return None
    if not (user and user.is_authenticated and has_role(user, APPLICANT)):
        return Institution.objects.none()
    return Institution.objects.filter(group__user=user)


def _visible(qs, user, path: str):
    own = _own_institutions(user)
    if own is None:
        return qs
    return qs.filter(**{f"{path}__in": own.values("pk")})


def centers_visible_to(user):
    qs = Center.objects.select_related("institution", "application__call")
    return _visible(qs, user, "institution")


def evaluations_visible_to(user):
    qs = AnnualEvaluation.objects.select_related("center__institution", "center__application__call")
    return _visible(qs, user, "center__institution")


def evidence_visible_to(user):
    return _visible(EvaluationEvidence.objects.select_related("evaluation__center"), user,
                    "evaluation__center__institution")


def projects_visible_to(user):
    qs = Project.objects.select_related("institution", "application__call").prefetch_related(
        Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("month", "id")))
    return _visible(qs, user, "institution")


def milestones_visible_to(user):
    qs = ProjectMilestone.objects.select_related("project__institution")
    return _visible(qs, user, "project__institution")


def change_requests_visible_to(user):
    qs = ChangeRequest.objects.select_related("project__institution")
    return _visible(qs, user, "project__institution")


def acceptances_visible_to(user):
    qs = Acceptance.objects.select_related("project__institution")
    return _visible(qs, user, "project__institution")
