"""Who may unassign an expert or declare a conflict, and when (declared on Assignment's transitions)."""
from django.utils.translation import gettext as _

from poc.roles import EXPERT, has_role, is_officer
from poc.rules import condition, permission


def officer(refusal):
    return permission(lambda assignment, user: None if is_officer(user) else refusal)


def is_assigned_expert(assignment, user) -> bool:
    return bool(user and user.is_authenticated and has_role(user, EXPERT) and assignment.expert.user_id == user.pk)


def assigned_expert(refusal):
    return permission(lambda assignment, user: None if is_assigned_expert(assignment, user) else refusal)


@condition
def review_not_submitted(assignment):
    review = getattr(assignment, "review", None)
    if review is not None and review.state == "submitted":
        return _("The review has already been submitted; an officer must reopen it first.")
    return None
