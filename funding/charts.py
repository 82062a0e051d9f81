"""Funding's charts: the fund manager's dashboard, and the technology contracts on poc's programme dashboard.

Every figure is read through the permission-filtered selectors and, on the fund dashboard, limited to the
funds the viewer manages. The portfolio figures per vintage year are :func:`funding.figures.portfolio`'s own.
"""
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from poc.access import visible
from poc.charts import Chart, Series

from . import figures, selectors
from .models import (
    MAJOR_SERIES_THRESHOLD,
    TRANCHE_OUT_STATES,
    Conversion,
    ConversionState,
    DecisionState,
    FundingDecision,
    Instrument,
    RiskState,
    Tranche,
    TranchePart,
)

MONEY = DecimalField(max_digits=16, decimal_places=2)
# The fund's side of a decision, as the caps count it (figures.fund_figures): its investment, or the whole grant
# of a convertible grant; and the tranches paying that side out.
_FUND_SIDE = Case(When(instrument=Instrument.CONVERTIBLE, then=F("grant_amount")), default=F("equity_amount"),
                  output_field=MONEY)
_FUND_TRANCHE = Q(part=TranchePart.EQUITY) | Q(part=TranchePart.GRANT, decision__instrument=Instrument.CONVERTIBLE)


def _sum_per_fund(queryset, amount):
    return Coalesce(Subquery(queryset.order_by().values("fund_key").annotate(s=Sum(amount)).values("s")),
                    Value(Decimal("0")), output_field=MONEY)


def committed_and_released(user, funds) -> Chart:
    """Per fund: its size (the cap on what it commits), committed (approved decisions) and released (tranches out)."""
    committed = (FundingDecision.objects.filter(fund=OuterRef("pk"), state=DecisionState.APPROVED)
                 .annotate(fund_key=F("fund")))
    released = (Tranche.objects.filter(_FUND_TRANCHE, decision__fund=OuterRef("pk"), state__in=TRANCHE_OUT_STATES)
                .annotate(fund_key=F("decision__fund")))
    rows = list(funds.order_by("name").annotate(committed=_sum_per_fund(committed, _FUND_SIDE),
                                                released=_sum_per_fund(released, F("amount"))))
    return Chart(
        key="fund-caps", title=_("Committed and released per fund, against its size"), category_label=_("Fund"),
        categories=[fund.name for fund in rows],
        series=[Series(_("Committed (% of the fund)"), [_share(fund.committed, fund.size) for fund in rows], places=2),
                Series(_("Released (% of the fund)"), [_share(fund.released, fund.size) for fund in rows], places=2)],
        line=(Decimal("100"), _("Fund size")), axis_names=("%", ""),
        extra_columns=[(_("Fund size"), [_yuan(fund.size) for fund in rows]),
                       (_("Committed"), [_yuan(fund.committed) for fund in rows]),
                       (_("Released"), [_yuan(fund.released) for fund in rows]),
                       (_("Maximum per project"), [_yuan(fund.cap_per_project) for fund in rows])],
        notes=[_("Committed: approved decisions (an investment, or a convertible grant in full). Released: "
                 "tranches released or paid."), _("Shares of the fund's size: the size is 100 %.")])


def moic_and_xirr_by_vintage(user, funds) -> Chart:
    years = figures.vintage_portfolios(funds)
    portfolios = list(years.values())
    return Chart(
        key="vintages", title=_("MOIC and XIRR by vintage year"), category_label=_("Vintage year"),
        categories=list(years),
        series=[Series(_("MOIC"), [p.moic for p in portfolios], places=2),
                Series(_("XIRR (%)"), [None if p.irr is None else Decimal(str(round(p.irr * 100, 2)))
                                       for p in portfolios], kind="line", axis=1, places=2)],
        axis_names=("MOIC", "XIRR %"),
        extra_columns=[(_("Invested and converted"), [_yuan(p.invested + p.converted) for p in portfolios]),
                       (_("Realised and unrealised"), [_yuan(p.realised + p.unrealised) for p in portfolios])],
        notes=[_("The fund's portfolio figures, per year of investment.")])


def valuation_marks(user, funds) -> Chart:
    """Each holding's marks over time: one line per investment, named by the investee application and its date."""
    rows = list(selectors.marks_visible_to(user).filter(investment__fund__in=funds).order_by("marked_on", "pk")
                .values_list("marked_on", "investment_id", "investment__decision__application__number",
                             "investment__invested_on", "value"))
    days = sorted({row[0] for row in rows})
    holdings = {investment: f"{number} ({invested_on.isoformat()})"
                for _day, investment, number, invested_on, _value in rows}
    marks = {(day, investment): value for day, investment, _n, _on, value in rows}  # a day's latest mark wins
    order = sorted(holdings, key=holdings.get)
    return Chart(
        key="marks", kind="line", title=_("Valuation marks over time"), category_label=_("Date"), categories=days,
        series=[Series(holdings[i], [marks.get((day, i)) for day in days], places=2) for i in order],
        unit=_("yuan"), notes=[_("The value of each holding as marked: the investee application and the date of "
                                 "the investment.")])


def conversions(user, funds) -> Chart:
    counts = dict(visible(user, Conversion).filter(decision__fund__in=funds).order_by()
                  .values_list("state").annotate(n=Count("id")))
    return Chart(
        key="conversions", kind="hbar", title=_("Convertible grants"), category_label=_("State"),
        categories=[str(label) for _value, label in ConversionState.choices],
        series=[Series(_("Convertible grants"), [counts.get(value, 0) for value, _label in ConversionState.choices])])


def risk_heat_map(user, funds) -> Chart:
    """Open risks (not disposed) by likelihood (rows, 5 on top) and impact (columns)."""
    counts = dict(((likelihood, impact), n) for likelihood, impact, n in
                  selectors.risks_visible_to(user).filter(decision__fund__in=funds, likelihood__isnull=False,
                                                          impact__isnull=False)
                  .exclude(state=RiskState.DISPOSED).order_by()
                  .values_list("likelihood", "impact").annotate(n=Count("id")))
    likelihoods = [5, 4, 3, 2, 1]
    return Chart(
        key="risks", kind="heatmap", title=_("Risk register: likelihood × impact"),
        category_label=_("Likelihood (rows), impact (columns)"), categories=likelihoods,
        series=[Series(str(impact), [counts.get((likelihood, impact), 0) for likelihood in likelihoods])
                for impact in range(1, 6)],
        axis_names=(_("Likelihood"), _("Impact")),
        notes=[_("Open risks (not disposed) that have been assessed.")])


def fund_dashboard(user) -> list[Chart]:
    funds = selectors.managed_funds(user)
    return [build(user, funds) for build in
            (committed_and_released, moic_and_xirr_by_vintage, valuation_marks, conversions, risk_heat_map)]


def contracts_per_year(user, context) -> Chart:
    """Registered technology contracts and the amounts actually received, per year, beside the major-series line."""
    contracts = {row["year"]: row for row in selectors.tech_contracts_visible_to(user).order_by()
                 .annotate(year=ExtractYear("registered_on")).values("year")
                 .annotate(n=Count("id"), amount=Sum("contract_amount"))}
    received = dict(selectors.contract_payments_visible_to(user).order_by()
                    .annotate(year=ExtractYear("received_on")).values_list("year").annotate(s=Sum("amount")))
    years = sorted(set(contracts) | set(received))
    return Chart(
        key="contracts", title=_("Technology contracts and amounts received per year"), category_label=_("Year"),
        categories=years, unit=_("yuan"),
        series=[Series(_("Contract amount"), [contracts[y]["amount"] if y in contracts else Decimal("0")
                                              for y in years], places=2),
                Series(_("Received"), [received.get(y, Decimal("0")) for y in years], places=2)],
        extra_columns=[(_("Contracts registered"), [str(contracts[y]["n"]) if y in contracts else "0" for y in years])],
        line=(MAJOR_SERIES_THRESHOLD, _("Major-series line ¥2,000,000")),
        notes=[_("Registered contracts by year of registration; payments actually received by year received. "
                 "A project reaches the major-project series at ¥2,000,000.00 received.")])


def _share(part, whole):
    return (part * 100 / whole).quantize(Decimal("0.01")) if whole else None


def _yuan(value) -> str:
    return "—" if value is None else f"¥{value:,.2f}"
