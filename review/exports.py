"""The review's exports, offered through poc's export framework (``poc.exports``, registered in ``ready()``):

* ``reviews?call=<id>``: every submitted review of the call's active assignments, a column per criterion of
  the rubric and the weighted total. Officers export them all, with the expert's name; an expert exports
  their own reviews (no name column); fund managers and applicants are refused. The confidential note to the
  officers is never exported.
* ``ranking?call=<id>``: the ranking with every aggregate and the calibrated mean (no expert's name), for
  the aggregates' readers (officers and fund managers); each reads only the rows of the applications they
  may view, ranked among the whole call.
"""
from django.utils.translation import gettext_lazy as _

from poc.access import can, expert, officer, visible
from poc.exports import DATE, INTEGER, NUMBER, YES_NO, Column, Export, Table, register, visible_param
from poc.models import Application, Call

from .policies import aggregate_readers

review_exporters = (officer | expert).refusing(_("Only bureau officers and the call's experts can export its "
                                                 "reviews."))


def reviews(user, params) -> Table:
    from .models import AssignmentState, Review, ReviewState
    from .services import ensure_plan

    call = visible_param(user, params, "call", Call)
    criteria = list(ensure_plan(call).criteria.order_by("position", "id"))
    rows = visible(user, Review.objects.filter(
        assignment__application__call=call, assignment__state=AssignmentState.ACTIVE, state=ReviewState.SUBMITTED)
    ).select_related("assignment__application__institution", "assignment__expert").prefetch_related(
        "scores").order_by("assignment__application__number", "assignment__expert__name", "id")

    def score(criterion):
        return lambda r: next((s.score for s in r.scores.all() if s.criterion_id == criterion.pk), None)

    def total(review):
        weights = {c.pk: c.weight for c in criteria}
        return sum((s.score * weights.get(s.criterion_id, 0) for s in review.scores.all()), 0)

    columns = [
        Column(_("Application"), lambda r: r.assignment.application.number),
        Column(_("Title"), lambda r: r.assignment.application.title),
    ]
    if officer.holds(user):
        columns += [
            Column(_("Institution"), lambda r: r.assignment.application.institution.name),
            Column(_("Expert"), lambda r: r.assignment.expert.name if can(user, "view_expert", r) else None),
        ]
    columns += [Column(_("Submitted on"), lambda r: r.submitted_at, DATE)]
    columns += [Column(f"{c.name} ({c.weight}×)", score(c), NUMBER) for c in criteria]
    columns += [
        Column(_("Weighted total"), total, NUMBER),
        Column(_("Overall recommendation"), lambda r: r.get_recommendation_display() if r.recommendation else None),
        Column(_("Overall comment"), lambda r: r.overall_comment),
    ]
    return Table(columns, rows)


def ranking(user, params) -> Table:
    from .ranking import call_ranking

    call = visible_param(user, params, "call", Call)
    rows, _calibration = call_ranking(call)
    mine = set(visible(user, Application.objects.filter(call=call)).values_list("pk", flat=True))
    return Table([
        Column(_("Rank"), lambda r: r.rank, INTEGER),
        Column(_("Tied rank"), lambda r: r.shared_rank, INTEGER),
        Column(_("Application"), lambda r: r.application.number),
        Column(_("Title"), lambda r: r.application.title),
        Column(_("Institution"), lambda r: r.application.institution.name),
        Column(_("Reviews"), lambda r: r.n_reviews, INTEGER),
        Column(_("Mean"), lambda r: r.mean, NUMBER),
        Column(_("Median"), lambda r: r.median, NUMBER),
        Column(_("Trimmed mean"), lambda r: r.trimmed_mean, NUMBER),
        Column(_("Highest and lowest dropped"), lambda r: r.trimmed, YES_NO),
        Column(_("Std. dev."), lambda r: r.std, NUMBER),
        Column(_("Spread"), lambda r: r.spread, NUMBER),
        Column(_("To discuss (divergent)"), lambda r: r.divergent, YES_NO),
        Column(_("Calibrated mean"), lambda r: r.calibrated_mean, NUMBER),
        Column(_("Ranking score"), lambda r: r.score, NUMBER),
    ], [row for row in rows if row.application.pk in mine])


def register_review_exports() -> None:
    register(Export("reviews", _("Reviews and scores"), who=review_exporters, source=reviews, params=("call",)))
    register(Export("ranking", _("Ranking"), who=aggregate_readers, source=ranking, params=("call",)))
