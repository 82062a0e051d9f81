"""Reads of the funding app, permission-filtered, and the derived figures (never stored twice)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from poc.models import Project
from poc.roles import FUND_MANAGER, has_role, is_officer

from . import finance
from .models import (
    MAJOR_SERIES_THRESHOLD,
    ContractPayment,
    DecisionState,
    Fund,
    FundingDecision,
    Investment,
    TrancheState,
)


def funds_visible_to(user):
    if is_officer(user):
        return Fund.objects.all()
    if has_role(user, FUND_MANAGER):
        return Fund.objects.filter(group__user=user)
    return Fund.objects.none()


def decisions_visible_to(user):
    """Officers: all. Fund managers: their funds' decisions. Applicants: decisions on their own applications."""
    qs = FundingDecision.objects.select_related("application", "fund", "application__institution")
    if is_officer(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(fund__group__user=user) | Q(application__institution__group__user=user)).distinct()


def investments_visible_to(user):
    """Officers and the fund's managers. Applicants never see the fund's holdings."""
    qs = Investment.objects.select_related("decision", "fund")
    if is_officer(user):
        return qs
    if has_role(user, FUND_MANAGER):
        return qs.filter(fund__group__user=user)
    return qs.none()


@dataclass
class FundFigures:
    committed: Decimal
    invested: Decimal
    available: Decimal


def fund_figures(fund) -> FundFigures:
    committed = (FundingDecision.objects.filter(fund=fund, state=DecisionState.APPROVED)
                 .aggregate(e=Sum("equity_amount"))["e"] or Decimal("0"))
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
    """Invested, converted, realised (exit proceeds), unrealised (latest mark), MOIC and XIRR over dated flows."""
    as_of = as_of or timezone.localdate()
    investments = list(Investment.objects.filter(fund=fund).prefetch_related("exits", "marks"))
    invested = sum((i.amount for i in investments if not i.is_conversion), Decimal("0"))
    converted = sum((i.amount for i in investments if i.is_conversion), Decimal("0"))
    flows: list[tuple[date, float]] = []
    realised = Decimal("0")
    unrealised = Decimal("0")
    for inv in investments:
        flows.append((inv.invested_on, -float(inv.amount)))
        for e in inv.exits.all():
            realised += e.proceeds
            flows.append((e.exited_on, float(e.proceeds)))
        marks = [m for m in inv.marks.all() if m.marked_on <= as_of]
        if marks:
            unrealised += max(marks, key=lambda m: (m.marked_on, m.pk)).value
    if unrealised:
        flows.append((as_of, float(unrealised)))
    cost = invested + converted
    moic = ((realised + unrealised) / cost).quantize(Decimal("0.01")) if cost else None
    return Portfolio(invested=invested, converted=converted, realised=realised, unrealised=unrealised, moic=moic,
                     irr=finance.xirr(flows), investments=len(investments), cash_flows=len(flows))


def released_and_paid(decision, part) -> Decimal:
    return (decision.tranches.filter(part=part, state__in=[TrancheState.RELEASED, TrancheState.PAID])
            .aggregate(s=Sum("amount"))["s"] or Decimal("0"))


def received_on_contracts(project) -> Decimal:
    return (ContractPayment.objects.filter(contract__project=project).aggregate(s=Sum("amount"))["s"]
            or Decimal("0"))


def eligible_for_major_series(project) -> bool:
    """≥ ¥2,000,000.00 actually received on registered technology contracts (¥1,999,999.99 is not)."""
    return received_on_contracts(project) >= MAJOR_SERIES_THRESHOLD


def overdue_obligations(today: date | None = None):
    """Projects past their conversion deadline without a registered technology contract."""
    today = today or timezone.localdate()
    return (Project.objects.filter(obligation_due_on__lt=today, tech_contracts__isnull=True)
            .exclude(state="terminated").select_related("institution"))
