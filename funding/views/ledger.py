"""Investments and tranches of a decision (the fund's and the bureau's ledgers), with the live stake preview."""
from decimal import Decimal

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from poc.access import can
from poc.errors import DomainError
from poc.models import ApplicationState
from poc.views.common import report_form_errors

from .. import figures, finance, services
from ..forms import InvestmentForm, PayForm, StakePreviewForm, TrancheForm
from ..models import DecisionState, Instrument, TranchePart, TrancheState
from .common import (
    form_status,
    managed_decision,
    managed_tranche,
    redirect_back,
    report_refusal,
    requires,
    staff,
    steps,
    submit_form,
)


def _parts_for(user, decision) -> list[tuple[str, str]]:
    """The parts whose tranches this user plans: the bureau the grant, the fund's managers the investment."""
    parts = []
    if decision.has_grant_part and can(user, "plan_grant_tranche", decision):
        parts.append((TranchePart.GRANT, TranchePart.GRANT.label))
    if decision.instrument in (Instrument.EQUITY, Instrument.GRANT_EQUITY) and can(user, "plan_equity_tranche",
                                                                                    decision):
        parts.append((TranchePart.EQUITY, TranchePart.EQUITY.label))
    return parts


def _milestones(decision):
    from poc.models import ProjectMilestone

    approved = decision.application.state == ApplicationState.APPROVED
    project = getattr(decision.application, "project", None) if approved else None
    if project is None:
        return ProjectMilestone.objects.none()
    return project.milestones.all()


def _investment_initial(decision) -> dict:
    institution = decision.application.institution
    return {"investee_name": institution.name, "investee_credit_code": institution.credit_code,
            "pre_money_valuation": decision.pre_money_valuation,
            "amount": max(decision.equity_amount - _invested(decision), Decimal("0")) or None}


def _invested(decision) -> Decimal:
    return sum((i.amount for i in decision.investments.filter(is_conversion=False)), Decimal("0"))


def ledger_context(request, decision, investment_form=None, tranche_form=None) -> dict:
    user = request.user
    investments = list(decision.investments.prefetch_related("exits", "marks").order_by("invested_on", "id"))
    for investment in investments:
        investment.held = figures.held_stake(investment)
        investment.mark = figures.latest_mark(investment)
    tranches = list(decision.tranches.select_related("milestone").order_by("part", "sequence"))
    for tranche in tranches:
        tranche.sibling_tranches = tranches  # the release condition sums the others from here, not per row
        tranche.panel = steps(tranche, user, forms={"pay": PayForm})
    may_invest = (can(user, "record_investment", decision) and decision.state == DecisionState.APPROVED
                  and decision.instrument in (Instrument.EQUITY, Instrument.GRANT_EQUITY)
                  and _invested(decision) < decision.equity_amount)
    parts = _parts_for(user, decision) if decision.state == DecisionState.APPROVED else []
    totals = []
    for part, label in ((TranchePart.GRANT, _("Grant")), (TranchePart.EQUITY, _("Investment"))):
        approved = decision.grant_amount if part == TranchePart.GRANT else decision.equity_amount
        if part == TranchePart.EQUITY and decision.instrument == Instrument.CONVERTIBLE:
            continue
        if not approved:
            continue
        planned = sum((t.amount for t in tranches if t.part == part), Decimal("0"))
        out = figures.released_and_paid(decision, part)
        paid = sum((t.amount for t in tranches if t.part == part and t.state == TrancheState.PAID), Decimal("0"))
        totals.append({"label": label, "approved": approved, "planned": planned, "released": out, "paid": paid})
    return {
        "decision": decision, "application": decision.application, "tab": "ledger", "staff": True,
        "investments": investments, "tranches": tranches, "totals": totals,
        "invested": _invested(decision),
        "investment_form": investment_form or (InvestmentForm(initial=_investment_initial(decision), prefix="inv")
                                               if may_invest else None),
        "tranche_form": tranche_form or (TrancheForm(parts=parts, milestones=_milestones(decision), prefix="tr")
                                         if parts else None),
    }


@requires(staff)
def ledger(request, pk):
    decision = managed_decision(request, pk)
    return render(request, "funding/ledger.html", ledger_context(request, decision))


@require_POST
@requires(staff)
def investment_add(request, pk):
    decision = managed_decision(request, pk)
    form = InvestmentForm(request.POST, request.FILES, prefix="inv")
    done = submit_form(
        request, form, lambda data: services.record_investment(request.user, decision, **data),
        success=lambda investment: _("The investment is recorded: %(stake)s%% of %(name)s.") % {
            "stake": investment.stake, "name": investment.investee_name},
        redirect_to=("funding:ledger", pk))
    return done or render(request, "funding/ledger.html", ledger_context(request, decision, investment_form=form),
                          status=form_status(form))


@require_GET
@requires(staff)
def stake_preview(request, pk):
    """The derived stake for the amount and pre-money being typed (htmx fragment)."""
    managed_decision(request, pk)
    form = StakePreviewForm(request.GET, prefix="inv")
    context = {"ready": False}
    if form.is_valid():
        amount, pre, typed = (form.cleaned_data.get(k) for k in ("amount", "pre_money_valuation", "stake"))
        if amount and pre is not None and amount > 0:
            derived = finance.stake_from_pre_money(amount, pre)
            context.update({"ready": True, "derived": derived, "post": pre + amount,
                            "typed": typed, "disagrees": typed is not None and typed.quantize(Decimal("0.0001")) != derived})
    return render(request, "funding/_stake_preview.html", context)


@require_POST
@requires(staff)
def tranche_add(request, pk):
    decision = managed_decision(request, pk)
    parts = _parts_for(request.user, decision)
    form = TrancheForm(request.POST, parts=parts, milestones=_milestones(decision), prefix="tr")
    done = submit_form(
        request, form, lambda data: services.plan_tranche(request.user, decision, **data),
        success=lambda tranche: _("Tranche %(n)s (%(part)s) is planned.") % {
            "n": tranche.sequence, "part": tranche.get_part_display()},
        redirect_to=("funding:ledger", pk))
    return done or render(request, "funding/ledger.html", ledger_context(request, decision, tranche_form=form),
                          status=form_status(form))


@require_POST
@requires(staff)
def tranche_step(request, pk, name):
    tranche = managed_tranche(request, pk)
    try:
        if name == "release":
            services.release_tranche(request.user, tranche)
        elif name == "pay":
            form = PayForm(request.POST, prefix="pay")
            if not form.is_valid():
                report_form_errors(request, form)
                return redirect_back(request, "funding:ledger", tranche.decision_id)
            services.pay_tranche(request.user, tranche, **form.details())
        else:
            messages.error(request, _("Unknown step “%(name)s”.") % {"name": name})
            return redirect_back(request, "funding:ledger", tranche.decision_id)
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect_back(request, "funding:ledger", tranche.decision_id)
    tranche.refresh_from_db()
    messages.success(request, _("Tranche %(n)s is now “%(state)s”.") % {"n": tranche.sequence,
                                                                       "state": tranche.get_state_display()})
    return redirect_back(request, "funding:ledger", tranche.decision_id)


@requires(staff)
def agreement(request, pk):
    """The signed investment agreement, served only to officers and the fund's managers (never a media URL)."""
    from django.http import FileResponse, Http404
    from django.shortcuts import get_object_or_404

    from ..models import Investment

    investment = get_object_or_404(Investment, pk=pk)
    managed_decision(request, investment.decision_id)
    if not investment.agreement:
        raise Http404
    response = FileResponse(investment.agreement.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"agreement-{investment.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
