"""The fund manager's dashboard (only the funds they manage) and the technology-contracts chart of the officer's
programme dashboard: who may open them, and every figure of their data tables against the data made here."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding import finance
from funding.models import (
    ContractPayment,
    Conversion,
    ConversionState,
    Risk,
    RiskState,
    TechContract,
    Tranche,
    ValuationMark,
)
from tests.factories import InstitutionFactory, applicant_of, expert, officer
from tests.funding.factories import (
    DecisionFactory,
    FundFactory,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    funded_project,
    investment,
    manager_of,
)
from tests.poc.charts_support import chart_tables, external_urls, table_of
from tests.poc.pages_support import browser, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal


class Funds:
    """Fund Alpha (¥100,000,000, at most ¥5,000,000 per project): a 投拨结合 decision (investment ¥2,000,000) and a
    convertible grant (¥1,000,000), both approved, and a proposal (not counted). Fund Beta, another manager's,
    holds an approved decision, an investment, a lapsed conversion and a risk of its own."""

    def __init__(self):
        self.alpha = FundFactory(name="Alpha fund", cap_per_project=D("5000000.00"))
        self.beta = FundFactory(name="Beta fund")
        self.manager = manager_of(self.alpha)
        self.other_manager = manager_of(self.beta)
        self.equity = approved_decision(fund=self.alpha)
        self.convertible = approved_decision(fund=self.alpha, convertible=True)
        DecisionFactory(fund=self.alpha)  # proposed only
        self.beta_decision = approved_decision(fund=self.beta, convertible=True)
        tranche = {"release_on": date(2025, 1, 1)}
        for decision, part, n, amount, state in [
            (self.equity, "equity", 1, "1000000.00", "released"),
            (self.equity, "equity", 2, "1000000.00", "planned"),  # not out yet
            (self.equity, "grant", 1, "500000.00", "paid"),  # the grant of a 投拨结合 decision is not the fund's
            (self.convertible, "grant", 1, "400000.00", "paid"),  # a convertible grant is the fund's
            (self.beta_decision, "grant", 1, "900000.00", "paid"),
        ]:
            Tranche.objects.create(decision=decision, part=part, sequence=n, amount=D(amount), state=state, **tranche)
        by = self.equity.proposed_by
        first = investment(self.equity, amount="2000000.00", invested_on=date(2024, 6, 30))
        second = investment(self.equity, amount="1000000.00", invested_on=date(2025, 3, 31))
        stranger = investment(self.beta_decision, amount="700000.00", invested_on=date(2023, 1, 10))
        ValuationMark.objects.create(investment=first, marked_on=date(2025, 6, 30), value=D("3000000.00"),
                                     recorded_by=by)
        ValuationMark.objects.create(investment=second, marked_on=date(2025, 6, 30), value=D("1000000.00"),
                                     recorded_by=by)
        ValuationMark.objects.create(investment=stranger, marked_on=date(2025, 1, 1), value=D("1.00"), recorded_by=by)
        Conversion.objects.update_or_create(decision=self.convertible,
                                            defaults={"state": ConversionState.OUTSTANDING})
        Conversion.objects.update_or_create(decision=self.beta_decision, defaults={"state": ConversionState.LAPSED})
        for decision, likelihood, impact, state in [(self.equity, 4, 3, RiskState.ASSESSED),
                                                    (self.equity, 4, 3, RiskState.WARNING),
                                                    (self.convertible, 5, 5, RiskState.DISPOSED),
                                                    (self.beta_decision, 2, 2, RiskState.ASSESSED)]:
            Risk.objects.create(decision=decision, title="Key engineer leaves", likelihood=likelihood,
                                impact=impact, state=state, identified_by=by)
        self.first = first


@pytest.fixture
def funds():
    return Funds()


def page(user, language="en"):
    return browser(user, language).get(reverse("funding:dashboard"))


class TestWhoMayOpenIt:
    def test_the_fund_manager_opens_it_from_their_home(self, funds):
        assert page(funds.manager).status_code == 200
        assert reverse("funding:dashboard") in text(browser(funds.manager).get(reverse("funding:home")))

    @pytest.mark.parametrize("make_user", [officer, expert, lambda: applicant_of(InstitutionFactory())],
                             ids=["officer", "expert", "applicant"])
    def test_every_other_role_is_refused(self, funds, make_user):
        assert page(make_user()).status_code == 403

    def test_a_visitor_is_sent_to_sign_in(self, funds):
        assert page(None).status_code == 302


class TestTheFiguresOfTheFundsManaged:
    def test_committed_and_released_against_the_fund_s_size_and_cap(self, funds):
        assert table_of(text(page(funds.manager)), "fund-caps") == [
            ["Fund", "Committed (% of the fund)", "Released (% of the fund)", "Fund size", "Committed", "Released",
             "Maximum per project"],
            ["Alpha fund", "3.00", "1.40", "¥100,000,000.00", "¥3,000,000.00", "¥1,400,000.00", "¥5,000,000.00"],
        ]

    def test_moic_and_xirr_by_vintage_year(self, funds):
        today = timezone.localdate()
        xirr_2024 = finance.xirr([(date(2024, 6, 30), -2000000.0), (today, 3000000.0)])
        xirr_2025 = finance.xirr([(date(2025, 3, 31), -1000000.0), (today, 1000000.0)])
        assert table_of(text(page(funds.manager)), "vintages") == [
            ["Vintage year", "MOIC", "XIRR (%)", "Invested and converted", "Realised and unrealised"],
            ["2024", "1.50", f"{xirr_2024 * 100:.2f}", "¥2,000,000.00", "¥3,000,000.00"],
            ["2025", "1.00", f"{xirr_2025 * 100:.2f}", "¥1,000,000.00", "¥1,000,000.00"],
        ]

    def test_valuation_marks_over_time(self, funds):
        number = funds.equity.application.number
        ValuationMark.objects.create(investment=funds.first, marked_on=date(2025, 12, 31), value=D("3500000.00"),
                                     recorded_by=funds.equity.proposed_by)
        assert table_of(text(page(funds.manager)), "marks") == [
            ["Date", f"{number} (2024-06-30)", f"{number} (2025-03-31)"],
            ["2025-06-30", "3,000,000.00", "1,000,000.00"],
            ["2025-12-31", "3,500,000.00", "—"],
        ]

    def test_conversions_converted_lapsed_waiting(self, funds):
        assert table_of(text(page(funds.manager)), "conversions") == [
            ["State", "Convertible grants"],
            ["Outstanding", "1"], ["Waiting: the conversion would breach a cap", "0"],
            ["Waiting: cap waiver awaiting the bureau", "0"], ["Converted into equity", "0"],
            ["Closed as a grant (结项免责)", "0"],
        ]

    def test_the_risk_heat_map_counts_open_assessed_risks(self, funds):
        rows = table_of(text(page(funds.manager)), "risks")
        assert rows[0] == ["Likelihood (rows), impact (columns)", "1", "2", "3", "4", "5"]
        assert rows[1:] == [["5", "0", "0", "0", "0", "0"], ["4", "0", "0", "2", "0", "0"],
                            ["3", "0", "0", "0", "0", "0"], ["2", "0", "0", "0", "0", "0"],
                            ["1", "0", "0", "0", "0", "0"]]

    def test_nothing_of_another_fund(self, funds):
        html = text(page(funds.manager))
        assert "Beta fund" not in html and funds.beta_decision.application.number not in html
        assert "2023" not in [row[0] for row in table_of(html, "vintages")]

    def test_the_other_manager_sees_only_theirs(self, funds):
        html = text(page(funds.other_manager))
        assert table_of(html, "fund-caps")[1][:3] == ["Beta fund", "1.00", "0.90"]
        assert table_of(html, "conversions")[1:] == [
            ["Outstanding", "0"], ["Waiting: the conversion would breach a cap", "0"],
            ["Waiting: cap waiver awaiting the bureau", "0"], ["Converted into equity", "0"],
            ["Closed as a grant (结项免责)", "1"]]

    def test_in_chinese_served_from_the_project(self, funds):
        html = text(page(funds.manager, "zh-hans"))
        assert "基金看板" in html and "风险登记：可能性 × 影响程度" in html
        assert external_urls(html) == [] and list(chart_tables(html)) == [
            "fund-caps", "vintages", "marks", "conversions", "risks"]


class TestTechnologyContractsOnTheProgrammeDashboard:
    def test_contracts_and_amounts_received_per_year_beside_the_major_series_line(self):
        project = funded_project()
        by = officer()
        first = TechContract.objects.create(project=project, registration_number="2025330300000101", parties="A; B",
                                            contract_amount=D("1500000.00"), registered_on=date(2025, 5, 1),
                                            recorded_by=by)
        second = TechContract.objects.create(project=project, registration_number="2026330300000102",
                                             parties="A; C", contract_amount=D("800000.00"),
                                             registered_on=date(2026, 2, 1), recorded_by=by)
        ContractPayment.objects.create(contract=first, amount=D("1000000.00"), received_on=date(2025, 9, 1))
        ContractPayment.objects.create(contract=first, amount=D("500000.00"), received_on=date(2026, 1, 5))
        ContractPayment.objects.create(contract=second, amount=D("700000.00"), received_on=date(2026, 3, 1))
        html = text(browser(by).get(reverse("programme-dashboard")))
        assert table_of(html, "contracts") == [
            ["Year", "Contract amount", "Received", "Contracts registered"],
            ["2025", "1,500,000.00", "1,000,000.00", "1"],
            ["2026", "800,000.00", "1,200,000.00", "1"],
        ]
        assert '"line": {"value": "2000000.00"' in html


def test_the_fund_dashboard_s_queries_do_not_grow_with_its_holdings(funds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from funding.charts import fund_dashboard

    def count():
        with CaptureQueriesContext(connection) as queries:
            fund_dashboard(funds.manager)
        return len(queries)

    count()  # a first look: the user's roles are then known
    before = count()
    assert before == 6  # the two portfolio queries of the vintages, one query for each other chart
    for year in (2022, 2026):
        decision = approved_decision(fund=funds.alpha)
        holding = investment(decision, amount="500000.00", invested_on=date(year, 5, 1))
        ValuationMark.objects.create(investment=holding, marked_on=date(year, 12, 31), value=D("600000.00"),
                                     recorded_by=decision.proposed_by)
        Risk.objects.create(decision=decision, title="Market", likelihood=2, impact=5, state=RiskState.ASSESSED,
                            identified_by=decision.proposed_by)
    assert count() == before
