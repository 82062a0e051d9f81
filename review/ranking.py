"""A call's aggregates and ranking, computed from the submitted reviews of active assignments.

Weighted totals come from a database aggregate (Σ weight × score per review); statistics, calibration and
the ranking are vectorised numpy (review/algorithms). Tie rule: higher aggregate, then higher median, then
lower spread, then more reviews, then lower application id.
"""
from dataclasses import dataclass

import numpy as np
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum

from poc.models import Application

from .algorithms import ReviewTable, rank_call
from .models import AssignmentState, Review, ReviewState
from .services import ensure_plan
from .states import IN_EXPERT_REVIEW


@dataclass
class RankedApplication:
    rank: int
    shared_rank: int
    application: Application
    n_reviews: int
    mean: float | None
    median: float | None
    trimmed_mean: float | None
    trimmed: bool
    std: float | None
    spread: float | None
    divergent: bool
    calibrated_mean: float | None
    score: float | None


def _f(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else round(float(x), 2)


def review_totals(call):
    """(application ids, expert ids, totals, review ids) of the submitted reviews of active assignments."""
    rows = list(
        Review.objects.filter(assignment__application__call=call, assignment__state=AssignmentState.ACTIVE,
                              state=ReviewState.SUBMITTED)
        .annotate(total=Sum(ExpressionWrapper(F("scores__score") * F("scores__criterion__weight"),
                                              output_field=DecimalField(max_digits=12, decimal_places=4))))
        .values_list("assignment__application_id", "assignment__expert_id", "total", "pk"))
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), []
    a, e, t, ids = zip(*rows, strict=True)
    return np.array(a, np.int64), np.array(e, np.int64), np.array([float(x or 0) for x in t]), list(ids)


def call_ranking(call):
    """Every application of the call that has been or is being reviewed, ranked; plus the calibration."""
    plan = ensure_plan(call)
    # Applications that reached the expert review (those rejected at the formal check never did).
    applications = {a.pk: a for a in Application.objects.filter(call=call).filter(
        Q(state__in=IN_EXPERT_REVIEW) | Q(assignments__isnull=False)).distinct()
        .select_related("institution")}
    a, e, t, _ids = review_totals(call)
    app_ids = np.array(sorted(applications), np.int64)
    if not applications:
        return [], None
    ranking = rank_call(
        ReviewTable(a, e, t), plan.ranking_aggregate if plan.ranking_aggregate != "calibrated" else "calibrated",
        application_ids=app_ids, trim_min_reviews=plan.trim_min_reviews,
        divergence_threshold=float(plan.divergence_threshold),
        min_reviews_for_calibration=plan.calibration_min_reviews, calibrate_scores=True)
    agg = ranking.aggregates
    position = {int(i): n for n, i in enumerate(agg.application_ids.tolist())}
    result = []
    for row in range(ranking.application_ids.size):
        app_id = int(ranking.application_ids[row])
        j = position[app_id]
        result.append(RankedApplication(
            rank=int(ranking.rank[row]), shared_rank=int(ranking.shared_rank[row]),
            application=applications[app_id], n_reviews=int(agg.n_reviews[j]), mean=_f(agg.mean[j]),
            median=_f(agg.median[j]), trimmed_mean=_f(agg.trimmed_mean[j]), trimmed=bool(agg.trimmed[j]),
            std=_f(agg.std[j]), spread=_f(agg.spread[j]), divergent=bool(agg.divergent[j]),
            calibrated_mean=_f(agg.calibrated_mean[j]) if agg.calibrated_mean is not None else None,
            score=_f(ranking.score[row])))
    return result, ranking.calibration


def application_aggregates(application):
    """The aggregates of one application (officers and fund managers; never individual reviews)."""
    rows, _cal = call_ranking(application.call)
    return next((r for r in rows if r.application.pk == application.pk), None)
