"""Financing rounds, the conversion of a convertible grant (先投后股), dilution, exits and valuation marks."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from poc.access import can
from poc.errors import DomainError, NotNow
from poc.forms import attach_domain_error

from .. import conversion_caps, conversions, figures, finance, services
from ..forms import ExitForm, MarkForm, RoundForm
from ..models import (
    CONVERSION_WAITING_STATES,
    ConversionState,
    DecisionState,
    ExitKind,
    Instrument,
    Investment,
)
from .common import (
    form_status,
    managed_decision,
    redirect_back,
    report_refusal,
    requires,
    staff,
    steps,
    submit_form,
)


def _conversion(decision):
    """The conversion record of an approved convertible grant (created on first look, as the service does)."""
    if decision.instrument != Instrument.CONVERTIBLE or decision.state != DecisionState.APPROVED:
        return None
    services.outstanding_conversion(decision)
    return type(decision).objects.get(pk=decision.pk).conversion


def rounds_context(request, decision, round_form=None, exit_form=None, mark_form=None) -> dict:
    user = request.user
    conversion = _conversion(decision)
    conversion_result = None
    if conversion is not None and conversion.state == ConversionState.CONVERTED and conversion.financing_round:
        r = conversion.financing_round
        terms = (conversion.grant_converted, r.pre_money_valuation, r.amount_raised, decision.conversion_discount,
                 decision.valuation_cap)
        shares = finance.conversion_shares(*terms)
        conversion_result = {**finance.conversion_stake(*terms),
                             "new_money_stake": finance.percent(shares.new_money_stake),
                             "earlier_holders_stake": finance.percent(shares.earlier_holders_stake)}
    cap_wait = None
    if conversion is not None and conversion.state in CONVERSION_WAITING_STATES:
        within = conversion_caps.largest_amount_within_caps(conversion)
        cap_wait = {"breaches": conversion_caps.conversion_breaches(conversion), "within": within,
                    "rest": decision.grant_amount - within}
    investments = list(decision.investments.prefetch_related("exits", "marks").order_by("invested_on", "id"))
    for investment in investments:
        investment.history = figures.stake_history(investment)
        investment.held = figures.held_stake(investment)
        investment.mark = figures.latest_mark(investment)
    manager = any(can(user, "record_exit", i) for i in investments) if investments else False
    holdings = Investment.objects.filter(decision=decision)
    exits = [e for i in investments for e in i.exits.all()]
    marks = [m for i in investments for m in i.marks.all()]
    return {
        "decision": decision, "application": decision.application, "tab": "rounds", "staff": True,
        "conversion": conversion, "conversion_result": conversion_result, "cap_wait": cap_wait,
        "conversion_panel": steps(conversion, user, exclude=("convert", "hold")) if conversion is not None else [],
        "rounds": decision.financing_rounds.order_by("closed_on", "id"),
        "investments": investments,
        "exits": sorted(exits, key=lambda e: (e.exited_on, e.pk)),
        "marks": sorted(marks, key=lambda m: (m.marked_on, m.pk)),
        "round_form": round_form or (RoundForm(prefix="round") if decision.state == DecisionState.APPROVED else None),
        "exit_form": exit_form or (ExitForm(investments=holdings, prefix="exit", initial={"kind": ExitKind.BUYBACK})
                                   if manager and investments else None),
        "mark_form": mark_form or (MarkForm(investments=holdings, prefix="mark") if manager and investments else None),
    }


@requires(staff)
def rounds(request, pk):
    decision = managed_decision(request, pk)
    return render(request, "funding/rounds.html", rounds_context(request, decision))


@require_POST
@requires(staff)
def round_add(request, pk):
    decision = managed_decision(request, pk)
    form = RoundForm(request.POST, prefix="round")
    # Not submit_form: what the round did to a convertible grant is told at two levels (converted: success;
    # recorded but not qualifying: info), so the outcome is reported here.
    if form.is_valid():
        before = getattr(_conversion(decision), "state", None)
        try:
            financing_round = services.record_round(request.user, decision, **form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            _report_round(request, decision, financing_round, before)
            return redirect("funding:rounds", pk)
    return render(request, "funding/rounds.html", rounds_context(request, decision, round_form=form),
                  status=form_status(form))


def _report_round(request, decision, financing_round, before):
    """Say what the round just recorded did to an outstanding convertible grant."""
    conversion = _conversion(decision)
    if before == ConversionState.OUTSTANDING and conversion.state == ConversionState.CONVERTED:
        messages.success(request, _("The round %(round)s is recorded and qualifies: the grant converted into "
                                    "%(stake)s%% at a valuation of ¥%(v)s.") % {
            "round": financing_round.round_name, "stake": conversion.stake,
            "v": f"{conversion.conversion_valuation:,.2f}"})
    elif before == ConversionState.OUTSTANDING and conversion.state == ConversionState.WAITING_ON_CAP:
        messages.warning(request, _("The round %(round)s is recorded and qualifies, but the conversion would breach a "
                                    "cap of the fund: it waits (see the numbers below).") % {
            "round": financing_round.round_name})
    elif before == ConversionState.OUTSTANDING:
        messages.info(request, _("The round %(round)s is recorded; it does not qualify for the conversion "
                                 "(at least ¥%(min)s raised by %(d)s).") % {
            "round": financing_round.round_name, "min": f"{decision.qualifying_round_minimum:,.2f}",
            "d": decision.conversion_deadline})
    else:
        messages.success(request, _("The round %(round)s is recorded.") % {"round": financing_round.round_name})


@require_POST
@requires(staff)
def conversion_step(request, pk, name):
    """A step on a convertible grant by hand: close it as a grant (the nightly job does it at the deadline), or,
    waiting on a cap, convert up to the cap, ask for a waiver, approve or refuse it."""
    decision = managed_decision(request, pk)
    conversion = _conversion(decision)
    from poc.forms import TransitionForm

    form = TransitionForm(request.POST, prefix=name)
    form.is_valid()
    try:
        if name == "lapse":
            services.close_conversion_as_grant(request.user, decision, form.cleaned_data.get("comment", ""))
        elif conversion is None:
            raise NotNow(_("This decision has no outstanding convertible grant."))
        else:
            conversions.run_conversion_step(request.user, conversion, name, form.cleaned_data.get("comment", ""))
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect_back(request, "funding:rounds", pk)
    messages.success(request, _STEP_DONE[name])
    return redirect("funding:rounds", pk)


_STEP_DONE = {
    "lapse": gettext_lazy("The convertible grant is closed as a grant."),
    "convert_up_to_cap": gettext_lazy("The grant is converted up to the cap; the rest is closed as a grant."),
    "request_waiver": gettext_lazy("The waiver is recorded; it awaits the bureau's approval."),
    "approve_waiver": gettext_lazy("The waiver is approved: the grant is converted in full."),
    "refuse_waiver": gettext_lazy("The waiver is refused: the conversion waits on the cap."),
}


@require_POST
@requires(staff)
def exit_add(request, pk):
    decision = managed_decision(request, pk)
    form = ExitForm(request.POST, investments=Investment.objects.filter(decision=decision), prefix="exit")
    done = submit_form(
        request, form, lambda data: services.record_exit(request.user, **_on_investment(data)),
        success=lambda exit_: _("The exit is recorded: ¥%(p)s for %(s)s%%.") % {
            "p": f"{exit_.proceeds:,.2f}", "s": exit_.stake_sold},
        redirect_to=("funding:rounds", pk))
    return done or render(request, "funding/rounds.html", rounds_context(request, decision, exit_form=form),
                          status=form_status(form))


def _on_investment(data) -> dict:
    """The form's data as the service's arguments: the chosen investment first."""
    data = dict(data)
    return {"investment": data.pop("investment"), **data}


@require_GET
@requires(staff)
def buyback_preview(request, pk):
    """The buyback proceeds for the investment and date being typed (htmx fragment)."""
    decision = managed_decision(request, pk)
    form = ExitForm(request.GET, investments=Investment.objects.filter(decision=decision), prefix="exit")
    form.is_valid()
    data = form.cleaned_data
    context = {"ready": False}
    if data.get("investment") and data.get("exited_on") and decision.buyback_rate is not None:
        investment = data["investment"]
        context.update({
            "ready": True, "rate": decision.buyback_rate, "principal": investment.amount,
            "since": investment.invested_on, "on": data["exited_on"],
            "days": max((data["exited_on"] - investment.invested_on).days, 0),
            "amount": finance.buyback_amount(investment.amount, decision.buyback_rate, investment.invested_on,
                                             data["exited_on"]),
        })
    context["no_rate"] = decision.buyback_rate is None
    return render(request, "funding/_buyback_preview.html", context)


@require_POST
@requires(staff)
def mark_add(request, pk):
    decision = managed_decision(request, pk)
    form = MarkForm(request.POST, investments=Investment.objects.filter(decision=decision), prefix="mark")
    done = submit_form(request, form, lambda data: services.mark_value(request.user, **_on_investment(data)),
                       success=_("The valuation mark is recorded."), redirect_to=("funding:rounds", pk))
    return done or render(request, "funding/rounds.html", rounds_context(request, decision, mark_form=form),
                          status=form_status(form))
