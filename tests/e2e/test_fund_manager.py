"""The fund manager's journeys: the dual approval of a 投拨结合 decision with the bureau, an investment and a
tranche, a financing round that converts a convertible grant, and a quarterly report (a duplicate refused)."""
from datetime import date

from funding.models import Conversion, FundingDecision, Investment, QuarterlyReport, Tranche
from tests.factories import InstitutionFactory, officer
from tests.funding.factories import (
    DecisionFactory,
    FundFactory,
    approved_decision,
    manager_of,
    project_application,
)


def open_form(ui, summary_text):
    """Open a <details> form by its summary and return the form inside."""
    summary = ui.page.locator("main summary").filter(has_text=summary_text).first
    summary.click()
    return summary.locator("xpath=..").locator("form").first


def submit(ui, form):
    form.locator("button[type=submit]").last.click()
    ui.page.wait_for_load_state()
    ui.audit()


def test_dual_approval_investment_and_tranche(ui, tmp_path):
    fund = FundFactory(name="温州市科技天使子基金")
    manager = manager_of(fund)
    staff = officer()
    decision = DecisionFactory(fund=fund, proposed_by=staff,
                               application=project_application(InstitutionFactory(name="温州大学"),
                                                               title="固态电池隔膜概念验证"))

    ui.login(staff)
    ui.goto(f"/funding/decisions/{decision.pk}/")
    ui.click(ui.tr("Approve grant part"), within="#steps")
    ui.audit()
    ui.shot("grant-approved")

    ui.switch_user(manager)
    ui.goto(f"/funding/decisions/{decision.pk}/")
    assert "固态电池隔膜概念验证" in ui.text()
    ui.click(ui.tr("Approve equity part"), within="#steps")
    ui.audit()
    assert FundingDecision.objects.get(pk=decision.pk).state == "approved"
    ui.shot("approved")

    ui.goto(f"/funding/decisions/{decision.pk}/ledger/")
    form = open_form(ui, ui.tr("Record an investment"))
    form.locator("[name$=investee_name]").fill("温州瓯江隔膜科技有限公司")
    form.locator("[name$=investee_credit_code]").fill(decision.application.institution.credit_code)
    form.locator("[name$=amount]").fill("2000000")
    form.locator("[name$=pre_money_valuation]").fill("18000000")
    form.locator("[name$=invested_on]").fill("2026-05-01")
    agreement = tmp_path / "投资协议.pdf"
    agreement.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    form.locator("input[type=file]").set_input_files(str(agreement))
    submit(ui, form)
    assert Investment.objects.filter(decision=decision).count() == 1
    assert "温州瓯江隔膜科技有限公司" in ui.text() and "10.0000%" in ui.text()

    form = open_form(ui, ui.tr("Plan a tranche"))
    form.locator("select[name$=part]").select_option("equity")
    form.locator("[name$=amount]").fill("500000")
    form.locator("[name$=release_on]").fill("2026-01-01")
    submit(ui, form)
    tranche = Tranche.objects.get(decision=decision)
    ui.click(ui.tr("Release"), within="table")
    ui.audit()
    assert Tranche.objects.get(pk=tranche.pk).state == "released"
    ui.shot("ledger")


def test_financing_round_converts_and_quarterly_reports(ui):
    fund = FundFactory(name="温州市科技天使子基金")
    manager = manager_of(fund)
    decision = approved_decision(convertible=True, fund=fund, conversion_deadline=date(2099, 12, 31),
                                 application=project_application(InstitutionFactory(name="温州医科大学"),
                                                                 title="眼视光器械中试"))
    ui.login(manager)
    ui.goto(f"/funding/decisions/{decision.pk}/rounds/")
    form = open_form(ui, ui.tr("Record a round"))
    form.locator("[name$=round_name]").fill("Pre-A")
    form.locator("[name$=closed_on]").fill("2026-06-01")
    form.locator("[name$=pre_money_valuation]").fill("20000000")
    form.locator("[name$=amount_raised]").fill("6000000")
    submit(ui, form)
    assert Conversion.objects.get(decision=decision).state == "converted"
    assert "6.2500%" in ui.text() and "4.8780%" in ui.text()
    ui.shot("converted")

    ui.goto(f"/funding/decisions/{decision.pk}/monitoring/")
    for attempt in (1, 2):
        form = open_form(ui, ui.tr("File a quarterly report"))
        form.locator("[name$=year]").fill("2026")
        form.locator("[name$=quarter]").select_option("3") if form.locator("select[name$=quarter]").count() \
            else form.locator("[name$=quarter]").fill("3")
        form.locator("[name$=revenue]").fill("100000")
        form.locator("[name$=rd_spend]").fill("50000")
        form.locator("[name$=headcount]").fill("12")
        form.locator("[name$=follow_on_financing]").fill("0")
        form.locator("[name$=milestone_progress]").fill("中试线已投产。")
        if attempt == 2:
            ui.expect_status("/reports/", 400)
        submit(ui, form)
    assert QuarterlyReport.objects.filter(decision=decision).count() == 1
    refusal = ui.text()
    assert ui.t("未能报送", "already filed") in refusal
    ui.shot("duplicate-report")
