"""Reads of the review, always permission-filtered.

Experts see their own assignments and reviews only; officers see everything; applicants never see
an expert's name or an individual review (they get no query here at all).
"""
from django.db.models import Count, Q

from poc.roles import FUND_MANAGER, has_role, is_officer

from .models import Assignment, AssignmentState, Conflict, Expert, Review, ReviewState


def expert_of(user):
    if not user.is_authenticated:
        return None
    return Expert.objects.filter(user=user).first()


def assignments_visible_to(user):
    """Officers: all. Experts: their own (active and voided). Others: none."""
    if is_officer(user):
        return Assignment.objects.select_related("application", "expert", "review")
    expert = expert_of(user)
    if expert is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(expert=expert).select_related("application", "expert", "review")


def reviews_visible_to(user):
    """Officers: all. Experts: their own, while the assignment is active. Others: none."""
    if is_officer(user):
        return Review.objects.select_related("assignment__application", "assignment__expert")
    expert = expert_of(user)
    if expert is None:
        return Review.objects.none()
    return Review.objects.filter(assignment__expert=expert, assignment__state=AssignmentState.ACTIVE).select_related(
        "assignment__application", "assignment__expert")


def expert_queue(user, call=None):
    """The expert's active assignments with their review state, and progress (done / total)."""
    qs = assignments_visible_to(user).filter(state=AssignmentState.ACTIVE)
    if not is_officer(user):
        qs = qs.filter(expert__user=user)
    if call is not None:
        qs = qs.filter(application__call=call)
    qs = qs.order_by("application__call_id", "application__number")
    done = qs.filter(review__state=ReviewState.SUBMITTED).count()
    return qs, done, qs.count()


def experts_visible_to(user):
    """The expert pool: officers only (experts' identities are confidential)."""
    if is_officer(user):
        return Expert.objects.prefetch_related("disciplines")
    return Expert.objects.none()


def conflicts_visible_to(user):
    """Conflicts with their source and reason: officers only."""
    if is_officer(user):
        return Conflict.objects.select_related("expert", "application")
    return Conflict.objects.none()


def call_progress(call):
    """Per application of the call: active assignments and submitted reviews."""
    return (call.applications.filter(state__in=["under_review", "reviewed"])
            .annotate(assigned=Count("assignments", filter=Q(assignments__state=AssignmentState.ACTIVE)),
                      submitted=Count("assignments", filter=Q(assignments__state=AssignmentState.ACTIVE,
                                                              assignments__review__state=ReviewState.SUBMITTED)))
            .order_by("number"))


def may_see_aggregates(user) -> bool:
    """Officers see rankings and aggregates; fund managers see aggregates (DESIGN §3)."""
    return is_officer(user) or has_role(user, FUND_MANAGER)
