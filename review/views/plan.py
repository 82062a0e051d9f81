"""The call's review plan and rubric, the ranking (officers) and an application's aggregates (officers and
fund managers)."""
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from poc.access import can, officer
from poc.errors import DomainError

from .. import selectors, services
from ..algorithms.ranking import TIE_RULE
from ..forms import PlanForm, RubricFormSet, criteria_initial
from ..models import Aggregate
from ..ranking import call_ranking
from ..templatetags.review_ui import stat
from .common import (
    form_status,
    officer_or_fund_manager,
    officer_required,
    report_refusal,
    submit_form,
    visible_application,
    visible_call,
)


def _plan_page(request, call, plan, *, form=None, rubric=None, status=200):
    frozen = plan.frozen
    return render(request, "review/plan.html", {
        "call": call,
        "plan": plan,
        "form": form or PlanForm(instance=plan),
        "rubric": rubric or RubricFormSet(initial=criteria_initial(plan), prefix="rubric"),
        "criteria": list(plan.criteria.all()),
        "frozen": frozen,
    }, status=status)


@require_http_methods(["GET", "POST"])
@officer_required
def plan_page(request, pk):
    """The plan's settings (experts per application, deadline, aggregation) and the rubric."""
    call = visible_call(request, pk)
    plan = services.ensure_plan(call)
    if request.method == "GET":
        return _plan_page(request, call, plan)
    form = PlanForm(request.POST, instance=plan)
    done = submit_form(request, form, lambda data: services.update_plan(request.user, services.ensure_plan(call), **data),
                       success=_("The review plan is saved."), redirect_to=("review:plan", call.pk))
    if done is not None:
        return done
    return _plan_page(request, call, services.ensure_plan(call), form=form, status=form_status(form))


@require_POST
@officer_required
def rubric(request, pk):
    """Replace the rubric's criteria; refused once a review under it has been submitted."""
    call = visible_call(request, pk)
    plan = services.ensure_plan(call)
    formset = RubricFormSet(request.POST, initial=criteria_initial(plan), prefix="rubric")
    if formset.is_valid():
        try:
            services.replace_rubric(request.user, plan, formset.criteria())
        except DomainError as exc:
            report_refusal(request, exc)
            return _plan_page(request, call, plan, rubric=formset, status=exc.status)
        messages.success(request, _("The rubric is saved."))
        return redirect("review:plan", call.pk)
    return _plan_page(request, call, plan, rubric=formset, status=400)


def _format_for_table(rows, link: str) -> None:
    """Each row's link (the ``link`` page of its application) and statistics as the ranking table prints them
    (``stat``: two decimals, a dash for none), computed here once per row: a call's whole ranking is one page, and
    a template tag per cell cost more than the row itself."""
    if not rows:
        return
    sample = rows[0].application.pk
    prefix, suffix = reverse(link, args=[sample]).rsplit(f"/{sample}/", 1)
    for row in rows:
        row.url = f"{prefix}/{row.application.pk}/{suffix}"
        row.cells = [stat(x) for x in (row.mean, row.median, row.trimmed_mean, row.std, row.spread)]
        row.calibrated = stat(row.calibrated_mean)


@officer_or_fund_manager
def ranking(request, pk):
    """Every reviewed application of the call ranked, the statistics beside it, and the calibration.

    The ranking's readers are those review/policies.py declares (``aggregate_readers``), as for the API and
    the export: officers see every row and each expert's measured bias; a fund manager sees the rows of the
    applications they may view, at their call-wide ranks, and no expert."""
    user = request.user
    call = visible_call(request, pk)
    plan = services.ensure_plan(call)
    rows, calibration = call_ranking(call)
    rows = selectors.ranking_rows_visible_to(user, rows)
    for_officer = officer.holds(user)
    _format_for_table(rows, "review:application" if for_officer else "review:aggregates")
    calibration_rows = []
    show_calibration = can(user, "view_calibration", plan)  # each expert's bias: as the API decides it
    if show_calibration and calibration is not None and len(calibration.expert_ids):
        experts = selectors.experts_visible_to(user).in_bulk([int(i) for i in calibration.expert_ids])
        for i, expert_id in enumerate(calibration.expert_ids.tolist()):
            calibration_rows.append({
                "expert": experts.get(int(expert_id)),
                "reviews": int(calibration.expert_reviews[i]),
                "too_few": bool(calibration.too_few_reviews[i]),
                "bias": round(float(calibration.bias[i]), 2),
            })
        calibration_rows.sort(key=lambda r: (r["too_few"], -abs(r["bias"]), r["expert"].name if r["expert"] else ""))
    return render(request, "review/ranking.html", {
        "call": call,
        "plan": plan,
        "rows": rows,
        "calibration": calibration,
        "calibration_rows": calibration_rows,
        "rank_by": dict(Aggregate.choices).get(plan.ranking_aggregate, plan.ranking_aggregate),
        "tie_rule": TIE_RULE,
        "export_query": urlencode({"call": call.pk}),
        "for_officer": for_officer,
        "show_calibration": show_calibration,
    })


@officer_or_fund_manager
def aggregates(request, pk):
    """One application's aggregates: no expert's name, no individual review."""
    application = visible_application(request, pk)
    summary = selectors.review_summary(request.user, application)
    return render(request, "review/aggregates.html", {"application": application, **summary})
