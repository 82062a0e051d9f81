"""Object permissions of the review: assigning grants, unassigning or a conflict revokes (DESIGN §3)."""
from guardian.shortcuts import assign_perm, remove_perm

from poc import permissions as poc_permissions


def grant_assignment(assignment) -> None:
    user = assignment.expert.user
    poc_permissions.grant_view(user, assignment.application)
    review = getattr(assignment, "review", None)
    if review is not None:
        assign_perm("review.view_review", user, review)
        assign_perm("review.change_review", user, review)


def revoke_assignment(assignment) -> None:
    user = assignment.expert.user
    # Keep the view permission only if another active assignment of the same expert remains (never the case
    # today: one active assignment per pair), so revoking is exact.
    poc_permissions.revoke_view(user, assignment.application)
    review = getattr(assignment, "review", None)
    if review is not None:
        remove_perm("review.view_review", user, review)
        remove_perm("review.change_review", user, review)
