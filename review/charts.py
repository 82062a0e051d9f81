"""The expert review's charts on poc's per-call dashboard (registered in ``ReviewConfig.ready()``).

Progress per expert from the assignments the viewer may see; scores and ranking from the call's ranking
(review.ranking.call_ranking) limited to the rows the viewer may see, exactly as the ranking page shows them.
"""
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.charts import Chart, Series

from . import ranking, selectors
from .models import AssignmentState, ReviewState


def progress_per_expert(user, context) -> Chart | None:
    """Per expert in the call: reviews assigned, submitted and overdue (a draft past its deadline)."""
    call = context["call"]
    now = timezone.now()
    plan_deadline = _plan(context).deadline
    past_deadline = Q(review__extended_until__lt=now)
    if plan_deadline is not None and plan_deadline < now:
        past_deadline |= Q(review__extended_until__isnull=True)
    rows = list(selectors.assignments_visible_to(user)
                .filter(application__call=call, state=AssignmentState.ACTIVE)
                .values("expert_id", "expert__name")
                .annotate(assigned=Count("id"),
                          done=Count("id", filter=Q(review__state=ReviewState.SUBMITTED)),
                          overdue=Count("id", filter=Q(review__state=ReviewState.DRAFT) & past_deadline))
                .order_by("expert__name", "expert_id"))
    if not rows:
        return None
    return Chart(
        key="experts", kind="bar", title=_("Review progress per expert"), category_label=_("Expert"),
        categories=[row["expert__name"] for row in rows],
        series=[Series(_("Assigned"), [row["assigned"] for row in rows]),
                Series(_("Submitted"), [row["done"] for row in rows], tone="good"),
                Series(_("Overdue"), [row["overdue"] for row in rows], tone="bad")],
        notes=[_("Review deadline: %(date)s.") % {"date": timezone.localtime(plan_deadline).strftime("%Y-%m-%d %H:%M")}
               if plan_deadline else _("No review deadline is set.")])


def _plan(context):
    """The call's review plan (unsaved when the call has none yet), read once per page."""
    if "review_plan" not in context:
        context["review_plan"] = selectors.plan_of(context["call"])
    return context["review_plan"]


def _ranking(user, context):
    """The call's ranked rows the user may see, computed once per page. A call without a review plan has no
    review to rank (looking at its dashboard creates no plan)."""
    if "review_ranking" not in context:
        rows = []
        if _plan(context).pk is not None:
            rows, _calibration = ranking.call_ranking(context["call"])
        context["review_ranking"] = selectors.ranking_rows_visible_to(user, rows)
    return context["review_ranking"]


def score_spread(user, context) -> Chart | None:
    """Per application: its lowest and highest review total, the mean, the spread, and the divergence flag."""
    rows = sorted(_ranking(user, context), key=lambda row: row.application.number)
    if not rows:
        return None
    totals = defaultdict(list)
    applications, _experts, values, _ids = ranking.review_totals(context["call"])
    for application_id, total in zip(applications.tolist(), values.tolist(), strict=True):
        totals[application_id].append(round(total, 2))
    lowest = [min(totals[r.application.pk]) if totals[r.application.pk] else None for r in rows]
    highest = [max(totals[r.application.pk]) if totals[r.application.pk] else None for r in rows]
    return Chart(
        key="scores", kind="range", title=_("Score distribution per application"),
        category_label=_("Application"), categories=[r.application.number for r in rows],
        series=[Series(_("Lowest"), lowest, places=2), Series(_("Highest"), highest, places=2),
                Series(_("Mean"), [r.mean for r in rows], places=2)],
        extra_columns=[(_("Spread"), ["—" if r.spread is None else f"{r.spread:,.2f}" for r in rows]),
                       (_("Number of reviews"), [str(r.n_reviews) for r in rows]),
                       (_("Divergent"), [_("Yes") if r.divergent else _("No") for r in rows])],
        flags=[r.divergent for r in rows],
        notes=[_("Weighted totals of the submitted reviews; in red, applications whose scores diverge beyond the "
                 "plan's threshold.")])


def calibrated_vs_raw(user, context) -> Chart | None:
    """In ranking order: each application's raw mean beside its calibrated mean."""
    rows = _ranking(user, context)
    if not rows:
        return None
    return Chart(
        key="calibration", kind="bar", title=_("Calibrated and raw means, in ranking order"),
        category_label=_("Application"), categories=[r.application.number for r in rows],
        series=[Series(_("Raw mean"), [r.mean for r in rows], places=2),
                Series(_("Calibrated mean"), [r.calibrated_mean for r in rows], places=2)],
        extra_columns=[(_("Rank"), [str(r.rank) for r in rows])],
        notes=[_("Calibration corrects each expert's severity or leniency; the ranking uses the plan's "
                 "aggregate.")])
