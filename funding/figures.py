"""Computed figures of funds and holdings: what a fund has committed, invested and released, its
portfolio on a date, money paid out of a decision and received on contracts, and an investment's stake history."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
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
    return fund_figures_of([fund])[fund.pk]


def fund_figures_of(funds) -> dict:
    """Fund id → FundFigures for every fund given, in two grouped queries however many funds.

    The fund's side of an approved decision: its investment, or the whole grant of a convertible grant
    (which the fund will hold as equity if it converts), as the caps count it."""
    funds = list(funds)
    ids = [f.pk for f in funds]
    zero = Decimal("0")
    committed = dict(
        FundingDecision.objects.filter(fund_id__in=ids, state=DecisionState.APPROVED).values("fund_id")
        .annotate(c=Coalesce(Sum("equity_amount", filter=~Q(instrument="convertible")), zero)
                  + Coalesce(Sum("grant_amount", filter=Q(instrument="convertible")), zero))
        .values_list("fund_id", "c"))
    invested = dict(Investment.objects.filter(fund_id__in=ids, is_conversion=False).values("fund_id")
                    .annotate(s=Sum("amount")).values_list("fund_id", "s"))
    return {f.pk: FundFigures(committed=committed.get(f.pk) or zero, invested=invested.get(f.pk) or zero,
                              available=f.size - (committed.get(f.pk) or zero)) for f in funds}


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


def portfolio(fund, as_of: date | None = None, *, cached: bool = True) -> Portfolio:
    """Invested, converted, realised (exit proceeds), unrealised (latest mark), MOIC and XIRR over dated flows."""
    return portfolios_of([fund], as_of, cached=cached)[fund.pk]


def _cache_key(fund_id, version, as_of) -> str:
    return f"funding:portfolio:{fund_id}:{version}:{as_of.isoformat()}"


def portfolios_of(funds, as_of: date | None = None, *, cached: bool = True) -> dict:
    """Fund id → Portfolio. The figures change only when money moves (an investment, an exit or a valuation mark
    saved or deleted bumps the fund's ``figures_version``, funding/figures_version.py) or the date changes, so they
    are cached under (fund, version, date). The versions are read afresh in one query (a fund object held since
    before a bump would otherwise read stale figures), so any process sees a bump at once. What is not cached is
    computed for all those funds together."""
    from django.core.cache import cache

    from .models import Fund

    as_of = as_of or timezone.localdate()
    ids = [f.pk for f in funds]
    found = {}
    keys = {}
    if cached:
        versions = dict(Fund.objects.filter(pk__in=ids).values_list("pk", "figures_version"))
        keys = {pk: _cache_key(pk, versions.get(pk), as_of) for pk in ids}
        hits = cache.get_many(list(keys.values()))
        found = {pk: hits[key] for pk, key in keys.items() if key in hits}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        computed = _compute_portfolios(missing, as_of)
        if cached:
            cache.set_many({keys[pk]: computed[pk] for pk in missing}, timeout=24 * 3600)
        found.update(computed)
    return found


def _compute_portfolios(fund_ids, as_of) -> dict:
    """Two queries of plain rows, whatever the funds' size: their investments, each with its latest mark on or
    before ``as_of`` picked by the database (latest date, then latest id), and their exits. The flows are
    listed in the same order as ever (each investment, then its exits by date), so the XIRR is the same
    to the last bit."""
    latest_mark = (ValuationMark.objects.filter(investment=OuterRef("pk"), marked_on__lte=as_of)
                   .order_by("-marked_on", "-pk").values("value")[:1])
    by_fund = defaultdict(list)
    for row in (Investment.objects.filter(fund_id__in=fund_ids).annotate(latest_mark=Subquery(latest_mark))
                .values_list("fund_id", "pk", "amount", "is_conversion", "invested_on", "latest_mark")):
        by_fund[row[0]].append(row[1:])
    exits = defaultdict(list)
    for investment_id, exited_on, proceeds in (Exit.objects.filter(investment__fund_id__in=fund_ids)
                                               .order_by("exited_on", "id")
                                               .values_list("investment_id", "exited_on", "proceeds")):
        exits[investment_id].append((exited_on, proceeds))
    return {fund_id: _portfolio(by_fund[fund_id], exits, as_of) for fund_id in fund_ids}


def vintage_portfolios(funds, as_of: date | None = None) -> dict[int, Portfolio]:
    """The same figures per vintage year (the year of each investment) over the investments of ``funds``:
    the same two queries, whatever the number of years."""
    as_of = as_of or timezone.localdate()
    latest_mark = (ValuationMark.objects.filter(investment=OuterRef("pk"), marked_on__lte=as_of)
                   .order_by("-marked_on", "-pk").values("value")[:1])
    investments = Investment.objects.filter(fund__in=funds)
    years = defaultdict(list)
    for row in (investments.annotate(latest_mark=Subquery(latest_mark))
                .values_list("pk", "amount", "is_conversion", "invested_on", "latest_mark")):
        years[row[3].year].append(row)
    exits = defaultdict(list)
    for investment_id, exited_on, proceeds in (Exit.objects.filter(investment__in=investments)
                                               .order_by("exited_on", "id")
                                               .values_list("investment_id", "exited_on", "proceeds")):
        exits[investment_id].append((exited_on, proceeds))
    return {year: _portfolio(rows, exits, as_of) for year, rows in sorted(years.items())}


def _portfolio(investments, exits, as_of) -> Portfolio:
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
    annotated = getattr(decision, f"{str(part)}_out", None)  # with_paid_out() below: summed in the list's own query
    if annotated is not None:
        return annotated
    return (decision.tranches.filter(part=part, state__in=TRANCHE_OUT_STATES)
            .aggregate(s=Sum("amount"))["s"] or Decimal("0"))


def with_paid_out(decisions):
    """Decisions annotated with what has been released or paid out of each part (``grant_out``,
    ``equity_out``), in the same query, for lists."""
    from .models import Tranche, TranchePart

    def out(part):
        total = (Tranche.objects.filter(decision=OuterRef("pk"), part=part, state__in=TRANCHE_OUT_STATES)
                 .order_by().values("decision").annotate(s=Sum("amount")).values("s"))
        return Coalesce(Subquery(total), Value(Decimal("0")), output_field=DecimalField(max_digits=16,
                                                                                         decimal_places=2))

    return decisions.annotate(**{f"{str(part)}_out": out(part) for part in (TranchePart.GRANT, TranchePart.EQUITY)})


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

    share = Fraction(investment.stake) / 100
    steps = [StakeStep(_("At investment") if not investment.is_conversion else _("At conversion"),
                       investment.invested_on, investment.stake, share)]
    # The decision's rounds as the caller loaded them (a list prefetches ``decision__financing_rounds``).
    rounds = investment.decision.financing_rounds.all()
    converted_at = None
    if investment.is_conversion:
        conversion = getattr(investment.decision, "conversion", None)
        converted_at = conversion.financing_round_id if conversion else None
    rounds = sorted((r for r in rounds if r.closed_on > investment.invested_on or r.pk == converted_at),
                    key=lambda r: (r.closed_on, r.pk))
    for r in rounds:
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
