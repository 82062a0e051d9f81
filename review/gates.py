"""The review's answer to poc's ``close_review`` gate."""
from django.utils.translation import gettext as _

from .models import AssignmentState, ReviewState


def reviews_complete(application):
    """Every active assignment has a submitted review, and at least the call's minimum of reviews."""
    active = list(application.assignments.filter(state=AssignmentState.ACTIVE).select_related("review", "expert"))
    pending = [a for a in active if getattr(a, "review", None) is None or a.review.state != ReviewState.SUBMITTED]
    reasons = []
    if pending:
        reasons.append(_("%(n)s assigned review(s) not yet submitted.") % {"n": len(pending)})
    submitted = len(active) - len(pending)
    minimum = application.call.min_reviews
    if submitted < minimum:
        reasons.append(_("%(n)s review(s) submitted; the call requires at least %(min)s.") % {"n": submitted,
                                                                                          "min": minimum})
    return reasons
