"""Funding decisions (投拨结合): the list, the officer's proposal, the decision page with its dual approval."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc import selectors as poc_selectors
from poc.errors import DomainError
from poc.forms import TransitionForm
from poc.views.common import visible_application

from .. import figures, monitoring_services, selectors, services
from ..models import DecisionState, FundingDecision, Instrument
from .common import (
    form_status,
    officer,
    redirect_back,
    report_refusal,
    requires,
    steps,
    submit_form,
    visible_decision,
)

DECISION_STEPS = {
    "approve_grant": services.approve_grant,
    "approve_equity": services.approve_equity,
    "reject": services.reject_decision,
}


@login_required
def decision_list(request):
    user = request.user
    decisions = selectors.decisions_visible_to(user).order_by("-proposed_at")
    state = request.GET.get("state") or ""
    instrument = request.GET.get("instrument") or ""
    fund = request.GET.get("fund") or ""
    if state in DecisionState.values:
        decisions = decisions.filter(state=state)
    if instrument in Instrument.values:
        decisions = decisions.filter(instrument=instrument)
    funds = selectors.funds_visible_to(user)
    if fund.isdigit():
        decisions = decisions.filter(fund_id=int(fund))
    page = Paginator(decisions, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "funding/decision_list.html", {
        "page": page, "query": query.urlencode(), "funds": funds, "states": DecisionState.choices,
        "instruments": Instrument.choices, "selected": {"state": state, "instrument": instrument, "fund": fund},
        "awaiting_grant": selectors.awaiting_grant_approval() if officer.holds(user) else None,
        "staff_view": officer.holds(user) or funds.exists(),
    })


def _initial_from(application) -> dict:
    """Start from what the applicant asked for (ProjectDetails)."""
    details = getattr(application, "project_details", None)
    if details is None:
        return {}
    grant, investment = details.requested_grant or 0, details.requested_investment or 0
    instrument = (Instrument.GRANT_EQUITY if grant and investment else Instrument.EQUITY if investment
                  else Instrument.GRANT)
    return {"instrument": instrument, "grant_amount": grant or None, "equity_amount": investment or None}


@requires(officer)
def propose(request, application_pk):
    from ..forms import DecisionForm

    application = visible_application(request, application_pk)
    if not application.is_project:
        raise Http404
    funds = selectors.funds_visible_to(request.user)
    form = DecisionForm(request.POST or None, funds=funds, initial=_initial_from(application))
    done = submit_form(request, form, lambda data: services.propose_decision(request.user, application,
                                                                           **form.decision_fields()),
                       success=_("The funding decision is proposed. It now needs the approval of each of its parts."),
                       redirect_to=lambda decision: ("funding:decision", decision.pk))
    if done is not None:
        return done
    existing = FundingDecision.objects.filter(application=application).first()
    funds = list(funds)
    by_fund = figures.fund_figures_of(funds)
    return render(request, "funding/decision_form.html", {
        "application": application, "form": form, "existing": existing,
        "funds": [{"fund": f, "figures": by_fund[f.pk]} for f in funds],
    }, status=form_status(form))


def _parts(decision, staff: bool) -> list[dict]:
    """The state of each part: who approved it and when (names for the bureau and the fund only)."""
    parts = []
    if decision.has_grant_part:
        parts.append({"name": _("Grant part"), "approver": _("Science and Technology Bureau"),
                      "amount": decision.grant_amount, "approved_at": decision.grant_approved_at,
                      "approved_by": decision.grant_approved_by if staff else None})
    if decision.has_equity_part:
        parts.append({"name": _("Equity part") if decision.instrument != Instrument.CONVERTIBLE
                      else _("Fund's side of the convertible grant"),
                      "approver": decision.fund.name if decision.fund else _("Fund manager"),
                      "amount": decision.equity_amount if decision.instrument != Instrument.CONVERTIBLE
                      else decision.grant_amount,
                      "approved_at": decision.equity_approved_at,
                      "approved_by": decision.equity_approved_by if staff else None})
    return parts


def _timeline(decision, staff: bool) -> list[dict]:
    from poc.roles import FUND_MANAGER, OFFICER, ROLE_NAMES
    from poc.rules import describe

    labels = dict(DecisionState.choices)
    entries = []
    for log in poc_selectors.history_of(decision):
        if log.transition == "create":
            label = _("Proposed")
        else:
            try:
                label = str(describe(FundingDecision, log.transition)["custom"].get("label", log.transition))
            except LookupError:
                label = log.transition
        actor = (log.actor.get_full_name() or log.actor.username) if (staff and log.actor) else (
            _("System") if log.actor is None else str(ROLE_NAMES[OFFICER]) if officer.holds(log.actor)
            else str(ROLE_NAMES[FUND_MANAGER]))
        # The investee reads the reason of a rejection; the bureau's and the fund's notes stay with them.
        comment = log.comment if (staff or log.transition == "reject") else ""
        entries.append({"at": log.created_at, "label": label, "actor": actor,
                        "source": str(labels.get(log.source, log.source)) if log.source else "",
                        "target": str(labels.get(log.target, log.target)), "comment": comment})
    return entries


@login_required
def decision_detail(request, pk):
    decision = visible_decision(request, pk)
    user = request.user
    staff = selectors.may_manage_decision(user, decision)
    context = {
        "decision": decision, "application": decision.application, "staff": staff,
        "parts": _parts(decision, staff), "timeline": _timeline(decision, staff),
        "tab": "decision",
    }
    if staff:
        from ..finance import stake_from_pre_money

        context["panel"] = steps(decision, user)
        if decision.pre_money_valuation and decision.equity_amount and decision.instrument != Instrument.CONVERTIBLE:
            context["expected_stake"] = stake_from_pre_money(decision.equity_amount, decision.pre_money_valuation)
    else:
        # The investee: its own decision and what it files (quarterly reports, material events); no holdings.
        from ..forms import MaterialEventForm, QuarterlyReportForm
        from .monitoring import report_initial

        context.update({
            "tranches": decision.tranches.select_related("milestone").order_by("part", "sequence"),
            "reports": decision.quarterly_reports.all(),
            "events": decision.material_events.all(),
            # The quarterly-report form exactly when the service would accept a report (one rule for both).
            "may_report": monitoring_services.may_file_quarterly_report(user, decision),
            "may_report_event": monitoring_services.may_report(user, decision)
            and decision.state == DecisionState.APPROVED,
            "report_form": QuarterlyReportForm(initial=report_initial(), prefix="report"),
            "event_form": MaterialEventForm(prefix="event"),
            "conversion": getattr(decision, "conversion", None),
        })
    return render(request, "funding/decision_detail.html", context)


@require_POST
@login_required
def decision_step(request, pk, name):
    """Approve a part or reject the decision; on refusal the reasons are shown and nothing changes."""
    decision = visible_decision(request, pk)
    if name not in DECISION_STEPS:
        raise PermissionDenied
    form = TransitionForm(request.POST, prefix=name)
    form.is_valid()
    try:
        done = DECISION_STEPS[name](request.user, decision, form.cleaned_data.get("comment", ""))
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect_back(request, "funding:decision", pk)
    messages.success(request, _step_message(name, done))
    return redirect("funding:decision", pk)


def _step_message(name, decision) -> str:
    if name == "reject":
        return _("The funding decision is rejected.")
    part = _("The grant part is approved.") if name == "approve_grant" else _("The equity part is approved.")
    if decision.state == DecisionState.APPROVED:
        return _("%(part)s Every part is approved: the funding decision is approved.") % {"part": part}
    waiting = (_("the equity part, by the fund's manager") if name == "approve_grant"
               else _("the grant part, by the bureau"))
    return _("%(part)s The decision still awaits %(waiting)s.") % {"part": part, "waiting": waiting}
