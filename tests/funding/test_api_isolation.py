"""Over the funding API, what a caller may not see answers 404 exactly as a missing object, and lists never
show it (DESIGN §3): another fund's manager sees nothing of fund A's records; an applicant sees only the
decision on its own application (and the reports, events, obligations and contracts of its own projects),
never a fund, a holding, a tranche, a round, a risk or a policy."""
from datetime import date

import pytest

from funding import contracts, monitoring_services, services

from .api_support import D, approved, make_scene, project_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    s = make_scene()
    app = s.application()
    decision = approved(s, app)
    investment = services.record_investment(
        s.manager_a, decision, investee_name="温州固态电池有限公司", investee_credit_code=s.inst1.credit_code,
        amount=D("2000000"), pre_money_valuation=D("18000000"), invested_on=date(2026, 2, 1))
    services.mark_value(s.manager_a, investment, marked_on=date(2026, 6, 30), value=D("2500000"))
    exit_ = services.record_exit(s.manager_a, investment, kind="secondary", exited_on=date(2026, 7, 1),
                                 proceeds=D("300000"), stake_sold=D("1"))
    tranche = services.plan_tranche(s.officer, decision, part="grant", amount=D("500000"),
                                    release_on=date(2026, 1, 1))
    financing_round = services.record_round(s.manager_a, decision, round_name="A", closed_on=date(2026, 8, 1),
                                            pre_money_valuation=D("40000000"), amount_raised=D("8000000"))
    report = monitoring_services.file_quarterly_report(s.applicant1, decision, year=2026, quarter=2, revenue=D("1"),
                                            rd_spend=D("1"), headcount=5)
    event = monitoring_services.report_material_event(s.manager_a, decision, occurred_on=date(2026, 5, 1), summary="CTO left")
    risk = monitoring_services.identify_risk(s.manager_a, decision, title="Single supplier")
    policy = monitoring_services.add_insurance(s.manager_a, decision, insurer="人保", product="研发费用损失保险",
                                    premium=D("1000"), subsidy=D("500"), starts_on=date(2026, 1, 1),
                                    ends_on=date(2026, 12, 31))
    project = project_for(app)
    contract = contracts.register_contract(s.applicant1, project, registration_number="R-1", parties="A / B",
                                           seller_kind="university", buyer_kind="enterprise",
                                           contract_amount=D("100"), registered_on=date(2026, 3, 1))
    return {
        "s": s,
        # fund internals: officers and fund A's managers only
        "internal": [
            url("funds", s.fund_a), url("investments", investment), url("investments", investment, "marks"),
            url("exits", exit_), url("tranches", tranche), url("tranches", tranche, "transitions"),
            url("financing-rounds", financing_round), url("risks", risk), url("risks", risk, "transitions"),
            url("insurance-policies", policy),
        ],
        # shared with the investee institution
        "shared": [
            url("funding-decisions", decision), url("funding-decisions", decision, "transitions"),
            url("reports", report), url("material-events", event),
        ],
        # the project's records: its institution, officers and the managers of the fund that decided on it
        "project": [url("obligations", project), url("tech-contracts", contract),
                    url("tech-contracts", contract, "payments")],
        "lists": ["funds", "funding-decisions", "investments", "exits", "tranches", "financing-rounds", "reports",
                  "material-events", "risks", "insurance-policies", "obligations", "tech-contracts"],
    }


def results(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_another_funds_manager_gets_404_on_everything_and_empty_lists(world):
    s = world["s"]
    client = s.client(s.manager_b)
    for path in world["internal"] + world["shared"] + world["project"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}, path
    for name in world["lists"]:
        if name == "funds":
            assert [f["id"] for f in results(client.get(url(name)))] == [s.fund_b.pk]
        else:
            assert results(client.get(url(name))) == [], name


def test_an_applicant_sees_its_own_decision_and_project_records_never_the_funds(world):
    s = world["s"]
    client = s.client(s.applicant1)
    for path in world["internal"]:
        assert client.get(path).status_code == 404, path
    for path in world["shared"] + world["project"]:
        assert client.get(path).status_code == 200, path
    for name in ["funds", "investments", "exits", "tranches", "financing-rounds", "risks", "insurance-policies"]:
        assert results(client.get(url(name))) == [], name
    for name in ["funding-decisions", "reports", "material-events", "obligations", "tech-contracts"]:
        assert len(results(client.get(url(name)))) == 1, name


def test_another_institutions_applicant_sees_nothing(world):
    s = world["s"]
    client = s.client(s.applicant2)
    for path in world["internal"] + world["shared"] + world["project"]:
        assert client.get(path).status_code == 404, path
    for name in world["lists"]:
        assert results(client.get(url(name))) == [], name


def test_the_funds_manager_and_officers_see_all_of_it(world):
    s = world["s"]
    for who in (s.manager_a, s.officer):
        client = s.client(who)
        for path in world["internal"] + world["shared"] + world["project"]:
            assert client.get(path).status_code == 200, (who, path)


def test_an_applicant_cannot_write_fund_records(world):
    s = world["s"]
    client = s.client(s.applicant1)
    for name in ["funds", "investments", "exits", "tranches", "financing-rounds", "risks", "insurance-policies"]:
        response = client.post(url(name), {}, format="json")
        assert response.status_code == 403, name
