"""The funding API over real requests (token auth): funds, decisions with dual approval, investments, exits,
valuation marks, financing rounds with conversion, post-investment records (DESIGN §3–§4)."""
from datetime import date

import pytest

from funding import services
from funding.models import Conversion, FundingDecision, Investment

from .api_support import CONVERTIBLE, D, api_client, approved, make_scene, propose, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return make_scene()


def ids(response):
    body = response.json()
    return sorted(row["id"] for row in (body["results"] if isinstance(body, dict) else body))


# ------------------------------------------------------------------------ funds


def test_officers_see_every_fund_and_a_manager_only_its_own(s):
    assert ids(s.client(s.officer).get(url("funds"))) == sorted([s.fund_a.pk, s.fund_b.pk])
    assert ids(s.client(s.manager_a).get(url("funds"))) == [s.fund_a.pk]
    assert s.client(s.manager_a).get(url("funds", s.fund_b)).status_code == 404
    assert ids(s.client(s.applicant1).get(url("funds"))) == []
    assert s.client(s.applicant1).get(url("funds", s.fund_a)).status_code == 404


def test_anonymous_callers_are_refused():
    for path in ["funds", "funding-decisions", "investments", "tranches", "obligations", "tech-contracts"]:
        assert api_client(None).get(url(path)).status_code == 401, path


def test_officers_register_funds_others_may_not(s):
    body = {"name": "温州科创基金·中试子基金", "manager_organisation": "温州科创投资", "size": "30000000.00",
            "cap_share_per_project": "10"}
    response = s.client(s.officer).post(url("funds"), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["size"] == "30000000.00"
    assert data["committed"] == "0.00" and data["available"] == "30000000.00"
    assert data["portfolio"]["moic"] is None and data["portfolio"]["irr"] is None

    refused = s.client(s.manager_a).post(url("funds"), {**body, "name": "Another"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only bureau officers can register a fund."
    assert s.client(s.officer).post(url("funds"), body, format="json").status_code == 400  # name taken


def test_an_officer_appoints_a_fund_manager(s):
    from tests.factories import fund_manager

    newcomer = fund_manager()
    assert s.client(newcomer).get(url("funds", s.fund_b)).status_code == 404
    response = s.client(s.officer).post(url("funds", s.fund_b, "managers"), {"user": newcomer.pk}, format="json")
    assert response.status_code == 200
    assert s.client(newcomer).get(url("funds", s.fund_b)).status_code == 200
    assert s.client(s.manager_a).post(url("funds", s.fund_a, "managers"), {"user": newcomer.pk},
                                      format="json").status_code == 403


def test_fund_figures_and_portfolio(s):
    decision = approved(s, buyback_rate=D("6"), exit_method="buyback")
    investment = services.record_investment(
        s.manager_a, decision, investee_name="温州固态电池有限公司", investee_credit_code=s.inst1.credit_code,
        amount=D("1500000.00"), pre_money_valuation=D("13500000.00"), invested_on=date(2025, 1, 1))
    services.record_exit(s.manager_a, investment, kind="secondary", exited_on=date(2026, 1, 1),
                         proceeds=D("3000000.00"), stake_sold=D("10"))
    data = s.client(s.manager_a).get(url("funds", s.fund_a)).json()
    assert data["committed"] == "2000000.00"
    assert data["invested"] == "1500000.00"
    assert data["available"] == "98000000.00"
    portfolio = data["portfolio"]
    assert portfolio["realised"] == "3000000.00"
    assert portfolio["moic"] == "2.00"
    assert D(portfolio["irr"]) == pytest.approx(D("1.0"), abs=D("0.0001"))  # doubled in a year
    assert portfolio["investments"] == 1


# -------------------------------------------------------------------- decisions


def decision_body(s, application, **fields):
    body = {"application": application.pk, "instrument": "grant_equity", "grant_amount": "1000000.00",
            "grant_programme": "市科技计划", "equity_amount": "2000000.00", "fund": s.fund_a.pk,
            "pre_money_valuation": "18000000.00", "rationale": "Strong team."}
    return {**body, **fields}


def test_an_officer_proposes_a_decision(s):
    app = s.application()
    response = s.client(s.officer).post(url("funding-decisions"), decision_body(s, app), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "proposed"
    assert data["application"]["id"] == app.pk
    assert data["grant_approved"] is False and data["equity_approved"] is False
    assert data["internals"]["fund"] == s.fund_a.pk
    assert data["internals"]["cap_problems"] == []


def test_a_proposal_over_the_funds_caps_is_refused_naming_the_numbers(s):
    app = s.application()
    response = s.client(s.officer).post(url("funding-decisions"),
                                        decision_body(s, app, equity_amount="12000000.00",
                                                      pre_money_valuation="100000000.00"), format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "at most 10% of its size (¥100,000,000.00)" in detail
    assert "¥12,000,000.00 is 12.0000%" in detail
    assert not FundingDecision.objects.exists()


def test_only_officers_propose(s):
    app = s.application()
    for who in (s.manager_a, s.applicant1):
        response = s.client(who).post(url("funding-decisions"), decision_body(s, app), format="json")
        assert response.status_code == 403
        assert response.json()["detail"] == "Only bureau officers can propose a funding decision."
    assert not FundingDecision.objects.exists()


def test_a_decision_on_an_application_not_reviewed_is_409(s):
    app = s.application()
    from poc.models import Application

    Application.objects.filter(pk=app.pk).update(state="under_review")
    response = s.client(s.officer).post(url("funding-decisions"), decision_body(s, app), format="json")
    assert response.status_code == 409


def run(client, decision, name, comment=""):
    return client.post(url("funding-decisions", decision, "transitions", name), {"comment": comment}, format="json")


def test_dual_approval_neither_alone_approves(s):
    decision = propose(s)
    officer, manager = s.client(s.officer), s.client(s.manager_a)

    names = [t["name"] for t in officer.get(url("funding-decisions", decision, "transitions")).json()]
    assert names == ["approve_grant", "reject"]
    names = [t["name"] for t in manager.get(url("funding-decisions", decision, "transitions")).json()]
    assert names == ["approve_equity", "reject"]

    # The officer may not approve the fund's part, nor the manager the bureau's.
    refused = run(officer, decision, "approve_equity")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only a manager of this decision's fund can approve the equity part."
    assert run(manager, decision, "approve_grant").status_code == 403

    response = run(officer, decision, "approve_grant")
    assert response.status_code == 200
    assert response.json()["state"] == "proposed"
    assert response.json()["grant_approved"] is True
    assert run(officer, decision, "approve_grant").status_code == 409  # already approved

    response = run(manager, decision, "approve_equity")
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    assert response.json()["internals"]["equity_approved_by"] == s.manager_a.pk
    conflict = run(manager, decision, "reject", "Too late.")
    assert conflict.status_code == 409
    assert "not possible" in conflict.json()["detail"]


def test_the_equity_part_first_then_the_grant(s):
    decision = propose(s)
    assert run(s.client(s.manager_a), decision, "approve_equity").json()["state"] == "proposed"
    assert run(s.client(s.officer), decision, "approve_grant").json()["state"] == "approved"


def test_a_manager_of_another_fund_cannot_see_or_approve(s):
    decision = propose(s)
    other = s.client(s.manager_b)
    assert other.get(url("funding-decisions", decision)).status_code == 404
    assert other.get(url("funding-decisions", decision, "transitions")).status_code == 404
    assert run(other, decision, "approve_equity").status_code == 404
    assert run(other, decision, "reject", "No.").status_code == 404
    assert ids(other.get(url("funding-decisions"))) == []
    decision.refresh_from_db()
    assert decision.equity_approved_at is None and decision.state == "proposed"


def test_an_approval_rechecks_the_caps(s):
    first = propose(s, fund=s.fund_b, equity_amount=D("30000000.00"), pre_money_valuation=D("90000000.00"))
    second = propose(s, fund=s.fund_b, equity_amount=D("30000000.00"), pre_money_valuation=D("90000000.00"))
    assert run(s.client(s.officer), first, "approve_grant").status_code == 200
    assert run(s.client(s.manager_b), first, "approve_equity").json()["state"] == "approved"
    refused = run(s.client(s.manager_b), second, "approve_equity")
    assert refused.status_code == 409
    assert "has ¥20,000,000.00 uncommitted; this decision asks ¥30,000,000.00" in refused.json()["detail"]


def test_a_rejection_needs_a_reason(s):
    decision = propose(s)
    missing = run(s.client(s.officer), decision, "reject")
    assert missing.status_code == 400
    assert "comment" in missing.json()["errors"]
    response = run(s.client(s.manager_a), decision, "reject", "The valuation is not credible.")
    assert response.status_code == 200
    assert response.json()["state"] == "rejected"
    assert response.json()["rejected_reason"] == "The valuation is not credible."
    assert run(s.client(s.officer), decision, "approve_grant").status_code == 409


def test_an_unknown_transition_is_bad_input(s):
    decision = propose(s)
    assert run(s.client(s.officer), decision, "approve_everything").status_code == 400


def test_applicants_see_decisions_on_their_own_applications_without_fund_internals(s):
    own = propose(s)
    other = propose(s, s.application(s.inst2))
    client = s.client(s.applicant1)
    assert ids(client.get(url("funding-decisions"))) == [own.pk]
    data = client.get(url("funding-decisions", own)).json()
    assert data["internals"] is None
    assert data["fund_name"] == s.fund_a.name
    assert data["grant_amount"] == "1000000.00"
    assert "rationale" not in data and "pre_money_valuation" not in data
    assert client.get(url("funding-decisions", other)).status_code == 404

    # Read-only: nothing it may run, and a try is refused.
    assert client.get(url("funding-decisions", own, "transitions")).json() == []
    assert run(client, own, "approve_grant").status_code == 403
    assert run(client, own, "reject", "No thanks.").status_code == 403
    own.refresh_from_db()
    assert own.state == "proposed"


def test_decision_lists_filter(s):
    first = propose(s)
    propose(s, fund=s.fund_b)
    officer = s.client(s.officer)
    assert ids(officer.get(url("funding-decisions"), {"fund": s.fund_a.pk})) == [first.pk]
    assert ids(officer.get(url("funding-decisions"), {"state": "approved"})) == []


# ------------------------------------------------------------------ investments


def investment_body(decision, **fields):
    body = {"decision": decision.pk, "investee_name": "温州固态电池有限公司",
            "investee_credit_code": decision.application.institution.credit_code, "amount": "2000000.00",
            "pre_money_valuation": "18000000.00", "invested_on": "2026-03-01"}
    return {**body, **fields}


def test_a_fund_manager_records_an_investment_with_the_stake_derived(s):
    decision = approved(s)
    response = s.client(s.manager_a).post(url("investments"), investment_body(decision), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["stake"] == "10.0000"
    assert data["current_stake"] == "10.0000"
    assert data["post_money_valuation"] == "20000000.00"
    assert data["fund"] == s.fund_a.pk


def test_a_typed_stake_that_disagrees_is_refused(s):
    decision = approved(s)
    response = s.client(s.manager_a).post(url("investments"), investment_body(decision, stake="10.5"),
                                          format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "The stake 10.5000% disagrees with amount / post-money = 10.0000%."
    assert response.json()["errors"] == {"stake": ["Disagrees."]}
    assert not Investment.objects.exists()
    agreeing = s.client(s.manager_a).post(url("investments"), investment_body(decision, stake="10"), format="json")
    assert agreeing.status_code == 201


def test_only_the_funds_managers_record_investments(s):
    decision = approved(s)
    refused = s.client(s.officer).post(url("investments"), investment_body(decision), format="json")
    assert refused.status_code == 403
    applicant = s.client(s.applicant1).post(url("investments"), investment_body(decision), format="json")
    assert applicant.status_code == 403
    # The decision is hidden from another fund's manager: as unknown as a missing one.
    other = s.client(s.manager_b).post(url("investments"), investment_body(decision), format="json")
    assert other.status_code == 400
    assert "decision" in other.json()["errors"]
    assert not Investment.objects.exists()


def test_an_investment_before_approval_is_409(s):
    decision = propose(s)
    assert s.client(s.manager_a).post(url("investments"), investment_body(decision),
                                      format="json").status_code == 409


def test_applicants_never_see_investments_or_holdings(s):
    decision = approved(s)
    investment = services.record_investment(
        s.manager_a, decision, investee_name="X", investee_credit_code=s.inst1.credit_code, amount=D("1000000"),
        pre_money_valuation=D("9000000"), invested_on=date(2026, 3, 1))
    services.mark_value(s.manager_a, investment, marked_on=date(2026, 6, 30), value=D("1500000"))
    client = s.client(s.applicant1)
    assert ids(client.get(url("investments"))) == []
    assert client.get(url("investments", investment)).status_code == 404
    assert client.get(url("investments", investment, "marks")).status_code == 404
    assert ids(client.get(url("exits"))) == []
    assert client.post(url("investments", investment, "marks"), {"marked_on": "2026-09-30", "value": "1"},
                       format="json").status_code == 404
    # … and the decision it can see says nothing of them.
    assert client.get(url("funding-decisions", decision)).json()["internals"] is None
    assert s.client(s.manager_b).get(url("investments", investment)).status_code == 404
    assert ids(s.client(s.manager_a).get(url("investments"))) == [investment.pk]


def test_valuation_marks(s):
    decision = approved(s)
    investment = services.record_investment(
        s.manager_a, decision, investee_name="X", investee_credit_code=s.inst1.credit_code, amount=D("2000000"),
        pre_money_valuation=D("18000000"), invested_on=date(2026, 1, 1))
    client = s.client(s.manager_a)
    response = client.post(url("investments", investment, "marks"),
                           {"marked_on": "2026-06-30", "value": "3000000.00", "note": "Series A price"}, format="json")
    assert response.status_code == 201
    assert [m["value"] for m in client.get(url("investments", investment, "marks")).json()] == ["3000000.00"]
    assert client.get(url("investments", investment)).json()["latest_mark"]["value"] == "3000000.00"
    assert s.client(s.officer).post(url("investments", investment, "marks"),
                                    {"marked_on": "2026-06-30", "value": "1"}, format="json").status_code == 403


def test_a_buyback_exit_computes_principal_plus_simple_interest(s):
    decision = approved(s, exit_method="buyback", buyback_rate=D("6"))
    investment = services.record_investment(
        s.manager_a, decision, investee_name="X", investee_credit_code=s.inst1.credit_code, amount=D("2000000"),
        pre_money_valuation=D("18000000"), invested_on=date(2026, 1, 1))
    client = s.client(s.manager_a)
    response = client.post(url("exits"), {"investment": investment.pk, "kind": "buyback", "exited_on": "2027-01-01",
                                          "stake_sold": "10"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["proceeds"] == "2120000.00"  # 2,000,000 × (1 + 6 % × 365/365)
    over = client.post(url("exits"), {"investment": investment.pk, "kind": "secondary", "exited_on": "2027-02-01",
                                      "proceeds": "1", "stake_sold": "0.0001"}, format="json")
    assert over.status_code == 400  # nothing left to sell
    assert "is held" in over.json()["detail"]
    assert ids(s.client(s.applicant1).get(url("exits"))) == []
    assert s.client(s.manager_b).post(url("exits"), {"investment": investment.pk, "kind": "ipo",
                                                     "exited_on": "2027-01-01", "proceeds": "1",
                                                     "stake_sold": "1"}, format="json").status_code == 400


def test_a_buyback_without_an_agreed_rate_needs_the_proceeds(s):
    decision = approved(s)
    investment = services.record_investment(
        s.manager_a, decision, investee_name="X", investee_credit_code=s.inst1.credit_code, amount=D("2000000"),
        pre_money_valuation=D("18000000"), invested_on=date(2026, 1, 1))
    response = s.client(s.manager_a).post(url("exits"), {"investment": investment.pk, "kind": "buyback",
                                                         "exited_on": "2027-01-01", "stake_sold": "10"},
                                          format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "No buyback rate was agreed; give the proceeds."


# ------------------------------------------------------------- financing rounds


def test_a_qualifying_round_converts_a_convertible_grant_and_says_so(s):
    decision = approved(s, **CONVERTIBLE)
    client = s.client(s.manager_a)
    small = client.post(url("financing-rounds"), {"decision": decision.pk, "round_name": "Pre-A",
                                                  "closed_on": "2026-04-01", "pre_money_valuation": "20000000.00",
                                                  "amount_raised": "3000000.00"}, format="json")
    assert small.status_code == 201
    assert small.json()["conversion"] is None  # below the qualifying minimum of 5,000,000

    response = client.post(url("financing-rounds"), {"decision": decision.pk, "round_name": "A",
                                                     "closed_on": "2026-09-01", "pre_money_valuation": "40000000.00",
                                                     "amount_raised": "6000000.00", "lead_investor": "瓯江资本"},
                           format="json")
    assert response.status_code == 201, response.json()
    conversion = response.json()["conversion"]
    assert conversion["state"] == "converted"
    assert conversion["conversion_valuation"] == "32000000.00"  # 40,000,000 less the 20 % discount
    assert conversion["stake_at_conversion"] == "3.0303"  # 1,000,000 / 33,000,000
    # Pre-money convention: the grant's S/32 beside the new money's 6/40 S: (1/32) / (1 + 3/20 + 1/32) = 5/189.
    assert conversion["stake_after_round"] == "2.6455"
    holding = Investment.objects.get(pk=conversion["investment"])
    assert holding.is_conversion and holding.amount == D("1000000.00")
    assert Conversion.objects.get(decision=decision).state == "converted"
    # The conversion is shown on the decision too, to the fund's side.
    internals = client.get(url("funding-decisions", decision)).json()["internals"]
    assert internals["conversion"]["financing_round"] == response.json()["id"]
    assert client.get(url("financing-rounds", response.json()["id"])).json()["conversion"]["state"] == "converted"
    # The earlier round stays without one.
    assert client.get(url("financing-rounds", small.json()["id"])).json()["conversion"] is None


def test_rounds_are_fund_internals(s):
    decision = approved(s)
    services.record_round(s.officer, decision, round_name="A", closed_on=date(2026, 5, 1),
                          pre_money_valuation=D("30000000"), amount_raised=D("10000000"))
    assert ids(s.client(s.applicant1).get(url("financing-rounds"))) == []
    assert ids(s.client(s.manager_b).get(url("financing-rounds"))) == []
    assert len(ids(s.client(s.manager_a).get(url("financing-rounds")))) == 1
    refused = s.client(s.applicant1).post(url("financing-rounds"), {
        "decision": decision.pk, "round_name": "B", "closed_on": "2026-06-01", "pre_money_valuation": "1",
        "amount_raised": "1"}, format="json")
    assert refused.status_code == 403


# -------------------------------------------------------------- post-investment


def report_body(decision, **fields):
    return {"decision": decision.pk, "year": 2026, "quarter": 2, "revenue": "1200000.00", "rd_spend": "800000.00",
            "headcount": 23, "milestone_progress": "Pilot line running.", **fields}


def test_the_investee_files_quarterly_reports(s):
    decision = approved(s)
    response = s.client(s.applicant1).post(url("reports"), report_body(decision), format="json")
    assert response.status_code == 201, response.json()
    again = s.client(s.manager_a).post(url("reports"), report_body(decision), format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "The report for 2026Q2 is already filed."
    assert len(ids(s.client(s.manager_a).get(url("reports")))) == 1
    assert len(ids(s.client(s.applicant1).get(url("reports")))) == 1
    assert ids(s.client(s.applicant2).get(url("reports"))) == []
    assert ids(s.client(s.manager_b).get(url("reports"))) == []
    assert s.client(s.applicant2).post(url("reports"), report_body(decision, quarter=3),
                                       format="json").status_code == 400  # not its decision
    assert s.client(s.applicant1).post(url("reports"), report_body(decision, quarter=5),
                                       format="json").status_code == 400


def test_material_events(s):
    decision = approved(s)
    response = s.client(s.manager_a).post(url("material-events"), {
        "decision": decision.pk, "occurred_on": "2026-05-20", "summary": "CTO resigned"}, format="json")
    assert response.status_code == 201
    assert ids(s.client(s.applicant1).get(url("material-events"))) == [response.json()["id"]]
    assert s.client(s.applicant2).get(url("material-events", response.json()["id"])).status_code == 404


def test_the_risk_register_cycle(s):
    decision = approved(s)
    client = s.client(s.manager_a)
    response = client.post(url("risks"), {"decision": decision.pk, "title": "Key supplier single-sourced"},
                           format="json")
    assert response.status_code == 201
    risk = response.json()["id"]

    def step(name, **body):
        return client.post(url("risks", risk, "transitions", name), body, format="json")

    assert step("assess").status_code == 400
    assert step("assess", likelihood=6, impact=3).status_code == 400
    assessed = step("assess", likelihood=4, impact=3)
    assert assessed.status_code == 200
    assert assessed.json()["state"] == "assessed" and assessed.json()["score"] == 12
    assert step("warn").status_code == 400  # a reason is required
    assert step("warn", comment="Supplier in financial distress.").json()["state"] == "warning"
    disposed = step("dispose", comment="Second supplier qualified.")
    assert disposed.json()["state"] == "disposed" and disposed.json()["disposal"] == "Second supplier qualified."
    assert step("warn", comment="Again").status_code == 409

    assert ids(s.client(s.applicant1).get(url("risks"))) == []
    assert s.client(s.applicant1).get(url("risks", risk)).status_code == 404
    assert s.client(s.manager_b).post(url("risks", risk, "transitions", "warn"), {"comment": "x"},
                                      format="json").status_code == 404
    assert s.client(s.applicant1).post(url("risks"), {"decision": decision.pk, "title": "x"},
                                       format="json").status_code == 403


def test_insurance_policies(s):
    decision = approved(s)
    body = {"decision": decision.pk, "insurer": "人保财险温州分公司", "product": "研发费用损失保险",
            "premium": "50000.00", "subsidy": "25000.00", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    response = s.client(s.officer).post(url("insurance-policies"), body, format="json")
    assert response.status_code == 201
    assert s.client(s.officer).post(url("insurance-policies"), {**body, "subsidy": "60000.00"},
                                    format="json").status_code == 400
    assert ids(s.client(s.manager_a).get(url("insurance-policies"))) == [response.json()["id"]]
    assert ids(s.client(s.applicant1).get(url("insurance-policies"))) == []


def test_lists_are_paginated_and_the_same_source_as_details(s):
    decision = approved(s)
    body = s.client(s.manager_a).get(url("funding-decisions")).json()
    assert body["count"] == 1 and body["results"][0]["id"] == decision.pk


def test_the_signed_agreement_is_uploaded_with_the_investment_and_downloaded_behind_permissions(s):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    decision = approved(s)
    body = {**investment_body(decision), "agreement": SimpleUploadedFile("协议.pdf", pdf_bytes(), "application/pdf")}
    response = s.client(s.manager_a).post(url("investments"), body, format="multipart")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["has_agreement"] is True
    assert data["agreement_url"].endswith(f"/api/v1/investments/{data['id']}/agreement/")
    download = s.client(s.manager_a).get(url("investments", data["id"], "agreement"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert download["Cache-Control"] == "private, no-store"
    for who in (s.manager_b, s.applicant1):
        assert s.client(who).get(url("investments", data["id"], "agreement")).status_code == 404


def test_an_agreement_that_is_not_what_it_claims_is_refused(s):
    from django.core.files.uploadedfile import SimpleUploadedFile

    decision = approved(s)
    body = {**investment_body(decision), "agreement": SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf")}
    response = s.client(s.manager_a).post(url("investments"), body, format="multipart")
    assert response.status_code == 400
    assert not Investment.objects.exists()
