"""When a review can be submitted or reopened (conditions of Review's transitions), and what its scores lack.

Who may is the access policy's: the transitions declare relations of review/relations.py.
"""
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from poc.models import ApplicationState
from poc.rules import condition


@condition
def assignment_active(review):
    from .models import AssignmentState

    if review.assignment.state != AssignmentState.ACTIVE:
        return _("This assignment was voided: %(reason)s") % {"reason": review.assignment.voided_reason or "—"}
    return None


@condition
def before_deadline(review):
    deadline = review.deadline
    if deadline and timezone.now() > deadline:
        return _("The review deadline passed on %(date)s; ask the bureau for an extension.") % {
            "date": formats.date_format(timezone.localtime(deadline), "Y-m-d H:i")}
    return None


def plain_number(value) -> str:
    """A Decimal as people write it: 20.00 → "20", 7.50 → "7.5" (``normalize()`` alone gives "2E+1")."""
    return format(value.normalize(), "f")


def score_problems(review, criteria=None, scores=None) -> list[str]:
    """Every missing or out-of-range score and missing required comment, each naming its criterion."""
    plan = getattr(review.assignment.application.call, "review_plan", None)
    if plan is None:
        return [_("This call has no rubric yet.")]
    criteria = list(plan.criteria.all()) if criteria is None else criteria
    if not criteria:
        return [_("This call has no rubric yet.")]
    scores = {s.criterion_id: s for s in review.scores.all()} if scores is None else scores
    problems = []
    for criterion in criteria:
        given = scores.get(criterion.pk)
        if given is None or given.score is None:
            problems.append(_("No score for “%(c)s”.") % {"c": criterion.name})
            continue
        if given.score < 0 or given.score > criterion.max_score:
            problems.append(_("The score for “%(c)s” must be between 0 and %(max)s; %(given)s is out of range.")
                            % {"c": criterion.name, "max": plain_number(criterion.max_score),
                               "given": plain_number(given.score)})
        if criterion.comment_required and not (given.comment or "").strip():
            problems.append(_("“%(c)s” needs a comment.") % {"c": criterion.name})
    if not review.recommendation:
        problems.append(_("Choose an overall recommendation."))
    return problems


@condition
def scores_complete(review):
    return score_problems(review)


@condition
def application_under_review(review):
    if review.assignment.application.state != ApplicationState.UNDER_REVIEW:
        return _("A review can only be reopened while the application is under review.")
    return None
