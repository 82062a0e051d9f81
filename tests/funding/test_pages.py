"""The funding pages (funding/views): per role, refused otherwise; fund isolation; the applicant's view of its own
decision; the dual approval walked through the pages; the XLSX ledgers; the demo data."""
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from funding import monitoring_services
from funding.models import (
    ContractPayment,
    Conversion,
    DecisionState,
    Exit,
    FinancingRound,
    Fund,
    FundingDecision,
    InsurancePolicy,
    Investment,
    MaterialEvent,
    QuarterlyReport,
    Risk,
    TechContract,
    Tranche,
    ValuationMark,
)
from poc.models import Application, Project, TransitionLog
from tests.factories import InstitutionFactory, applicant_of, expert, officer
from tests.funding.factories import (
    DecisionFactory,
    FundFactory,
    approve,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    funded_project,
    investment,
    manager_of,
    project_application,
)
from tests.poc.pages_support import browser, messages_of, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class World:
    """Fund A with a manager and an approved 投拨结合 decision (an investment, a tranche); fund B with its own
    manager; the investee institution's applicant and another institution's applicant; an officer; an expert."""

    def __init__(self):
        self.officer = officer()
        self.fund = FundFactory(name="Alpha angel sub-fund")
        self.other_fund = FundFactory(name="Beta angel sub-fund")
        self.manager = manager_of(self.fund)
        self.other_manager = manager_of(self.other_fund)
        self.institution = InstitutionFactory(name="Alpha University")
        self.applicant = applicant_of(self.institution)
        self.stranger = applicant_of(InstitutionFactory(name="Beta Institute"))
        self.expert = expert()
        self.decision = approved_decision(application=project_application(self.institution), fund=self.fund)
        self.holding = investment(self.decision, amount="2000000.00", invested_on=date(2026, 3, 1),
                                  pre_money="18000000.00")
        Investment.objects.filter(pk=self.holding.pk).update(investee_name="Alpha Spin-off Co.")
        self.tranche = Tranche.objects.create(decision=self.decision, part="equity", sequence=1,
                                              amount=D("1000000.00"), release_on=date(2026, 3, 1))
        self.other_decision = approved_decision(fund=self.other_fund)


@pytest.fixture
def world():
    return World()


def decision_urls(decision):
    return [reverse(f"funding:{name}", args=[decision.pk]) for name in ("ledger", "rounds", "monitoring")]


# -------------------------------------------------------------- pages per role

def test_the_fund_managers_home_shows_their_funds_pipeline_and_portfolio(world):
    proposal = DecisionFactory(fund=world.fund)  # awaiting the equity approval
    response = browser(world.manager).get(reverse("funding:home"))
    assert response.status_code == 200
    body = text(response)
    assert "Alpha angel sub-fund" in body and "Beta angel sub-fund" not in body
    assert proposal.application.number in body  # the pipeline
    assert "MOIC" in body and "IRR" in body
    assert reverse("funding:export-investments", args=[world.fund.pk]) in body


def test_poc_home_sends_fund_managers_to_the_funding_home_by_url_name(world):
    response = browser(world.manager).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("funding:home")


def test_the_home_lists_overdue_quarterly_reports_and_risk_warnings(world):
    FundingDecision.objects.filter(pk=world.decision.pk).update(equity_approved_at=timezone.now() - timedelta(days=400))
    risk = monitoring_services.identify_risk(world.manager, world.decision, title="Key engineer may leave")
    monitoring_services.warn_risk(world.manager, risk, "One engineer left already.")
    body = text(browser(world.manager).get(reverse("funding:home")))
    assert "Quarterly reports missing for" in body
    assert reverse("funding:monitoring", args=[world.decision.pk]) in body
    assert "Key engineer may leave" in body


@pytest.mark.parametrize("who", ["officer", "applicant", "expert"])
def test_the_fund_manager_home_is_for_fund_managers_only(world, who):
    assert browser(getattr(world, who)).get(reverse("funding:home")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(world):
    for url in [reverse("funding:home"), reverse("funding:decisions"), reverse("funding:decision",
                                                                              args=[world.decision.pk])]:
        response = browser().get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_officers_see_every_page_of_every_decision(world):
    client = browser(world.officer)
    for decision in (world.decision, world.other_decision):
        for url in [reverse("funding:decision", args=[decision.pk]), *decision_urls(decision)]:
            assert client.get(url).status_code == 200, url
    for url in [reverse("funding:decisions"), reverse("funding:funds"), reverse("funding:overdue-obligations"),
                reverse("funding:fund", args=[world.fund.pk])]:
        assert client.get(url).status_code == 200, url


def test_lists_show_what_the_role_may_see(world):
    own = world.decision.application.number
    other = world.other_decision.application.number
    body = text(browser(world.officer).get(reverse("funding:decisions")))
    assert own in body and other in body
    body = text(browser(world.manager).get(reverse("funding:decisions")))
    assert own in body and other not in body
    body = text(browser(world.applicant).get(reverse("funding:decisions")))
    assert own in body and other not in body
    body = text(browser(world.manager).get(reverse("funding:funds")))
    assert "Alpha angel sub-fund" in body and "Beta angel sub-fund" not in body
    assert browser(world.applicant).get(reverse("funding:funds")).status_code == 403
    assert browser(world.manager).get(reverse("funding:overdue-obligations")).status_code == 403
    assert browser(world.applicant).get(reverse("funding:overdue-obligations")).status_code == 403


# ----------------------------------------------------------------- isolation

def test_a_manager_of_another_fund_gets_404_on_this_funds_decision_ledgers_and_fund(world):
    client = browser(world.other_manager)
    urls = [reverse("funding:decision", args=[world.decision.pk]), *decision_urls(world.decision),
            reverse("funding:fund", args=[world.fund.pk]),
            reverse("funding:stake-preview", args=[world.decision.pk]) + "?inv-amount=1&inv-pre_money_valuation=9"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [reverse("funding:decision-step", args=[world.decision.pk, "reject"]),
             reverse("funding:investment-add", args=[world.decision.pk]),
             reverse("funding:tranche-add", args=[world.decision.pk]),
             reverse("funding:tranche-step", args=[world.tranche.pk, "release"]),
             reverse("funding:round-add", args=[world.decision.pk]),
             reverse("funding:exit-add", args=[world.decision.pk]),
             reverse("funding:mark-add", args=[world.decision.pk]),
             reverse("funding:risk-add", args=[world.decision.pk]),
             reverse("funding:report-add", args=[world.decision.pk])]
    for url in posts:
        assert client.post(url, {"reject-comment": "no"}).status_code == 404, url
    world.tranche.refresh_from_db()
    assert world.tranche.state == "planned"
    assert FundingDecision.objects.get(pk=world.decision.pk).state == DecisionState.APPROVED
    # ... while its own decision is open to it
    assert client.get(reverse("funding:ledger", args=[world.other_decision.pk])).status_code == 200


def test_experts_see_no_funding_page(world):
    client = browser(world.expert)
    assert client.get(reverse("funding:decision", args=[world.decision.pk])).status_code == 404
    for url in decision_urls(world.decision):
        assert client.get(url).status_code == 403


# ------------------------------------------------------------ the applicant

def test_the_applicant_sees_its_own_decision_without_the_funds_holdings(world):
    FundingDecision.objects.filter(pk=world.decision.pk).update(rationale="Internal: the team is thin.")
    response = browser(world.applicant).get(reverse("funding:decision", args=[world.decision.pk]))
    assert response.status_code == 200
    body = text(response)
    assert world.decision.get_instrument_display() in body
    assert "¥500,000.00" in body and "¥2,000,000.00" in body  # the grant and the investment
    assert "Alpha Spin-off Co." not in body  # the holding
    assert "Held now" not in body and "Internal: the team is thin." not in body
    assert reverse("funding:ledger", args=[world.decision.pk]) not in body
    for url in decision_urls(world.decision):
        assert browser(world.applicant).get(url).status_code == 403


def test_an_applicant_gets_404_for_another_institutions_decision(world):
    client = browser(world.stranger)
    assert client.get(reverse("funding:decision", args=[world.decision.pk])).status_code == 404
    assert client.post(reverse("funding:report-add", args=[world.decision.pk]), {}).status_code == 404


def test_the_applicant_files_its_quarterly_report_from_its_decision_page(world):
    response = browser(world.applicant).post(reverse("funding:report-add", args=[world.decision.pk]), {
        "report-year": "2026", "report-quarter": "3", "report-revenue": "100000", "report-rd_spend": "50000",
        "report-headcount": "12", "report-follow_on_financing": "0", "report-milestone_progress": "Pilot line up.",
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("funding:decision", args=[world.decision.pk])
    assert QuarterlyReport.objects.filter(decision=world.decision, year=2026, quarter=3,
                                          filed_by=world.applicant).exists()


def test_the_application_page_links_the_decision_for_each_role(world):
    application = world.decision.application
    url = reverse("application-detail", args=[application.pk])
    decision_url = reverse("funding:decision", args=[world.decision.pk])
    assert decision_url in text(browser(world.officer).get(url))
    assert decision_url in text(browser(world.applicant).get(url))
    reviewed = project_application()
    body = text(browser(world.officer).get(reverse("application-detail", args=[reviewed.pk])))
    assert reverse("funding:propose", args=[reviewed.pk]) in body


# ------------------------------------------------------ the dual approval

def test_the_officer_proposes_and_a_cap_refusal_names_the_numbers(world):
    fund = FundFactory(name="Capped fund", size=D("500000000.00"), cap_per_project=D("50000000.00"))
    application = project_application(world.institution)
    client = browser(world.officer)
    url = reverse("funding:propose", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"instrument": "equity", "equity_amount": "60000000.00", "fund": fund.pk,
                                 "pre_money_valuation": "900000000.00"})
    assert response.status_code == 400
    assert "Capped fund invests at most ¥50,000,000.00 per project; this decision asks ¥60,000,000.00." \
        in text(response)
    assert not FundingDecision.objects.filter(application=application).exists()
    response = client.post(url, {"instrument": "grant_equity", "grant_amount": "500000.00",
                                 "grant_programme": "PoC programme", "equity_amount": "1000000.00", "fund": fund.pk,
                                 "pre_money_valuation": "9000000.00", "rationale": "Good team."})
    decision = FundingDecision.objects.get(application=application)
    assert response.status_code == 302 and response["Location"] == reverse("funding:decision", args=[decision.pk])
    assert decision.state == DecisionState.PROPOSED and decision.proposed_by == world.officer


@pytest.mark.parametrize("who", ["manager", "applicant"])
def test_only_officers_propose(world, who):
    application = project_application(world.institution)
    response = browser(getattr(world, who)).get(reverse("funding:propose", args=[application.pk]))
    assert response.status_code == 403


def test_the_dual_approval_through_the_pages(world):
    decision = DecisionFactory(fund=world.fund, application=project_application(world.institution))
    url = reverse("funding:decision", args=[decision.pk])
    step = lambda name: reverse("funding:decision-step", args=[decision.pk, name])  # noqa: E731

    # The fund manager sees its button; not the bureau's.
    body = text(browser(world.manager).get(url))
    assert step("approve_equity") in body and step("approve_grant") not in body
    # The fund manager cannot approve the grant part: refused with the reason, nothing changes.
    response = browser(world.manager).post(step("approve_grant"), {"approve_grant-comment": ""})
    assert "Only bureau officers can approve the grant part." in messages_of(response)
    assert FundingDecision.objects.get(pk=decision.pk).grant_approved_at is None

    response = browser(world.officer).post(step("approve_grant"), {"approve_grant-comment": "Fine."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.state == DecisionState.PROPOSED and decision.grant_approved_by == world.officer
    body = text(browser(world.officer).get(url))
    assert "Awaiting approval" in body and step("approve_grant") not in body

    response = browser(world.manager).post(step("approve_equity"), {"approve_equity-comment": ""})
    assert any("the funding decision is approved" in m for m in messages_of(response))
    decision.refresh_from_db()
    assert decision.state == DecisionState.APPROVED and decision.equity_approved_by == world.manager
    transitions = list(TransitionLog.objects.for_object(decision).values_list("transition", flat=True))
    assert transitions[-2:] == ["approve_grant", "approve_equity"]
    body = text(browser(world.applicant).get(url))
    assert "Approved" in body and str(world.manager.username) not in body


def test_rejecting_needs_a_reason(world):
    decision = DecisionFactory(fund=world.fund)
    step = reverse("funding:decision-step", args=[decision.pk, "reject"])
    response = browser(world.manager).post(step, {"reject-comment": ""})
    assert any("needs a reason" in m for m in messages_of(response))
    browser(world.manager).post(step, {"reject-comment": "Valuation too high."})
    decision.refresh_from_db()
    assert decision.state == DecisionState.REJECTED and decision.rejected_reason == "Valuation too high."


# ------------------------------------------------------------- the ledgers

def test_investment_with_a_disagreeing_stake_is_refused_and_the_preview_says_why(world):
    decision = approved_decision(fund=world.fund, application=project_application(world.institution))
    client = browser(world.manager)
    preview = client.get(reverse("funding:stake-preview", args=[decision.pk]),
                         {"inv-amount": "2000000", "inv-pre_money_valuation": "18000000", "inv-stake": "12"})
    assert "10.0000%" in text(preview) and "disagrees" in text(preview)
    data = {"inv-investee_name": "Alpha Spin-off Co.", "inv-investee_credit_code": world.institution.credit_code,
            "inv-amount": "2000000.00", "inv-pre_money_valuation": "18000000.00", "inv-stake": "12",
            "inv-invested_on": "2026-05-01"}
    response = client.post(reverse("funding:investment-add", args=[decision.pk]), data)
    assert response.status_code == 400
    assert "The stake 12.0000% disagrees with amount / post-money = 10.0000%." in text(response)
    data["inv-stake"] = ""
    response = client.post(reverse("funding:investment-add", args=[decision.pk]), data)
    assert response.status_code == 302
    assert Investment.objects.get(decision=decision).stake == D("10.0000")


def test_the_signed_agreement_is_served_only_to_officers_and_the_funds_managers(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    decision = approved_decision(fund=world.fund, application=project_application(world.institution))
    response = browser(world.manager).post(reverse("funding:investment-add", args=[decision.pk]), {
        "inv-investee_name": "Alpha Spin-off Co.", "inv-investee_credit_code": world.institution.credit_code,
        "inv-amount": "2000000.00", "inv-pre_money_valuation": "18000000.00", "inv-invested_on": "2026-05-01",
        "inv-agreement": SimpleUploadedFile("agreement.pdf", pdf_bytes(), content_type="application/pdf")})
    assert response.status_code == 302
    holding = Investment.objects.get(decision=decision)
    url = reverse("funding:agreement", args=[holding.pk])
    for who in (world.officer, world.manager):
        response = browser(who).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert browser(world.other_manager).get(url).status_code == 404
    assert browser(world.applicant).get(url).status_code == 403


def test_tranches_are_planned_released_and_paid_through_the_pages(world):
    client = browser(world.manager)
    decision = world.decision
    response = client.post(reverse("funding:tranche-add", args=[decision.pk]),
                           {"tr-part": "equity", "tr-amount": "500000.00", "tr-release_on": "2026-01-01"})
    assert response.status_code == 302
    tranche = Tranche.objects.get(decision=decision, sequence=2)
    client.post(reverse("funding:tranche-step", args=[tranche.pk, "release"]))
    tranche.refresh_from_db()
    assert tranche.state == "released"
    client.post(reverse("funding:tranche-step", args=[tranche.pk, "pay"]),
                {"pay-payment_reference": "BANK-001", "pay-paid_on": "2026-02-01"})
    tranche.refresh_from_db()
    assert tranche.state == "paid" and tranche.payment_reference == "BANK-001"
    # A grant tranche is the bureau's: the fund manager's attempt is refused with the reason.
    grant = Tranche.objects.create(decision=decision, part="grant", sequence=1, amount=D("100000.00"),
                                   release_on=date(2026, 1, 1))
    response = client.post(reverse("funding:tranche-step", args=[grant.pk, "release"]))
    assert "Only bureau officers can release a grant tranche." in messages_of(response)


def test_recording_a_qualifying_round_shows_the_conversion(world):
    decision = approved_decision(convertible=True, fund=world.fund, conversion_deadline=date(2099, 12, 31),
                                 application=project_application(world.institution))
    response = browser(world.manager).post(reverse("funding:round-add", args=[decision.pk]), {
        "round-round_name": "Pre-A", "round-closed_on": "2026-06-01", "round-pre_money_valuation": "20000000.00",
        "round-amount_raised": "6000000.00"})
    assert response.status_code == 302
    assert Conversion.objects.get(decision=decision).state == "converted"
    body = text(browser(world.manager).get(reverse("funding:rounds", args=[decision.pk])))
    # cap ¥15,000,000 < 20,000,000 × 0.8: 1,000,000 / (15,000,000 + 1,000,000) = 6.2500% at conversion; after the
    # round the grant's S/15 beside the new money's 6/20 S: (1/15) / (1 + 3/10 + 1/15) = 2/41 = 4.8780%
    assert "¥15,000,000.00" in body and "6.2500%" in body and "4.8780%" in body


# ---------------------------------------------------------------- exports

def test_exports_are_for_officers_and_the_funds_managers(world):
    for name in ("export-investments", "export-tranches"):
        url = reverse(f"funding:{name}", args=[world.fund.pk])
        for who in (world.officer, world.manager):
            response = browser(who).get(url)
            assert response.status_code == 200 and response["Content-Type"] == XLSX
            assert "attachment" in response["Content-Disposition"]
        assert browser(world.other_manager).get(url).status_code == 404
        assert browser(world.applicant).get(url).status_code == 403
        assert browser(world.expert).get(url).status_code == 403


def test_the_investments_ledger_has_one_row_per_investment(world):
    response = browser(world.manager).get(reverse("funding:export-investments", args=[world.fund.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]
    assert len(rows) == 1
    number, _title, investee, _code, _date, amount, pre_money, post_money, stake = rows[0][:9]
    assert (number, investee) == (world.decision.application.number, "Alpha Spin-off Co.")
    assert (amount, pre_money, post_money, stake) == (2000000.0, 18000000.0, 20000000.0, 10.0)
    response = browser(world.manager).get(reverse("funding:export-tranches", args=[world.fund.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[4] for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)] == [1000000.0]


# ------------------------------------------------------------ obligations

def test_obligations_page_for_the_institution_and_the_overdue_list_for_officers(world):
    project = funded_project(approve(DecisionFactory(grant_only=True,
                                                     application=project_application(world.institution))))
    Project.objects.filter(pk=project.pk).update(obligation_due_on=timezone.localdate() - timedelta(days=3))
    url = reverse("funding:obligations", args=[project.pk])
    body = text(browser(world.officer).get(reverse("funding:overdue-obligations")))
    assert project.project_number in body
    response = browser(world.applicant).get(url)
    assert response.status_code == 200 and "no technology contract is registered" in text(response)
    assert browser(world.stranger).get(url).status_code == 404

    client = browser(world.applicant)
    client.post(reverse("funding:contract-add", args=[project.pk]), {
        "contract-registration_number": "3303022026000999", "contract-parties": "Alpha University / Buyer Co.",
        "contract-seller_kind": "university", "contract-buyer_kind": "enterprise",
        "contract-contract_amount": "3000000.00", "contract-registered_on": "2026-05-01"})
    contract = TechContract.objects.get(project=project)
    client.post(reverse("funding:payment-add", args=[contract.pk]),
                {f"pay{contract.pk}-amount": "1999999.99", f"pay{contract.pk}-received_on": "2026-06-01"})
    client.post(reverse("funding:payment-add", args=[contract.pk]),
                {f"pay{contract.pk}-amount": "0.01", f"pay{contract.pk}-received_on": "2026-06-02"})
    body = text(client.get(url))
    assert "Not yet" in body and "¥2,000,000.00" in body  # received, none verified yet
    assert "Verify" not in body  # the institution records; the bureau verifies

    # The institution cannot verify through the page either: refused, nothing changed.
    first, second = contract.payments.order_by("pk")
    client.post(reverse("funding:payment-verify", args=[first.pk]))
    assert set(contract.payments.values_list("state", flat=True)) == {"recorded"}

    bureau = browser(world.officer)
    response = bureau.post(reverse("funding:payment-verify", args=[first.pk]), follow=True)
    assert "The payment is verified." in messages_of(response)
    assert "Not yet" in text(client.get(url))  # ¥1,999,999.99 verified
    response = bureau.post(reverse("funding:payment-verify", args=[second.pk]), follow=True)
    assert any("flagged as a candidate" in m for m in messages_of(response))
    body = text(client.get(url))
    assert "Eligible for the municipal major-project series" in body and "¥2,000,000.00" in body
    assert "Candidate for the municipal major-project series" in body
    assert project.project_number in text(bureau.get(reverse("funding:major-series")))
    assert browser(world.applicant).get(reverse("funding:major-series")).status_code == 403
    assert project.project_number not in text(browser(world.officer).get(reverse("funding:overdue-obligations")))


def test_a_payment_dated_tomorrow_is_refused_on_the_page_and_changes_nothing(world):
    project = funded_project(approve(DecisionFactory(grant_only=True,
                                                     application=project_application(world.institution))))
    client = browser(world.applicant)
    client.post(reverse("funding:contract-add", args=[project.pk]), {
        "contract-parties": "Alpha University / Buyer Co.", "contract-seller_kind": "university",
        "contract-buyer_kind": "enterprise", "contract-contract_amount": "1000.00"})
    contract = TechContract.objects.get(project=project)
    assert contract.state == "recorded"  # no registration number yet
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("funding:payment-add", args=[contract.pk]),
                           {f"pay{contract.pk}-amount": "10.00", f"pay{contract.pk}-received_on": tomorrow})
    assert response.status_code == 400 and "cannot be dated in the future" in text(response)
    assert not contract.payments.exists()


# -------------------------------------------------------------- demo data

FUNDING_MODELS = (Fund, FundingDecision, Investment, Tranche, FinancingRound, Conversion, Exit, ValuationMark,
                  QuarterlyReport, MaterialEvent, Risk, InsurancePolicy, TechContract, ContractPayment)


def test_seed_demo_twice_gives_the_demo_funding_records_once(settings):
    call_command("seed_demo", stdout=io.StringIO())
    counts = {model: model.objects.count() for model in (*FUNDING_MODELS, Application, Project, TransitionLog)}
    call_command("seed_demo", stdout=io.StringIO())
    assert {model: model.objects.count() for model in counts} == counts

    assert set(Fund.objects.values_list("name", flat=True)) == {"温州市科创基金", "温州市概念验证天使子基金"}
    sub = Fund.objects.get(name="温州市概念验证天使子基金")
    assert sub.parent.size == D("10000000000.00")
    assert (sub.cap_per_project, sub.cap_share_per_project, sub.cap_stake) == (D("50000000.00"), D("10"), D("20"))
    assert sub.group.user_set.filter(username="fund").exists()
    instruments = set(FundingDecision.objects.filter(state="approved").values_list("instrument", flat=True))
    assert instruments == {"grant", "equity", "grant_equity", "convertible"}
    assert sorted(Conversion.objects.values_list("state", flat=True)) == ["converted", "lapsed", "waiting_on_cap"]
    # The conversion waiting on the sub-fund's 20 % stake cap, with the breach in numbers in its audit row.
    on_cap = Conversion.objects.get(state="waiting_on_cap")
    assert on_cap.decision.application.number.endswith("-PP-9105")
    assert "21.7391%" in TransitionLog.objects.for_object(on_cap).get(transition="hold").comment
    waiting = FundingDecision.objects.get(state="proposed")
    assert waiting.application.number.endswith("-PP-9016") and waiting.application.state == "reviewed"
    assert waiting.equity_approved_at is None and waiting.fund == sub
    assert set(Tranche.objects.values_list("state", flat=True)) == {"planned", "released", "paid"}
    assert Risk.objects.filter(state="warning").exists()
    assert FinancingRound.objects.exists() and Exit.objects.exists() and ValuationMark.objects.exists()
    assert QuarterlyReport.objects.exists() and InsurancePolicy.objects.exists()
    assert ContractPayment.objects.exists()
    # Received beside verified, a project flagged for the major-project series, an acceptance failed on the
    # overdue conversion obligation.
    from funding.models import MajorSeriesCandidate
    from poc.models import Acceptance

    assert set(ContractPayment.objects.values_list("state", flat=True)) == {"recorded", "verified"}
    assert MajorSeriesCandidate.objects.count() == 1
    failed = Acceptance.objects.get(obligation_overdue=True)
    assert failed.outcome == "failed" and failed.project.state == "failed" and failed.total >= 80
    # The extra applications' audit rows say they are demo data.
    for decision in FundingDecision.objects.exclude(application__number__endswith="-PP-9013").exclude(pk=waiting.pk):
        logs = TransitionLog.objects.for_object(decision.application)
        assert logs.exists() and all("演示数据" in log.comment for log in logs)
    # The demo fund manager's home renders with its pipeline.
    from django.contrib.auth import get_user_model

    body = text(browser(get_user_model().objects.get(username="fund")).get(reverse("funding:home")))
    assert waiting.application.number in body
