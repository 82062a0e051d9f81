"""Computed figures of funds and holdings: what a fund has committed, invested and released, its
portfolio on a date, money paid out of a decision and received on contracts, and an investment's stake history."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone

from . import finance
from .models import (
    TRANCHE_OUT_STATES,
    ContractPayment,
    DecisionState,
    Exit,
    FundingDecision,
    Investment,
    PaymentState,
    ValuationMark,
    counting_payments_q,
)


@dataclass
class FundFigures:
    committed: Decimal
    invested: Decimal
    available: Decimal


def fund_figures(fund) -> FundFigures:
    # The fund's side of an approved decision: its investment, or the whole grant of a convertible grant
    # (which the fund will hold as equity if it converts), as the caps count it.
    approved = FundingDecision.objects.filter(fund=fund, state=DecisionState.APPROVED)
    committed = ((approved.exclude(instrument="convertible").aggregate(e=Sum("equity_amount"))["e"] or Decimal("0"))
                 + (approved.filter(instrument="convertible").aggregate(g=Sum("grant_amount"))["g"] or Decimal("0")))
    invested = Investment.objects.filter(fund=fund, is_conversion=False).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return FundFigures(committed=committed, invested=invested, available=fund.size - committed)


@dataclass
class Portfolio:
    invested: Decimal
    converted: Decimal
    realised: Decimal
    unrealised: Decimal
    moic: Decimal | None
    irr: float | None
    investments: int
    cash_flows: int


def portfolio(fund, as_of: date | None = None) -> Portfolio:
    """Invested, converted, realised (exit proceeds), unrealised (latest mark), MOIC and XIRR over dated flows.

    Two queries of plain rows, whatever the fund's size: its investments, each with its latest mark on or
    before ``as_of`` picked by the database (latest date, then latest id), and its exits. The flows are
    listed in the same order as ever (each investment, then its exits by date), so the XIRR is the same
    to the last bit."""
    as_of = as_of or timezone.localdate()
    investments, exits = _holdings(Investment.objects.filter(fund=fund), as_of)
    return _portfolio_of(investments, exits, as_of)


def vintage_portfolios(funds, as_of: date | None = None) -> dict[int, Portfolio]:
    """The same figures per vintage year (the year of each investment) over the investments of ``funds``:
    the same two queries, whatever the number of years."""
    as_of = as_of or timezone.localdate()
    investments, exits = _holdings(Investment.objects.filter(fund__in=funds), as_of)
    years = defaultdict(list)
    for row in investments:
        years[row[3].year].append(row)
    return {year: _portfolio_of(rows, exits, as_of) for year, rows in sorted(years.items())}


def _holdings(investments, as_of: date):
    """(investments as (pk, amount, is_conversion, invested_on, latest mark) rows, {investment: [(date, proceeds)]})."""
    latest_mark = (ValuationMark.objects.filter(investment=OuterRef("pk"), marked_on__lte=as_of)
                   .order_by("-marked_on", "-pk").values("value")[:1])
    rows = list(investments.annotate(latest_mark=Subquery(latest_mark))
                .values_list("pk", "amount", "is_conversion", "invested_on", "latest_mark"))
    exits = defaultdict(list)
    for investment_id, exited_on, proceeds in (Exit.objects.filter(investment__in=investments)
                                               .order_by("exited_on", "id")
                                               .values_list("investment_id", "exited_on", "proceeds")):
        exits[investment_id].append((exited_on, proceeds))
    return rows, exits


def _portfolio_of(investments, exits, as_of: date) -> Portfolio:
    invested = sum((amount for _pk, amount, conv, _on, _m in investments if not conv), Decimal("0"))
    converted = sum((amount for _pk, amount, conv, _on, _m in investments if conv), Decimal("0"))
    flows: list[tuple[date, float]] = []
    realised = Decimal("0")
    unrealised = Decimal("0")
    for pk, amount, _conv, invested_on, mark in investments:
        flows.append((invested_on, -float(amount)))
        for exited_on, proceeds in exits.get(pk, ()):
            realised += proceeds
            flows.append((exited_on, float(proceeds)))
        if mark is not None:
            unrealised += mark
    if unrealised:
        flows.append((as_of, float(unrealised)))
    cost = invested + converted
    moic = ((realised + unrealised) / cost).quantize(Decimal("0.01")) if cost else None
    return Portfolio(invested=invested, converted=converted, realised=realised, unrealised=unrealised, moic=moic,
                     irr=finance.xirr(flows), investments=len(investments), cash_flows=len(flows))


def released_and_paid(decision, part) -> Decimal:
    return (decision.tranches.filter(part=part, state__in=TRANCHE_OUT_STATES)
            .aggregate(s=Sum("amount"))["s"] or Decimal("0"))


def received_on_contracts(project) -> Decimal:
    """Recorded as received on the project's contracts (a payment the bureau refused is not)."""
    return (ContractPayment.objects.filter(contract__project=project, state__in=PaymentState.RECEIVED)
            .aggregate(s=Sum("amount"))["s"] or Decimal("0"))


def verified_for_major_series(project) -> Decimal:
    """Received and verified by the bureau on the project's registered 产学研 contracts: what the major-series
    threshold counts."""
    return (ContractPayment.objects.filter(counting_payments_q(), contract__project=project)
            .aggregate(s=Sum("amount"))["s"] or Decimal("0"))


@dataclass
class StakeStep:
    label: str
    on: date
    stake: Decimal  # in %, rounded for display
    share: Fraction  # exact


def stake_history(investment) -> list[StakeStep]:
    """The holding step by step: at investment, after each later round of the investee (dilution).

    A converted grant's shares are issued at the round it converts at, beside that round's new money
    (finance.conversion_shares: the pre-money convention); later rounds dilute it as any other holding."""
    from django.utils.translation import gettext as _

    from .models import FinancingRound

    share = Fraction(investment.stake) / 100
    steps = [StakeStep(_("At investment") if not investment.is_conversion else _("At conversion"),
                       investment.invested_on, investment.stake, share)]
    rounds = FinancingRound.objects.filter(decision_id=investment.decision_id)
    converted_at = None
    if investment.is_conversion:
        conversion = getattr(investment.decision, "conversion", None)
        converted_at = conversion.financing_round_id if conversion else None
        rounds = rounds.filter(Q(closed_on__gt=investment.invested_on) | Q(pk=converted_at))
    else:
        rounds = rounds.filter(closed_on__gt=investment.invested_on)
    for r in rounds.order_by("closed_on", "id"):
        if converted_at is not None and r.pk == converted_at:
            decision = investment.decision
            share = finance.conversion_shares(conversion.grant_converted, r.pre_money_valuation, r.amount_raised,
                                              decision.conversion_discount, decision.valuation_cap).stake_after_round
        else:
            share = finance.dilute(share, r.pre_money_valuation, r.amount_raised)
        steps.append(StakeStep(_("After %(round)s") % {"round": r.round_name}, r.closed_on, finance.percent(share),
                               share))
    return steps


def held_stake(investment) -> Decimal:
    """The stake held now: after dilution by later rounds, less what was sold in exits (exact, then rounded)."""
    share = stake_history(investment)[-1].share
    sold = sum((Fraction(e.stake_sold) / 100 for e in investment.exits.all()), Fraction(0))
    return finance.percent(max(share - sold, Fraction(0)))


def latest_mark(investment):
    marks = sorted(investment.marks.all(), key=lambda m: (m.marked_on, m.pk))
    return marks[-1] if marks else None
