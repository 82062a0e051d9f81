"""A world that grows: one party of each kind (an institution with its applicant, an expert, a fund manager, an
officer, an enterprise) and ``grow(world, n)`` adding n more rows of every kind that a list shows them.

Each unit adds, for the same parties: applications in every state of the project call (one assigned to the expert
with a submitted review), a center application, a designated center with a filed evaluation, a project in progress
with a change request, an accepted project, a join request, a notification for every role, a conflict, a call, an
institution, an expert and a sub-fund in the pool, a funding decision with everything recorded after it
(investment, mark, exit, tranche, round, report, event, risk, insurance, funded project, contract, payment), a
finished background job and the transfer rows (result, demand, roadshow, licence, detail request). Child rows of
one object (an application's IP items, an investment's marks…) are added to the first unit's objects, the hubs,
so nested lists grow too.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from tests.factories import (
    CallFactory,
    InstitutionFactory,
    UserFactory,
    applicant_of,
    make_application,
    officer,
)
from tests.funding.factories import DecisionFactory, FundFactory, approve, manager_of
from tests.poc.after_approval_factories import (
    add_evidence_file,
    make_center,
    make_change,
    make_evaluation,
    make_project,
    scores_totalling,
)
from tests.review.factories import ExpertFactory, assign, review_call, submit_directly
from tests.transfer.factories import (
    enterprise,
    enterprise_user,
    make_demand,
    make_licence,
    make_result,
    make_roadshow,
)

D = Decimal
STATES = ("draft", "submitted", "returned", "under_review", "reviewed", "public_notice")


def model(label):
    return apps.get_model(label)


@dataclass
class World:
    officer: object
    institution: object
    applicant: object
    expert: object  # the Expert profile
    manager: object
    fund: object
    enterprise: object
    enterprise_user: object
    project_call: object
    center_call: object
    units: int = 0
    hubs: dict = field(default_factory=dict)  # name -> the first unit's object, whose child rows grow

    def users(self):
        return {"anonymous": None, "applicant": self.applicant, "expert": self.expert.user,
                "fund_manager": self.manager, "officer": self.officer, "enterprise": self.enterprise_user}

    def __getattr__(self, name):
        try:
            return self.__dict__["hubs"][name]
        except KeyError:
            raise AttributeError(name) from None


def build() -> World:
    staff = officer(first_name="Officer", last_name="Lists")
    institution = InstitutionFactory(name="Lists University")
    fund = FundFactory(name="Lists fund")
    company = enterprise(name="Lists Battery Co.")
    return World(officer=staff, institution=institution, applicant=applicant_of(institution),
                 expert=ExpertFactory(name="Lists expert", max_load_per_call=1000), manager=manager_of(fund), fund=fund, enterprise=company,
                 enterprise_user=enterprise_user(company), project_call=review_call(min_reviews=1, title="Lists call"),
                 center_call=CallFactory(kind="poc_center", title="Lists center call"))


def grow(w: World, n: int) -> World:
    for _ in range(n):
        _unit(w, w.units)
        w.units += 1
    return w


def _hub(w, name, obj):
    w.hubs.setdefault(name, obj)
    return w.hubs[name]


def _unit(w, i):
    from funding import monitoring_services, services

    mark = f"U{i}"
    apps_by_state = {s: make_application(w.project_call, w.institution, state=s, created_by=w.applicant,
                                         title=f"{mark} application {s}") for s in STATES}
    make_application(w.center_call, w.institution, state="submitted", created_by=w.applicant,
                     title=f"{mark} center application")
    _children(w, apps_by_state["draft"])

    center = make_center(institution=w.institution, name=f"{mark} PoC Center")
    evaluation = make_evaluation(center, state="filed")
    if _hub(w, "evaluation", evaluation) is not evaluation:
        add_evidence_file(w.evaluation, w.applicant, title=f"{mark} evidence")
    project = make_project(institution=w.institution, state="in_progress", title=f"{mark} project")
    make_change(project, by=w.applicant, description=f"{mark} change")
    closed = make_project(institution=w.institution, state="closed", title=f"{mark} accepted project")
    model("poc.Acceptance").objects.create(
        project=closed, **scores_totalling(85), tasks_done_percent=100, opinion=f"{mark} opinion", total=D("85"),
        outcome=model("poc.Acceptance")._meta.get_field("outcome").choices[0][0], reviewed_by=w.officer,
        reviewed_on=date(2026, 3, 3))
    joiner = UserFactory(roles=["applicant"], username=f"lists-joiner-{i}@example.org")
    model("poc.Membership").objects.create(user=joiner, institution=w.institution, status="pending")
    for user in w.users().values():
        if user is not None:
            model("poc.Notification").objects.create(recipient=user, kind="lists", key=f"{mark}-{user.pk}",
                                                     title=f"{mark} notice", link="/")
    CallFactory(title=f"{mark} call")
    InstitutionFactory(name=f"{mark} Institute")
    ExpertFactory(name=f"{mark} pool expert")
    sub_fund = FundFactory(name=f"{mark} sub-fund", parent=w.fund)
    w.manager.groups.add(sub_fund.group)

    # review: the expert assigned to this unit's application under review, with a submitted review
    assignment = assign(apps_by_state["under_review"], w.expert, w.officer)
    submit_directly(model("review.Review").objects.get(assignment=assignment), comment=f"{mark} review")
    model("review.Conflict").objects.create(
        expert=w.expert, application=apps_by_state["submitted"],
        source=model("review.Conflict")._meta.get_field("source").choices[0][0], reason=f"{mark} conflict",
        recorded_by=w.officer)

    # funding: a decision on this unit's reviewed application and what is recorded after it
    decision = services.propose_decision(
        w.officer, apps_by_state["reviewed"], instrument="grant_equity", grant_amount=D("1000000.00"),
        grant_programme=f"{mark} programme", equity_amount=D("2000000.00"), pre_money_valuation=D("18000000.00"),
        rationale=f"{mark} rationale", fund=w.fund)
    decision = services.approve_grant(w.officer, decision)
    decision = services.approve_equity(w.manager, decision)
    investment = services.record_investment(
        w.manager, decision, investee_name=f"{mark} Battery Co.", investee_credit_code=w.institution.credit_code,
        amount=D("2000000"), pre_money_valuation=D("18000000"), invested_on=date(2026, 2, 1))
    hub_investment = _hub(w, "investment", investment)
    services.mark_value(w.manager, hub_investment, marked_on=date(2026, 6, 30) - timedelta(days=i),
                        value=D("2500000"), note=f"{mark} mark")
    services.record_exit(w.manager, investment, kind="secondary", exited_on=date(2026, 7, 1), proceeds=D("300000"),
                         stake_sold=D("1"))
    hub_decision = _hub(w, "decision", decision)
    services.plan_tranche(w.officer, decision, part="grant", amount=D("500000"), release_on=date(2026, 1, 1))
    convertible = approve(DecisionFactory(  # a convertible grant, its conversion outstanding
        convertible=True, fund=w.fund, proposed_by=w.officer, application=make_application(
            apps_by_state["reviewed"].call, w.institution, state="reviewed", created_by=w.applicant,
            title=f"{mark} convertible application")))
    model("funding.Conversion").objects.create(decision=convertible)
    if hub_decision is not decision:  # the first decision's own pages (ledger, monitoring) grow too
        services.plan_tranche(w.officer, hub_decision, part="grant", amount=D("1"), release_on=date(2026, 2, 1))
        monitoring_services.report_material_event(w.manager, hub_decision, occurred_on=date(2026, 5, 2),
                                                  summary=f"{mark} event on the first decision")
        monitoring_services.identify_risk(w.manager, hub_decision, title=f"{mark} risk on the first decision")
    services.record_round(w.manager, decision, round_name=f"{mark} A", closed_on=date(2026, 8, 1),
                          pre_money_valuation=D("40000000"), amount_raised=D("8000000"))
    monitoring_services.file_quarterly_report(w.applicant, decision, year=2026, quarter=2, revenue=D("1"),
                                              rd_spend=D("1"), headcount=5, risks=f"{mark} report")
    monitoring_services.report_material_event(w.manager, decision, occurred_on=date(2026, 5, 1),
                                              summary=f"{mark} event")
    monitoring_services.identify_risk(w.manager, decision, title=f"{mark} risk")
    monitoring_services.add_insurance(w.manager, decision, insurer=f"{mark} insurer", product="R&D loss",
                                      premium=D("1000"), subsidy=D("500"), starts_on=date(2026, 1, 1),
                                      ends_on=date(2026, 12, 31))
    funded = model("poc.Project").objects.create(
        institution=w.institution, application=apps_by_state["reviewed"], kind=apps_by_state["reviewed"].kind,
        title=f"{mark} funded project", project_number=f"WZ-PP-2026-{mark}", approved_on=date(2026, 1, 15),
        obligation=f"{mark} obligation", obligation_due_on=date(2027, 1, 14))
    from funding import contracts

    contract = contracts.register_contract(
        w.applicant, funded, registration_number=f"{mark}-R-1", parties=f"{mark} / buyer", contract_amount=D("100"),
        registered_on=date(2026, 3, 1), seller_kind="university", buyer_kind="enterprise")
    contracts.record_contract_payment(w.applicant, _hub(w, "contract", contract), amount=D("1"),
                                      received_on=date(2026, 4, 1))
    job = model("poc.BackgroundJob")(owner=w.manager, kind="investments_xlsx", state="done", progress=100,
                                     result_name=f"{mark}.xlsx", finished_at=timezone.now())
    job.save()

    # transfer: the institution's result, the enterprise's demand, a roadshow, a licence, a detail request
    result = make_result(w.institution, created_by=w.applicant, registration_number=f"ZL-{mark}")
    _hub(w, "result", result)
    make_demand(w.enterprise, created_by=w.enterprise_user, title=f"{mark} demand")
    make_roadshow([result], created_by=w.officer)
    make_licence(result, w.enterprise, created_by=w.applicant)
    result.detail_requests.create(enterprise=w.enterprise, requested_by=w.enterprise_user)


def _children(w, draft):
    """One more child row of every kind on the hub application (the first unit's draft)."""
    from poc.models import Attachment

    app = _hub(w, "draft", draft)
    if app.pk == draft.pk:
        return  # the factory already gave it one of each
    model("poc.IPItem").objects.create(application=app, number=f"ZL{draft.pk}", title="A method",
                                       ip_type="invention_patent", owner="x", status="granted")
    model("poc.TeamMember").objects.create(application=app, name=f"Member {draft.pk}", role="x")
    model("poc.BudgetLine").objects.create(application=app, category="设备费", source="grant", amount=D("1"))
    model("poc.PlannedMilestone").objects.create(application=app, month=6, title="More", deliverables="x")
    source = Attachment.objects.filter(application=draft).first()
    source.pk, source.id, source.application = None, None, app
    source.save()
