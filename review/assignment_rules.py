"""When an expert can be unassigned or declare a conflict (conditions of Assignment's transitions).

Who may is the access policy's: the transitions declare relations of review/relations.py.
"""
from django.utils.translation import gettext as _

from poc.rules import condition


@condition
def review_not_submitted(assignment):
    from .models import ReviewState

    review = getattr(assignment, "review", None)
    if review is not None and review.state == ReviewState.SUBMITTED:
        return _("The review has already been submitted; an officer must reopen it first.")
    return None
