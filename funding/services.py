"""Every write of the funding app: one function per use case, each in a transaction."""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.attachment_checks import check_upload
from poc.errors import BadInput, NotNow
from poc.models import ApplicationState, TransitionLog
from poc.roles import SYSTEM
from poc.workflow import record_creation, run_transition

from . import finance
from .caps import cap_violations, stake_over_cap
from .entry_rules import entry_rule_violations, grant_ceiling_violations
from .models import (
    CONVERSION_WAITING_STATES,
    Conversion,
    ConversionState,
    DecisionState,
    Exit,
    ExitKind,
    ExitMethod,
    FinancingRound,
    Fund,
    FundingDecision,
    Instrument,
    Investment,
    Tranche,
    TranchePart,
    ValuationMark,
)
from .models.funds import ENTRY_RULE_FIELDS


def clean(obj, exclude=None):
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise BadInput(*[m for ms in exc.message_dict.values() for m in ms], field_errors=exc.message_dict) from None


def parse_money(value, field):
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError):
        raise BadInput(_("“%(f)s” must be an amount in yuan.") % {"f": field}, field_errors={field: [_("Invalid.")]}) \
            from None
    if amount < 0:
        raise BadInput(_("“%(f)s” cannot be negative.") % {"f": field}, field_errors={field: [_("Negative.")]})
    return amount


@transaction.atomic
def create_fund(user, **fields) -> Fund:
    require(user, "create", Fund)
    fund = Fund(**fields)
    fund.group = Group.objects.create(name=Fund.group_name_for(fields.get("name", "")))
    clean(fund, exclude=["group"])
    fund.save()
    return fund


# The audit row of a change to a fund's entry rule: ``comment`` names the rule, ``source`` and ``target`` its values.
ENTRY_RULE_CHANGE = "change_entry_rule"


@transaction.atomic
def set_entry_rules(user, fund, **fields) -> Fund:
    """The fund's entry rules for a convertible grant (先投后股): company age ≤ N years, paid-in capital ≥ X % of the
    registered capital (None: no such rule). Set by its managers or officers; each change audited (who, when,
    which rule, from, to). Decisions already approved are not judged again."""
    require(user, "set_entry_rules", fund)
    unknown = set(fields) - set(ENTRY_RULE_FIELDS)
    if unknown:
        raise BadInput(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    before = {name: getattr(fund, name) for name in ENTRY_RULE_FIELDS}
    for key, value in fields.items():
        setattr(fund, key, value)
    clean(fund, exclude=["group"])
    changed = [name for name in ENTRY_RULE_FIELDS if getattr(fund, name) != before[name]]
    if changed:
        fund.save(update_fields=changed)
    for name in changed:
        TransitionLog.objects.create(subject=fund, transition=ENTRY_RULE_CHANGE, actor=user, comment=name,
                                     source="" if before[name] is None else str(before[name]),
                                     target="" if getattr(fund, name) is None else str(getattr(fund, name)))
    return fund


def add_fund_manager(user, fund, manager) -> None:
    require(user, "appoint_manager", fund)
    manager.groups.add(fund.group)


DECISION_FIELDS = ("instrument", "grant_amount", "grant_programme", "equity_amount", "fund", "pre_money_valuation",
                   "qualifying_round_minimum", "conversion_discount", "valuation_cap", "conversion_deadline",
                   "exit_method", "buyback_rate", "rationale")


def _validate_decision(decision):
    inst = decision.instrument
    if inst not in Instrument.values:
        raise BadInput(_("Unknown instrument."), field_errors={"instrument": [_("Unknown value.")]})
    errors = {}
    if inst in (Instrument.GRANT, Instrument.GRANT_EQUITY, Instrument.CONVERTIBLE) and decision.grant_amount <= 0:
        errors["grant_amount"] = _("This instrument has a grant part: give its amount.")
    if inst in (Instrument.GRANT, Instrument.GRANT_EQUITY, Instrument.CONVERTIBLE) and not decision.grant_programme:
        errors["grant_programme"] = _("Name the science programme that pays the grant.")
    if inst in (Instrument.EQUITY, Instrument.GRANT_EQUITY) and decision.equity_amount <= 0:
        errors["equity_amount"] = _("This instrument has an equity part: give the investment.")
    if inst in (Instrument.GRANT, Instrument.CONVERTIBLE) and decision.equity_amount:
        errors["equity_amount"] = _("This instrument has no separate investment.")
    if inst in (Instrument.EQUITY, Instrument.GRANT_EQUITY, Instrument.CONVERTIBLE) and decision.fund_id is None:
        errors["fund"] = _("Choose the fund for the equity part.")
    if inst == Instrument.GRANT and decision.fund_id:
        errors["fund"] = _("A grant-only decision has no fund.")
    if inst == Instrument.EQUITY and decision.grant_amount:
        errors["grant_amount"] = _("An equity-only decision has no grant.")
    if inst == Instrument.CONVERTIBLE:
        if decision.conversion_deadline is None:
            errors["conversion_deadline"] = _("A convertible grant needs the deadline after which it closes as a grant.")
        if decision.qualifying_round_minimum is None:
            errors["qualifying_round_minimum"] = _("A convertible grant needs the minimum size of a qualifying round.")
        if not decision.exit_method:
            errors["exit_method"] = _("Choose the exit terms.")
        if decision.exit_method == ExitMethod.BUYBACK and decision.buyback_rate is None:
            errors["buyback_rate"] = _("A buyback needs its simple annual interest rate.")
    if errors:
        raise BadInput(*errors.values(), field_errors={k: [v] for k, v in errors.items()})


def decision_rule_violations(decision) -> list[str]:
    """What a proposed decision breaches: the fund's caps, the call's grant ceiling, the fund's entry rules."""
    return cap_violations(decision) + grant_ceiling_violations(decision) + entry_rule_violations(decision)


@transaction.atomic
def propose_decision(user, application, **fields) -> FundingDecision:
    """The bureau proposes a 投拨结合 decision for a reviewed project application; the fund's caps, the call's grant
    ceiling and the fund's entry rules are checked now (and again on each approval)."""
    require(user, "create", FundingDecision)
    if not application.is_project:
        raise BadInput(_("Funding decisions are for project applications."))
    if application.state != ApplicationState.REVIEWED:
        raise NotNow(_("A funding decision is proposed while the application is “reviewed”; it is “%(s)s”.")
                     % {"s": application.get_state_display()})
    existing = FundingDecision.objects.filter(application=application).first()
    if existing and existing.state != DecisionState.REJECTED:
        raise NotNow(_("This application already has a funding decision."))
    unknown = set(fields) - set(DECISION_FIELDS)
    if unknown:
        raise BadInput(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if existing:
        # Proposed again with revised terms: the same record goes rejected → proposed, so the rejection and its
        # reason stay in the audit trail.
        for key in DECISION_FIELDS:
            if key in fields:
                setattr(existing, key, fields[key])
        clean(existing, exclude=["application", "proposed_by", "state"])
        _validate_decision(existing)
        problems = decision_rule_violations(existing)
        if problems:
            raise BadInput(*problems)
        FundingDecision.objects.filter(pk=existing.pk).update(**{k: getattr(existing, k) for k in DECISION_FIELDS
                                                                 if k != "fund"}, fund=existing.fund)
        return run_transition(existing, "propose_again", user,
                              fields.get("rationale") or _("Proposed again with revised terms."))
    decision = FundingDecision(application=application, proposed_by=user, **fields)
    clean(decision, exclude=["application", "proposed_by", "state"])
    _validate_decision(decision)
    problems = decision_rule_violations(decision)
    if problems:
        raise BadInput(*problems)
    decision.save()
    record_creation(decision, user)
    return decision


def approve_grant(user, decision, comment=""):
    return run_transition(decision, "approve_grant", user, comment)


def approve_equity(user, decision, comment=""):
    return run_transition(decision, "approve_equity", user, comment)


def reject_decision(user, decision, reason):
    return run_transition(decision, "reject", user, reason)


@transaction.atomic
def record_investment(user, decision, *, investee_name, investee_credit_code, amount, pre_money_valuation,
                      invested_on, stake=None, agreement=None) -> Investment:
    """Record an equity investment; the stake is derived (amount / post-money, 4 decimals); a typed stake that
    disagrees is refused."""
    require(user, "record_investment", decision)
    if decision.state != DecisionState.APPROVED or not decision.has_equity_part or \
            decision.instrument == Instrument.CONVERTIBLE:
        raise NotNow(_("An investment is recorded for an approved decision with an equity part."))
    amount = parse_money(amount, "amount")
    pre = parse_money(pre_money_valuation, "pre_money_valuation")
    if amount <= 0:
        raise BadInput(_("The investment must be positive."))
    invested = (decision.investments.filter(is_conversion=False).aggregate(s=Sum("amount"))["s"]
                or Decimal("0")).quantize(Decimal("0.01"))  # SQLite's SUM drops the decimals
    if invested + amount > decision.equity_amount:
        raise BadInput(_("The approved investment is %(a)s; %(done)s is already recorded, so %(amount)s is too much.")
                       % {"a": decision.equity_amount, "done": invested, "amount": amount})
    derived = finance.stake_from_pre_money(amount, pre)
    if stake not in (None, ""):
        try:
            typed = Decimal(str(stake)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)  # as the derived one
        except InvalidOperation:
            raise BadInput(_("The stake must be a number.")) from None
        if typed != derived:
            raise BadInput(_("The stake %(typed)s%% disagrees with amount / post-money = %(derived)s%%.")
                           % {"typed": typed, "derived": derived}, field_errors={"stake": [_("Disagrees.")]})
    fund = decision.fund
    over = stake_over_cap(amount, pre, fund.cap_stake) if fund.cap_stake is not None else None
    if over is not None:
        raise BadInput(_("%(fund)s holds at most %(cap)s%% of an investee; this is %(stake)s%%.")
                       % {"fund": fund.name, "cap": format(fund.cap_stake.normalize(), "f"), "stake": over})
    investment = Investment(decision=decision, fund=fund, investee_name=investee_name,
                            investee_credit_code=investee_credit_code, amount=amount, pre_money_valuation=pre,
                            stake=derived, invested_on=invested_on, recorded_by=user)
    clean(investment, exclude=["decision", "fund", "recorded_by", "agreement"])
    if agreement is not None:
        checked = check_upload(agreement)
        if checked.extension != "pdf":
            raise BadInput(_("The signed investment agreement must be a PDF."), field_errors={"agreement": [_("Not a PDF.")]})
        investment.agreement.save("agreement.pdf", ContentFile(checked.content), save=False)
    investment.save()
    return investment


def _approved_amount(decision, part):
    return decision.grant_amount if part == TranchePart.GRANT else decision.equity_amount


@transaction.atomic
def plan_tranche(user, decision, *, part, amount, milestone=None, release_on=None) -> Tranche:
    require(user, "plan_grant_tranche" if part == TranchePart.GRANT else "plan_equity_tranche", decision)
    if part == TranchePart.GRANT and not decision.has_grant_part or part == TranchePart.EQUITY and not (
            decision.has_equity_part and decision.instrument != Instrument.CONVERTIBLE):
        raise BadInput(_("This decision has no such part."))
    amount = parse_money(amount, "amount")
    if amount <= 0:
        raise BadInput(_("A tranche must be positive."))
    locked = FundingDecision.objects.select_for_update().get(pk=decision.pk)
    planned = locked.tranches.filter(part=part).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if planned + amount > _approved_amount(locked, part):
        raise BadInput(_("Tranches would add up to %(sum)s, more than the approved %(approved)s.")
                       % {"sum": planned + amount, "approved": _approved_amount(locked, part)})
    if milestone is None and release_on is None:
        raise BadInput(_("A tranche is released on a milestone or on a date: give one."))
    sequence = (locked.tranches.filter(part=part).count()) + 1
    tranche = Tranche.objects.create(decision=locked, part=part, sequence=sequence, amount=amount,
                                     milestone=milestone, release_on=release_on)
    record_creation(tranche, user)
    return tranche


def release_tranche(user, tranche) -> Tranche:
    """Release a tranche; its transition refuses to overdraw the approved amount (rules.within_approved_amount)."""
    return run_transition(tranche, "release", user)


def pay_tranche(user, tranche, *, payment_reference, paid_on=None) -> Tranche:
    if not (payment_reference or "").strip():
        raise BadInput(_("The payment reference is required."), field_errors={"payment_reference": [_("Required.")]})
    return run_transition(tranche, "pay", user, "", payment_reference=payment_reference.strip(), paid_on=paid_on)


def _qualifies(decision, financing_round) -> bool:
    return (decision.qualifying_round_minimum is not None
            and financing_round.amount_raised >= decision.qualifying_round_minimum
            and (decision.conversion_deadline is None or financing_round.closed_on <= decision.conversion_deadline))


def outstanding_conversion(decision):
    if decision.instrument != Instrument.CONVERTIBLE or decision.state != DecisionState.APPROVED:
        return None
    conversion, _created = Conversion.objects.get_or_create(decision=decision)
    return conversion if conversion.state == ConversionState.OUTSTANDING else None


@transaction.atomic
def record_round(user, decision, *, round_name, closed_on, pre_money_valuation, amount_raised, lead_investor="",
                 price_per_share=None) -> FinancingRound:
    """Record a financing round of the investee; a convertible grant converts at the first qualifying round."""
    require(user, "record_round", decision)
    financing_round = FinancingRound(decision=decision, round_name=round_name, closed_on=closed_on,
                                     pre_money_valuation=parse_money(pre_money_valuation, "pre_money_valuation"),
                                     amount_raised=parse_money(amount_raised, "amount_raised"),
                                     lead_investor=lead_investor, price_per_share=price_per_share, recorded_by=user)
    clean(financing_round, exclude=["decision", "recorded_by"])
    financing_round.save()
    conversion = outstanding_conversion(decision)
    if conversion is not None and _qualifies(decision, financing_round):
        from .conversions import convert_at_round

        convert_at_round(user, conversion, financing_round)
    return financing_round


def lapse_conversions(actor=SYSTEM, today: date | None = None) -> list[int]:
    """Close as grants (结项免责) the convertible grants past their deadline with no qualifying round. Idempotent."""
    today = today or timezone.localdate()
    closed = []
    for decision in FundingDecision.objects.filter(instrument=Instrument.CONVERTIBLE, state=DecisionState.APPROVED,
                                                   conversion_deadline__lt=today):
        conversion = outstanding_conversion(decision)
        if conversion is not None:
            run_transition(conversion, "lapse", actor, _("No qualifying round by %(d)s: closed as a grant.")
                           % {"d": decision.conversion_deadline})
            closed.append(decision.pk)
    return closed


def current_stake(investment) -> Decimal:
    """The holding after every later round of the investee (dilution), less what was sold; exact until the result,
    which is rounded for display (4 decimals)."""
    stake = Fraction(investment.stake) / 100
    if investment.is_conversion:
        # A converted grant's shares are issued at its round, beside the round's new money (finance: the
        # pre-money convention); that round closed on the investment's own date.
        conversion = Conversion.objects.filter(decision_id=investment.decision_id).select_related(
            "financing_round").first()
        if conversion is not None and conversion.financing_round is not None:
            decision, r = investment.decision, conversion.financing_round
            stake = finance.conversion_shares(conversion.grant_converted, r.pre_money_valuation, r.amount_raised,
                                              decision.conversion_discount, decision.valuation_cap).stake_after_round
    # In date order: a later round dilutes what is still held; an exit sells a share of what is held then.
    events = [(r.closed_on, 0, r) for r in investment.decision.financing_rounds.all()  # prefetched in lists
              if r.closed_on > investment.invested_on]
    events += [(e.exited_on, 1, e) for e in investment.exits.all()]
    for _day, kind, event in sorted(events, key=lambda item: (item[0], item[1], item[2].pk)):
        if kind == 0:
            stake = finance.dilute(stake, event.pre_money_valuation, event.amount_raised)
        else:
            stake -= Fraction(event.stake_sold) / 100
    return finance.percent(max(stake, Fraction(0)))


@transaction.atomic
def record_exit(user, investment, *, kind, exited_on, proceeds=None, stake_sold) -> Exit:
    require(user, "record_exit", investment)
    decision = investment.decision
    if kind == ExitKind.BUYBACK and proceeds in (None, ""):
        if decision.buyback_rate is None:
            raise BadInput(_("No buyback rate was agreed; give the proceeds."))
        proceeds = finance.buyback_amount(investment.amount, decision.buyback_rate, investment.invested_on, exited_on)
    exit_ = Exit(investment=investment, kind=kind, exited_on=exited_on, proceeds=parse_money(proceeds, "proceeds"),
                 stake_sold=Decimal(str(stake_sold)), recorded_by=user)
    clean(exit_, exclude=["investment", "recorded_by"])
    if exit_.stake_sold > current_stake(investment):
        raise BadInput(_("Only %(s)s%% is held; %(sold)s%% cannot be sold.") % {"s": current_stake(investment),
                                                                              "sold": exit_.stake_sold})
    exit_.save()
    return exit_


def mark_value(user, investment, *, marked_on, value, note="") -> ValuationMark:
    require(user, "mark_value", investment)
    return ValuationMark.objects.create(investment=investment, marked_on=marked_on, value=parse_money(value, "value"),
                                        note=note, recorded_by=user)


def close_conversion_as_grant(user, decision, comment="") -> Conversion:
    """Close an outstanding (or waiting on a cap) convertible grant as a grant (结项免责) before its deadline."""
    outstanding_conversion(decision)
    conversion = Conversion.objects.filter(decision=decision).first()
    if conversion is None or conversion.state not in (ConversionState.OUTSTANDING, *CONVERSION_WAITING_STATES):
        raise NotNow(_("This decision has no outstanding convertible grant."))
    return run_transition(conversion, "lapse", user, comment)
