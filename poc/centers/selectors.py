"""Reads of designated centers and their annual evaluations, permission-filtered.

One rule for every list and every detail: the access policy (``poc.access.policies``: officers see
everything; an applicant what belongs to its own institution; everybody else nothing), read through
``visible``, so a list never shows what a detail refuses. Everything else here only narrows them.
"""
from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from poc.access import visible
from poc.horizons import EXPIRY_WARNING_DAYS

from .models import AnnualEvaluation, Center, CenterState, EvaluationEvidence, EvaluationState


def centers_visible_to(user):
    qs = Center.objects.select_related("institution", "application__call")
    return visible(user, qs)


def evaluations_visible_to(user):
    qs = AnnualEvaluation.objects.select_related("center__institution", "center__application__call")
    return visible(user, qs)


def evidence_visible_to(user):
    return visible(user, EvaluationEvidence.objects.select_related("evaluation__center"))




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
    return centers.filter(state__in=CenterState.IN_FORCE, valid_until__gte=today,
                          valid_until__lte=today + timedelta(days=days)).order_by("valid_until")




def evaluations_waiting_for_score(user):
    return evaluations_visible_to(user).filter(state=EvaluationState.FILED).order_by("filed_at")


def public_center_facts(centers):
    """Only the public columns of centers (no contact, no evaluation). The state is read (not shown): the
    workflow's concurrency guard reads it as each row is loaded, which would cost a query per row if deferred."""
    return centers.only("pk", "state", "name", "center_type", "designation_number", "designated_on", "valid_until",
                        "services", "institution__name", "institution__district")


def active_centers():
    """Designated centers that can host a project (public facts)."""
    return Center.objects.filter(state=CenterState.ACTIVE).order_by("name")
