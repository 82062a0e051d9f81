"""Helpers of the funding API tests: one scene with two funds, their managers, an officer and two applicant
institutions, and shortcuts to decisions in a given state (through the services, as the API would)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from funding import services
from poc.models import Project
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    fund_manager,
    make_application,
    officer,
)
from tests.poc.api_support import API, api_client  # noqa: F401  (re-exported for the tests)


def url(*parts) -> str:
    return "/".join([API, *[str(getattr(p, "pk", p)) for p in parts]]) + "/"


def D(value) -> Decimal:  # noqa: N802
    return Decimal(str(value))


@dataclass
class Scene:
    officer: object
    fund_a: object
    fund_b: object
    manager_a: object
    manager_b: object
    inst1: object
    inst2: object
    applicant1: object
    applicant2: object
    call: object

    def client(self, who):
        return api_client(who)

    def application(self, institution=None, **kw):
        """A project application, reviewed and ready for a funding decision."""
        institution = institution or self.inst1
        creator = self.applicant1 if institution == self.inst1 else (
            self.applicant2 if institution == self.inst2 else None)
        return make_application(self.call, institution, state="reviewed", created_by=creator, **kw)


def make_scene() -> Scene:
    staff = officer(first_name="Officer", last_name="Chen")
    fund_a = services.create_fund(staff, name="温州科创基金·种子子基金", manager_organisation="温州科创投资",
                                  size=D("100000000.00"), cap_per_project=D("50000000.00"),
                                  cap_share_per_project=D("10"), cap_stake=D("30"))
    fund_b = services.create_fund(staff, name="温州科创基金·天使子基金", manager_organisation="瓯江天使投资",
                                  size=D("50000000.00"))
    manager_a, manager_b = fund_manager(), fund_manager()
    services.add_fund_manager(staff, fund_a, manager_a)
    services.add_fund_manager(staff, fund_b, manager_b)
    inst1, inst2 = InstitutionFactory(name="温州大学"), InstitutionFactory(name="温州理工学院")
    return Scene(officer=staff, fund_a=fund_a, fund_b=fund_b, manager_a=manager_a, manager_b=manager_b,
                 inst1=inst1, inst2=inst2, applicant1=applicant_of(inst1), applicant2=applicant_of(inst2),
                 call=CallFactory(kind="poc_project"))


GRANT_EQUITY = {
    "instrument": "grant_equity", "grant_amount": D("1000000.00"), "grant_programme": "市科技计划",
    "equity_amount": D("2000000.00"), "pre_money_valuation": D("18000000.00"), "rationale": "Strong team.",
}
CONVERTIBLE = {
    "instrument": "convertible", "grant_amount": D("1000000.00"), "grant_programme": "拨投结合专项",
    "equity_amount": D("0"), "pre_money_valuation": None,
    "qualifying_round_minimum": D("5000000.00"), "conversion_discount": D("20"),
    "conversion_deadline": date(2030, 12, 31), "exit_method": "buyback", "buyback_rate": D("6"),
}


def propose(scene, application=None, *, fund=None, **fields):
    fields = {**GRANT_EQUITY, **fields}
    if fields["instrument"] != "grant":
        fields.setdefault("fund", fund or scene.fund_a)
    return services.propose_decision(scene.officer, application or scene.application(), **fields)


def approved(scene, application=None, *, fund=None, **fields):
    decision = propose(scene, application, fund=fund, **fields)
    manager = scene.manager_a if decision.fund == scene.fund_a else scene.manager_b
    if decision.has_grant_part:
        decision = services.approve_grant(scene.officer, decision)
    if decision.has_equity_part:
        decision = services.approve_equity(manager, decision)
    assert decision.state == "approved"
    return decision


def project_for(application, **fields) -> Project:
    counter = Project.objects.count() + 1
    defaults = {"institution": application.institution, "application": application, "kind": application.kind,
                "title": application.title, "project_number": f"WZ-PP-2026-{counter:03d}",
                "approved_on": date(2026, 1, 15), "obligation": "Transfer the battery process to a local firm.",
                "obligation_due_on": date(2027, 1, 14)}
    return Project.objects.create(**{**defaults, **fields})
