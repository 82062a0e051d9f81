"""The world the route × role × ownership matrix runs in: every kind of party twice (side A and side B).

Each side has an institution with its applicant (applications in several states with their rows and
attachments, a designated center with a filed evaluation and evidence, a project in progress with milestones,
a change request and an acceptance, an issued document, a notification, a pending join request), an expert
assigned to one of its applications with a review, and a fund with its manager, an approved decision on one of
its applications and everything that hangs off it (investment, mark, exit, tranche, round, report, event, risk,
insurance, funded project with a contract and a payment) plus a finished background job. An officer sees both.

Side B's objects carry the marker ``BETA`` in their names and titles (side A's: ``ALPHA``), so a list that shows
one of them is easy to spot. Models are looked up by label (``apps.get_model``), not by module path, and objects
are made with the shared test factories, so the world survives modules moving inside the apps.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    CallFactory,
    InstitutionFactory,
    UserFactory,
    applicant_of,
    district_officer_of,
    make_application,
    officer,
    pdf_bytes,
    xlsx_bytes,
)
from tests.funding.factories import DecisionFactory, FundFactory, approve, manager_of
from tests.poc.after_approval_factories import (
    make_center,
    make_change,
    make_evaluation,
    make_project,
    scores_totalling,
)
from tests.review.factories import ExpertFactory, assign, review_call, submit_directly

D = Decimal
ROLES = ("anonymous", "applicant", "expert", "fund_manager", "district_officer", "officer")


def model(label):
    return apps.get_model(label)


def _choice(label, field_name):
    return model(label)._meta.get_field(field_name).choices[0][0]


@dataclass
class Side:
    """One party of each kind; ``owned`` maps a model label to the primary keys of this side's rows."""

    mark: str
    institution: object = None
    applicant: object = None
    expert: object = None
    manager: object = None
    district_officer: object = None  # the science bureau of this side's district (区县推荐)
    objects: dict = field(default_factory=dict)
    owned: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def owned_keys(self):
        """(content type id, object id) of every object of this side, as the audit log names them."""
        from django.contrib.contenttypes.models import ContentType

        return {(ContentType.objects.get_for_model(model(label)).pk, pk)
                for label, pks in self.owned.items() for pk in pks}

    def keep(self, name, obj):
        self.objects[name] = obj
        self.owned.setdefault(obj._meta.label, set()).add(obj.pk)
        return obj


@dataclass
class World:
    a: Side
    b: Side
    officer: object
    project_call: object
    center_call: object
    pages: dict = field(default_factory=dict)  # role -> signed-in django Client (None: anonymous)
    api: dict = field(default_factory=dict)  # role -> token APIClient

    def user(self, role, side="a"):
        party = getattr(self, side)
        return {"anonymous": None, "applicant": party.applicant, "expert": party.expert.user,
                "fund_manager": party.manager, "district_officer": party.district_officer,
                "officer": self.officer}[role]


def _build_side(w_officer, mark, project_call, center_call):
    s = Side(mark=mark)
    s.institution = s.keep("institution", InstitutionFactory(name=f"{mark} University", district=f"{mark}区"))
    s.district_officer = district_officer_of(f"{mark}区")
    s.applicant = applicant_of(s.institution)
    for state in ("draft", "submitted", "returned", "under_review", "reviewed", "public_notice"):
        s.keep(f"app_{state}", make_application(project_call, s.institution, state=state, created_by=s.applicant,
                                                title=f"{mark} application {state}"))
    draft = s.app_draft
    for label in ("poc.IPItem", "poc.TeamMember", "poc.BudgetLine", "poc.PlannedMilestone", "poc.Attachment"):
        row = model(label).objects.filter(application=draft).first()
        s.keep(label.split(".")[1].lower(), row)
    s.keep("center_app", make_application(center_call, s.institution, state="submitted", created_by=s.applicant,
                                          title=f"{mark} center application"))
    s.keep("site_visit", model("poc.SiteVisit").objects.create(
        application=s.app_under_review, visited_on=date(2026, 3, 1), findings=f"{mark} findings",
        recorded_by=w_officer))
    s.keep("objection", model("poc.Objection").objects.create(
        application=s.app_public_notice, objector=f"{mark} objector", signed=True, received_on=date(2026, 3, 2),
        content=f"{mark} objection", recorded_by=w_officer))
    # The holiday calendar is the bureau's own; each side gets an entry only so the routes have one to name.
    s.keep("calendar_day", model("poc.CalendarDay").objects.create(
        day=date(2031, 1, 1) if mark == "BETA" else date(2030, 1, 1), kind="holiday", name=f"{mark} holiday"))

    # after approval: a center with an evaluation, a project with milestones, a change and an acceptance
    center = s.keep("center", make_center(institution=s.institution, name=f"{mark} PoC Center"))
    s.keep("center_application", center.application)
    evaluation = s.keep("evaluation", make_evaluation(center, state="filed"))
    s.keep("evidence", model("poc.EvaluationEvidence").objects.get(evaluation=evaluation))
    s.keep("evaluation_scored", make_evaluation(center, data_year=evaluation.data_year - 1, state="scored"))
    project = s.keep("project", make_project(institution=s.institution, state="in_progress",
                                             title=f"{mark} project"))
    s.keep("project_application", project.application)
    milestone = s.keep("milestone", project.milestones.first())
    milestone.report, milestone.reported_at, milestone.reported_by = f"{mark} milestone report", timezone.now(), s.applicant
    milestone.evidence_name = "evidence.pdf"
    milestone.evidence.save("evidence.pdf", ContentFile(pdf_bytes()), save=True)
    s.keep("change", make_change(project, by=s.applicant, description=f"{mark} change"))
    acc_project = s.keep("acceptance_project", make_project(institution=s.institution, state="completed",
                                                            title=f"{mark} accepted project"))
    s.keep("acceptance", model("poc.Acceptance").objects.create(
        project=acc_project, **scores_totalling(85), tasks_done_percent=100, opinion=f"{mark} opinion",
        total=D("85"), outcome=_choice("poc.Acceptance", "outcome"), reviewed_by=w_officer,
        reviewed_on=date(2026, 3, 3)))

    # the applicant's own things: a join request to decide, a notification
    joiner = UserFactory(roles=["applicant"], username=f"{mark.lower()}-joiner@example.org")
    s.keep("membership", model("poc.Membership").objects.create(
        user=joiner, institution=s.institution, status="pending"))
    s.keep("notification", model("poc.Notification").objects.create(
        recipient=s.applicant, kind="matrix", key=f"{mark}-notice", title=f"{mark} notice", link="/"))

    # review: an expert assigned to this side's application under review, with a filled review
    s.expert = s.keep("expert_profile", ExpertFactory(name=f"{mark} expert"))
    assignment = s.keep("assignment", assign(s.app_under_review, s.expert, w_officer))
    s.keep("review", submit_directly(model("review.Review").objects.get(assignment=assignment),
                                    comment=f"{mark} review comment"))
    s.keep("conflict", model("review.Conflict").objects.create(
        expert=s.expert, application=s.app_submitted, source=_choice("review.Conflict", "source"),
        reason=f"{mark} conflict", recorded_by=w_officer))
    return s


def _build_funding(w_officer, s):
    from funding import (  # decisions, then the records kept after them
        contracts,
        monitoring_services,
        services,
    )

    fund = s.keep("fund", FundFactory(name=f"{s.mark} sub-fund"))
    s.manager = manager_of(fund)
    decision = services.propose_decision(
        w_officer, s.app_reviewed, instrument="grant_equity", grant_amount=D("1000000.00"),
        grant_programme=f"{s.mark} programme", equity_amount=D("2000000.00"), pre_money_valuation=D("18000000.00"),
        rationale=f"{s.mark} rationale", fund=fund)
    decision = services.approve_grant(w_officer, decision)
    decision = s.keep("decision", services.approve_equity(s.manager, decision))
    investment = s.keep("investment", services.record_investment(
        s.manager, decision, investee_name=f"{s.mark} Battery Co.", investee_credit_code=s.institution.credit_code,
        amount=D("2000000"), pre_money_valuation=D("18000000"), invested_on=date(2026, 2, 1)))
    investment.agreement.save("agreement.pdf", ContentFile(pdf_bytes()), save=True)
    s.keep("mark_row", services.mark_value(s.manager, investment, marked_on=date(2026, 6, 30), value=D("2500000"),
                                          note=f"{s.mark} mark"))
    s.keep("exit", services.record_exit(s.manager, investment, kind="secondary", exited_on=date(2026, 7, 1),
                                        proceeds=D("300000"), stake_sold=D("1")))
    s.keep("tranche", services.plan_tranche(w_officer, decision, part="grant", amount=D("500000"),
                                            release_on=date(2026, 1, 1)))
    s.keep("round", services.record_round(s.manager, decision, round_name=f"{s.mark} A", closed_on=date(2026, 8, 1),
                                          pre_money_valuation=D("40000000"), amount_raised=D("8000000")))
    # A convertible grant on another application of the side, its conversion outstanding.
    convertible = approve(DecisionFactory(
        convertible=True, fund=fund, application=make_application(
            s.app_reviewed.call, s.institution, state="reviewed", created_by=s.applicant,
            title=f"{s.mark} convertible application")))
    s.keep("conversion", model("funding.Conversion").objects.create(decision=convertible))
    s.keep("report", monitoring_services.file_quarterly_report(s.applicant, decision, year=2026, quarter=2, revenue=D("1"),
                                                    rd_spend=D("1"), headcount=5, risks=f"{s.mark} report"))
    s.keep("event", monitoring_services.report_material_event(s.manager, decision, occurred_on=date(2026, 5, 1),
                                                    summary=f"{s.mark} event"))
    s.keep("risk", monitoring_services.identify_risk(s.manager, decision, title=f"{s.mark} risk"))
    s.keep("policy", monitoring_services.add_insurance(s.manager, decision, insurer=f"{s.mark} insurer", product="R&D loss",
                                            premium=D("1000"), subsidy=D("500"), starts_on=date(2026, 1, 1),
                                            ends_on=date(2026, 12, 31)))
    funded = s.keep("funded_project", model("poc.Project").objects.create(
        institution=s.institution, application=s.app_reviewed, kind=s.app_reviewed.kind,
        title=f"{s.mark} funded project", project_number=f"WZ-PP-2026-{s.mark}", approved_on=date(2026, 1, 15),
        obligation=f"{s.mark} obligation", obligation_due_on=date(2027, 1, 14)))
    contract = s.keep("contract", contracts.register_contract(
        s.applicant, funded, registration_number=f"{s.mark}-R-1", parties=f"{s.mark} / buyer",
        seller_kind="university", buyer_kind="enterprise", contract_amount=D("100"), registered_on=date(2026, 3, 1)))
    s.keep("payment", contracts.record_contract_payment(s.applicant, contract, amount=D("50"),
                                                        received_on=date(2026, 4, 1)))
    job = model("poc.BackgroundJob")(owner=s.manager, kind="investments_xlsx", state="done", progress=100,
                                     result_name=f"{s.mark}.xlsx", finished_at=timezone.now())
    job.result.save("result.xlsx", ContentFile(xlsx_bytes()), save=True)
    s.keep("job", job)


def _signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _token_client(user):
    client = APIClient()
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    client.credentials(**headers)
    return client


def build_world() -> World:
    staff = officer(first_name="Officer", last_name="Matrix")
    # The project call asks for the district's recommendation, so each side's district officer has the
    # submitted application of its own district to read, and the other side's to be refused.
    project_call = review_call(min_reviews=1, title="Matrix project call", requires_district_recommendation=True)
    center_call = CallFactory(kind="poc_center", title="Matrix center call")
    w = World(a=None, b=None, officer=staff, project_call=project_call, center_call=center_call)
    w.a = _build_side(staff, "ALPHA", project_call, center_call)
    w.b = _build_side(staff, "BETA", project_call, center_call)
    for side in (w.a, w.b):
        _build_funding(staff, side)
    # an issued document of each side (the owner downloads its application form, which issues it)
    for side in (w.a, w.b):
        owner = _signed_in(side.applicant)
        response = owner.get(reverse("application-document", kwargs={"pk": side.app_submitted.pk, "kind": "form"}))
        assert response.status_code == 200, response.status_code
        side.keep("document", model("poc.IssuedDocument").objects.order_by("-id").first())
    for role in ROLES:
        w.pages[role] = _signed_in(w.user(role))
        w.api[role] = _token_client(w.user(role))
    for side in ("a", "b"):
        for role in ROLES[1:]:
            w.pages[f"{role}:{side}"] = _signed_in(w.user(role, side))
    return w
