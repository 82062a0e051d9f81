"""Pages of life after approval: designated centers, annual evaluations, funded projects, acceptance,
the officer's overviews, the public list of centers, and the demo data that shows every state."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from poc.centers import services as center_services
from poc.centers.models import add_months
from poc.models import (
    Acceptance,
    AnnualEvaluation,
    Application,
    Center,
    ChangeRequest,
    Project,
    TransitionLog,
    create_outcome,
)
from poc.projects import services as project_services
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    expert,
    fund_manager,
    make_application,
    officer,
    pdf_bytes,
)

from .pages_support import browser, messages_of, text

pytestmark = pytest.mark.django_db


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# ----------------------------------------------------------------- helpers

def make_center(institution, applicant, *, name="Alpha PoC Center", designated_years_ago=2):
    """A designated center, designated on 1 March ``designated_years_ago`` years ago (past data years open)."""
    call = CallFactory(kind="poc_center")
    application = make_application(call, institution, created_by=applicant, state="approved", title=name)
    center = create_outcome(application)
    designated = date(timezone.localdate().year - designated_years_ago, 3, 1)
    Center.objects.filter(pk=center.pk).update(designated_on=designated,
                                               valid_until=designated.replace(year=designated.year + 3)
                                               - timedelta(days=1))
    return Center.objects.get(pk=center.pk)


def filed_evaluation(center, applicant, year=None):
    year = year or timezone.localdate().year - 1
    evaluation = center_services.start_evaluation(applicant, center, year)
    center_services.update_evaluation(applicant, evaluation, user_satisfaction=Decimal("90"), cases="A case.",
                                      next_year_plan="A plan.", service_revenue=Decimal("1200000.00"))
    center_services.add_evidence(applicant, evaluation, "Audit report", pdf())
    return center_services.file_evaluation(applicant, evaluation)


def make_project(institution, applicant, *, title="Alpha sensor project"):
    call = CallFactory(kind="poc_project")
    application = make_application(call, institution, created_by=applicant, state="approved", title=title)
    return create_outcome(application)


def project_in_acceptance(institution, applicant, staff):
    project = make_project(institution, applicant)
    project_services.upload_agreement(staff, project, pdf("agreement.pdf"))
    project = project_services.sign(staff, project)
    for milestone in project.milestones.all():
        project_services.report_milestone(applicant, milestone, "Done: the prototype works.")
    return project_services.request_acceptance(applicant, project)


class World:
    """Institution A (a center with an evaluation, a project) and institution B (its own applicant)."""

    def __init__(self):
        self.inst_a = InstitutionFactory(name="Alpha University", contact_phone="0577-12345678")
        self.inst_b = InstitutionFactory(name="Beta Institute")
        self.applicant_a = applicant_of(self.inst_a)
        self.applicant_b = applicant_of(self.inst_b)
        self.officer = officer(first_name="Secret", last_name="Officer")
        self.center = make_center(self.inst_a, self.applicant_a)
        self.evaluation = filed_evaluation(self.center, self.applicant_a)
        self.evidence = self.evaluation.evidence.first()
        self.project = make_project(self.inst_a, self.applicant_a)
        self.milestone = self.project.milestones.first()

    def urls(self):
        return [
            reverse("center-detail", args=[self.center.pk]),
            reverse("evaluation-detail", args=[self.evaluation.pk]),
            reverse("evidence-download", args=[self.evaluation.pk, self.evidence.pk]),
            reverse("project-detail", args=[self.project.pk]),
            reverse("milestone-report", args=[self.project.pk, self.milestone.pk]),
        ]


# ---------------------------------------------------------------- who sees

def test_officers_and_the_own_institution_see_the_pages():
    world = World()
    for user in (world.officer, world.applicant_a):
        client = browser(user)
        for name in ("center-list", "project-list"):
            body = text(client.get(reverse(name)))
            assert "Alpha PoC Center" in body or "Alpha sensor project" in body
        body = text(client.get(reverse("center-detail", args=[world.center.pk])))
        assert world.center.designation_number in body and "Annual performance evaluations" in body
        body = text(client.get(reverse("evaluation-detail", args=[world.evaluation.pk])))
        assert "Audit report" in body and ">Filed<" in body
        body = text(client.get(reverse("project-detail", args=[world.project.pk])))
        assert world.project.project_number in body and "Conversion obligation" in body
        assert "Prototype" in body  # the milestone copied from the application
    home = text(browser(world.applicant_a).get(reverse("home")))
    assert "My centers and projects" in home and "Alpha PoC Center" in home and "Alpha sensor project" in home
    mine = text(browser(world.applicant_a).get(reverse("my-outcomes")))
    assert "Alpha PoC Center" in mine and "Alpha sensor project" in mine


def test_another_institution_gets_404_and_its_lists_stay_empty():
    world = World()
    client = browser(world.applicant_b)
    for url in world.urls():
        assert client.get(url).status_code == 404, url
    for url in (reverse("center-step", args=[world.center.pk, "revoke_for_fraud"]),
                reverse("evaluation-step", args=[world.evaluation.pk, "return_data"]),
                reverse("evaluation-start", args=[world.center.pk]),
                reverse("evidence-add", args=[world.evaluation.pk]),
                reverse("project-step", args=[world.project.pk, "terminate"]),
                reverse("agreement-upload", args=[world.project.pk]),
                reverse("change-add", args=[world.project.pk])):
        assert client.post(url, {}).status_code == 404, url
    for name in ("center-list", "project-list", "my-outcomes", "home"):
        body = text(client.get(reverse(name)))
        assert "Alpha PoC Center" not in body and "Alpha sensor project" not in body, name


@pytest.mark.parametrize("make_user", [expert, fund_manager])
def test_experts_and_fund_managers_have_no_access_for_now(make_user):
    world = World()
    client = browser(make_user())
    for url in [reverse("center-list"), reverse("project-list")] + world.urls():
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page():
    world = World()
    for url in [reverse("center-list"), reverse("project-list"), reverse("my-outcomes")] + world.urls():
        response = browser().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_applicants_never_see_officer_names_in_the_history():
    world = World()
    center_services.score_evaluation(world.officer, world.evaluation, "95", "Well done.")
    applicant_view = text(browser(world.applicant_a).get(reverse("evaluation-detail", args=[world.evaluation.pk])))
    assert "Secret Officer" not in applicant_view and "Bureau officer" in applicant_view
    assert "Well done." in applicant_view
    officer_view = text(browser(world.officer).get(reverse("evaluation-detail", args=[world.evaluation.pk])))
    assert "Secret Officer" in officer_view


# ------------------------------------------------------------ public list

def test_the_public_list_needs_no_login_and_shows_no_private_data():
    world = World()
    center_services.score_evaluation(world.officer, world.evaluation, "87.5")
    other = make_center(world.inst_b, world.applicant_b, name="Revoked Gamma Center")
    center_services.revoke_for_fraud(world.officer, other, "Fake invoices.")
    response = browser().get(reverse("public-center-list"))
    assert response.status_code == 200
    body = text(response)
    assert "Alpha PoC Center" in body and "Alpha University" in body
    assert world.center.valid_until.isoformat() in body and "Secondary development" in body
    assert "0577-12345678" not in body and world.center.contact not in body  # no contact
    assert "87.5" not in body and "Good" not in body and "Excellent" not in body  # no evaluation
    assert "Revoked Gamma Center" not in body


# ------------------------------------------------------------- evaluations

def test_the_institution_files_its_evaluation_through_the_pages():
    world = World()
    client = browser(world.applicant_a)
    year = timezone.localdate().year - 2
    response = client.post(reverse("evaluation-start", args=[world.center.pk]), {"start-data_year": year},
                           follow=True)
    evaluation = AnnualEvaluation.objects.get(center=world.center, data_year=year)
    assert response.redirect_chain[-1][0] == reverse("evaluation-detail", args=[evaluation.pk])
    body = text(response)
    assert "User satisfaction is missing." in body and "Attach at least one evidence file." in body
    # the checklist's reasons are not repeated by the blocked step
    assert "Complete the checklist first." in body

    data = {"projects_validated": "12", "results_transferred": "5", "companies_incubated": "2",
            "follow_on_financing": "3000000.00", "contract_turnover": "2500000.00", "service_revenue": "800000.00",
            "user_satisfaction": "91.5", "cases": "A typical case.", "next_year_plan": "A plan."}
    response = client.post(reverse("evaluation-detail", args=[evaluation.pk]), data, follow=True)
    assert "Saved." in messages_of(response)
    assert client.post(reverse("evaluation-detail", args=[evaluation.pk]),
                       {**data, "user_satisfaction": "120"}).status_code == 400
    response = client.post(reverse("evidence-add", args=[evaluation.pk]),
                           {"evidence-title": "Audit", "evidence-file": pdf()}, follow=True)
    assert "Uploaded." in messages_of(response)
    evidence = evaluation.evidence.get()
    download = client.get(reverse("evidence-download", args=[evaluation.pk, evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "Everything needed is there" in text(client.get(reverse("evaluation-detail", args=[evaluation.pk])))

    response = client.post(reverse("evaluation-step", args=[evaluation.pk, "file"]), follow=True)
    evaluation.refresh_from_db()
    assert evaluation.state == "filed" and evaluation.user_satisfaction == Decimal("91.50")
    assert evaluation.filed_by == world.applicant_a
    # filed data can no longer be changed through the page
    response = client.post(reverse("evaluation-detail", args=[evaluation.pk]), data, follow=True)
    assert "can no longer be edited" in " ".join(messages_of(response))


def test_officers_cannot_edit_the_institutions_data_and_scoring_is_theirs():
    world = World()
    assert browser(world.officer).post(reverse("evaluation-detail", args=[world.evaluation.pk]), {}).status_code \
        == 403
    assert browser(world.applicant_a).post(reverse("evaluation-score", args=[world.evaluation.pk]),
                                           {"score-score": "99"}).status_code == 403
    world.evaluation.refresh_from_db()
    assert world.evaluation.state == "filed"


def score(client, evaluation, value, **extra):
    return client.post(reverse("evaluation-score", args=[evaluation.pk]),
                       {"score-score": value, "score-comment": "", **extra}, follow=True)


def test_the_preview_shows_the_grade_and_the_consequence_without_saving():
    world = World()
    response = score(browser(world.officer), world.evaluation, "55", preview="1")
    body = text(response)
    assert "55 points: Fail." in body and "it becomes “Rectifying”" in body
    world.evaluation.refresh_from_db()
    assert world.evaluation.state == "filed"


@pytest.mark.parametrize("value, grade, state", [
    ("92", "excellent", "active"), ("75", "good", "active"), ("60", "pass", "active"), ("59.99", "fail", "rectifying"),
])
def test_scoring_through_the_page_grades_and_moves_the_center(value, grade, state):
    world = World()
    response = score(browser(world.officer), world.evaluation, value)
    world.evaluation.refresh_from_db()
    world.center.refresh_from_db()
    assert world.evaluation.grade == grade and world.center.state == state
    assert f"The center is “{world.center.get_state_display()}”." in " ".join(messages_of(response))
    if state == "rectifying":
        assert world.center.rectification_due == add_months(timezone.localdate(), 12)
        page = text(browser(world.applicant_a).get(reverse("center-detail", args=[world.center.pk])))
        assert "must rectify by" in page


@pytest.mark.parametrize("value, state", [("72", "active"), ("40", "revoked")])
def test_a_rectifying_center_returns_to_active_or_is_revoked_by_the_next_score(value, state):
    world = World()
    earlier = filed_evaluation(world.center, world.applicant_a, year=timezone.localdate().year - 2)
    score(browser(world.officer), earlier, "50")
    world.center.refresh_from_db()
    assert world.center.state == "rectifying"
    response = score(browser(world.officer), world.evaluation, value)  # the evaluation after rectification
    world.center.refresh_from_db()
    assert world.center.state == state
    assert response.status_code == 200


def test_an_out_of_range_score_is_refused_and_nothing_changes():
    world = World()
    response = score(browser(world.officer), world.evaluation, "101")
    assert response.status_code == 400
    world.evaluation.refresh_from_db()
    assert world.evaluation.state == "filed"


def test_officers_revoke_a_center_for_fraud_with_a_reason():
    world = World()
    client = browser(world.officer)
    url = reverse("center-step", args=[world.center.pk, "revoke_for_fraud"])
    response = client.post(url, {"revoke_for_fraud-comment": ""}, follow=True)
    assert any("needs a reason" in m for m in messages_of(response))
    world.center.refresh_from_db()
    assert world.center.state == "active"
    client.post(url, {"revoke_for_fraud-comment": "Invoices were forged."}, follow=True)
    world.center.refresh_from_db()
    assert world.center.state == "revoked" and world.center.subsidy_recovery
    body = text(browser(world.applicant_a).get(reverse("center-detail", args=[world.center.pk])))
    assert "The subsidy is to be recovered." in body and "Invoices were forged." in body
    # score-driven steps are no buttons
    assert client.post(reverse("center-step", args=[world.center.pk, "order_rectification"])).status_code == 404
    assert browser(world.applicant_a).post(url, {"revoke_for_fraud-comment": "x"}, follow=True).status_code == 200
    assert TransitionLog.objects.for_object(world.center).filter(transition="revoke_for_fraud").count() == 1


# ---------------------------------------------------------------- projects

def test_the_agreement_is_uploaded_and_confirmed_through_the_pages():
    world = World()
    client = browser(world.officer)
    body = text(client.get(reverse("project-detail", args=[world.project.pk])))
    assert "Upload the task agreement" in body  # the blocked step says why
    not_pdf = SimpleUploadedFile("agreement.docx", b"PK\x03\x04", content_type="application/octet-stream")
    assert client.post(reverse("agreement-upload", args=[world.project.pk]),
                       {"agreement-file": not_pdf}).status_code == 400
    response = client.post(reverse("agreement-upload", args=[world.project.pk]),
                           {"agreement-file": pdf("signed.pdf")}, follow=True)
    assert "The signed task agreement is uploaded." in messages_of(response)
    assert browser(world.applicant_a).get(reverse("agreement-download", args=[world.project.pk])).status_code == 200
    assert browser(world.applicant_b).get(reverse("agreement-download", args=[world.project.pk])).status_code == 404
    client.post(reverse("project-step", args=[world.project.pk, "sign"]), {}, follow=True)
    world.project.refresh_from_db()
    assert world.project.state == "in_progress" and world.project.signed_on == timezone.localdate()
    assert world.project.milestones.first().due_on is not None


def test_milestones_are_reported_and_overdue_ones_flagged():
    world = World()
    project_services.upload_agreement(world.officer, world.project, pdf())
    project = project_services.sign(world.officer, world.project)
    milestone = project.milestones.first()
    milestone.due_on = timezone.localdate() - timedelta(days=3)
    milestone.save(update_fields=["due_on"])
    body = text(browser(world.officer).get(reverse("project-detail", args=[project.pk])))
    assert "overdue by 3 days" in body
    overview = text(browser(world.officer).get(reverse("project-list")))
    assert "Overdue milestones" in overview and milestone.title in overview
    client = browser(world.applicant_a)
    url = reverse("milestone-report", args=[project.pk, milestone.pk])
    assert client.post(url, {"report": ""}).status_code == 400
    response = client.post(url, {"report": "Prototype built and tested.", "evidence": pdf("test.pdf")},
                           follow=True)
    assert "is saved" in " ".join(messages_of(response))
    milestone.refresh_from_db()
    assert milestone.reported_at and not milestone.is_overdue
    assert client.get(reverse("milestone-evidence", args=[project.pk, milestone.pk])).status_code == 200
    assert browser(world.officer).get(url).status_code == 403  # reporting is the institution's


def test_change_requests_are_requested_and_decided_through_the_pages():
    world = World()
    project_services.upload_agreement(world.officer, world.project, pdf())
    project = project_services.sign(world.officer, world.project)
    client = browser(world.applicant_a)
    response = client.post(reverse("change-add", args=[project.pk]),
                           {"change-kind": "deadline", "change-description": "Late equipment."})
    assert response.status_code == 400 and "needs the new due date" in text(response)
    new_due = project.due_on + timedelta(days=90)
    client.post(reverse("change-add", args=[project.pk]),
                {"change-kind": "deadline", "change-description": "Late equipment.",
                 "change-new_due_on": new_due.isoformat()}, follow=True)
    change = ChangeRequest.objects.get(project=project)
    assert client.post(reverse("change-step", args=[change.pk, "approve"]), follow=True).status_code == 200
    change.refresh_from_db()
    assert change.state == "pending"  # only officers decide
    staff = browser(world.officer)
    response = staff.post(reverse("change-step", args=[change.pk, "reject"]), {"reject-comment": ""}, follow=True)
    assert any("needs a reason" in m for m in messages_of(response))
    staff.post(reverse("change-step", args=[change.pk, "approve"]), {"approve-comment": "Agreed."}, follow=True)
    change.refresh_from_db()
    project.refresh_from_db()
    assert change.state == "approved" and project.approved_deadline == new_due
    assert browser(world.applicant_b).post(reverse("change-step", args=[change.pk, "reject"])).status_code == 404


SCORES = {"content_score": "18", "technical_score": "17", "economic_score": "8", "deliverables_score": "18",
          "funds_score": "18", "other_score": "9"}


def acceptance_form(**overrides):
    return {**SCORES, "tasks_done_percent": "95", "opinion": "All targets met.",
            **overrides}


def test_acceptance_through_the_page_passes_the_project():
    world = World()
    project = project_in_acceptance(world.inst_a, world.applicant_a, world.officer)
    client = browser(world.officer)
    url = reverse("acceptance-review", args=[project.pk])
    page = text(client.get(url))
    assert "Task content (max 20)" in page and "Use of funds (max 20)" in page and "Other (max 10)" in page
    preview = text(client.post(url, {**acceptance_form(), "preview": "1"}))
    assert "88.00" in preview and "Passed" in preview and "Nothing is saved yet." in preview
    assert not project.acceptances.exists()
    response = client.post(url, acceptance_form(), follow=True)
    project.refresh_from_db()
    acceptance = project.acceptances.get()
    assert project.state == "completed" and acceptance.total == Decimal("88.00") and not acceptance.obligation_overdue
    assert "Acceptance recorded: 88.00 points, Passed." in " ".join(messages_of(response))
    assert "All targets met." in text(browser(world.applicant_a).get(reverse("project-detail", args=[project.pk])))


def test_acceptance_between_the_thresholds_orders_one_rectification_then_fails():
    world = World()
    project = project_in_acceptance(world.inst_a, world.applicant_a, world.officer)
    client = browser(world.officer)
    url = reverse("acceptance-review", args=[project.pk])
    low = {"content_score": "14", "technical_score": "14", "economic_score": "7", "deliverables_score": "14",
           "funds_score": "14", "other_score": "7"}  # 70
    client.post(url, acceptance_form(**low), follow=True)
    project.refresh_from_db()
    assert project.state == "rectifying" and project.rectification_due
    assert "after rectification" in text(client.get(url))
    client.post(url, acceptance_form(**low), follow=True)
    project.refresh_from_db()
    assert project.state == "failed" and project.acceptances.count() == 2


def test_a_pending_target_change_is_pre_ticked_explained_and_fails_the_acceptance():
    world = World()
    project = project_in_acceptance(world.inst_a, world.applicant_a, world.officer)
    ChangeRequest.objects.create(project=project, kind="target", description="Lower the yield target.",
                                 requested_by=world.applicant_a)
    client = browser(world.officer)
    url = reverse("acceptance-review", args=[project.pk])
    response = client.get(url)
    assert response.context["form"]["unapproved_change"].value() is True
    assert "A change of targets has not been approved." in text(response)
    client.post(url, acceptance_form(), follow=True)  # the box unticked: the rule still applies
    project.refresh_from_db()
    acceptance = project.acceptances.get()
    assert project.state == "failed" and acceptance.outcome == Acceptance.Outcome.FAILED
    assert "Targets were changed without approval." in acceptance.auto_fail_reasons
    body = text(client.get(reverse("project-detail", args=[project.pk])))
    assert "Automatic fail:" in body and "Targets were changed without approval." in body


def test_automatic_fail_reasons_are_shown_in_the_preview():
    world = World()
    project = project_in_acceptance(world.inst_a, world.applicant_a, world.officer)
    body = text(browser(world.officer).post(reverse("acceptance-review", args=[project.pk]),
                                            {**acceptance_form(tasks_done_percent="70", false_data="on"),
                                             "preview": "1"}))
    assert "Less than 80% of the tasks are done" in body and "Data were found to be false." in body
    assert not project.acceptances.exists()


def test_the_acceptance_form_is_for_officers_when_acceptance_was_requested():
    world = World()
    url = reverse("acceptance-review", args=[world.project.pk])
    assert browser(world.applicant_a).get(url).status_code == 403
    response = browser(world.officer).get(url, follow=True)  # still contracting
    assert "once the institution has requested it" in " ".join(messages_of(response))


def test_terminate_needs_a_reason():
    world = World()
    client = browser(world.officer)
    url = reverse("project-step", args=[world.project.pk, "terminate"])
    client.post(url, {"terminate-comment": ""}, follow=True)
    world.project.refresh_from_db()
    assert world.project.state == "contracting"
    client.post(url, {"terminate-comment": "The company closed."}, follow=True)
    world.project.refresh_from_db()
    assert world.project.state == "terminated"
    assert client.post(reverse("project-step", args=[world.project.pk, "pass_acceptance"])).status_code == 404


# --------------------------------------------------------------- overviews

def test_the_officer_overviews_flag_expiry_and_obligation_deadlines():
    world = World()
    today = timezone.localdate()
    Center.objects.filter(pk=world.center.pk).update(valid_until=today + timedelta(days=30))
    Project.objects.filter(pk=world.project.pk).update(obligation_due_on=today + timedelta(days=20))
    late = make_project(world.inst_b, world.applicant_b, title="Beta late project")
    Project.objects.filter(pk=late.pk).update(obligation_due_on=today - timedelta(days=1))
    client = browser(world.officer)
    centers = client.get(reverse("center-list"))
    assert [c.pk for c in centers.context["expiring"]] == [world.center.pk]
    assert "ends in 30 days" in text(centers)
    projects = client.get(reverse("project-list"))
    assert [p.pk for p in projects.context["obligations_due_soon"]] == [world.project.pk]
    assert [p.pk for p in projects.context["obligations_overdue"]] == [late.pk]
    filtered = client.get(reverse("center-list"), {"grade": "none"})
    assert [c.pk for c in filtered.context["page"]] == [world.center.pk]
    center_services.score_evaluation(world.officer, world.evaluation, "95")
    assert [c.pk for c in client.get(reverse("center-list"), {"grade": "excellent"}).context["page"]] == \
        [world.center.pk]


# --------------------------------------------------------------- demo data

def test_seed_demo_twice_gives_every_center_and_project_state_once_seeded():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = {model: model.objects.count() for model in (Application, Center, Project, AnnualEvaluation,
                                                         Acceptance, ChangeRequest, TransitionLog)}
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {model: model.objects.count() for model in counts} == counts
    assert set(Center.objects.values_list("state", flat=True)) >= {"active", "rectifying", "revoked", "expired"}
    assert set(Project.objects.values_list("state", flat=True)) >= {
        "contracting", "in_progress", "acceptance", "rectifying", "completed", "failed", "terminated"}
    # each state seeded once by poc's demo (other apps' demo data may add projects of their own)
    poc_projects = Project.objects.filter(application__title__in=[t for _, _, t, _ in _outcome_plan()]
                                          + ["低压电器数字孪生测试平台验证"])
    assert sorted(poc_projects.values_list("state", flat=True)) == sorted(
        ["contracting", "in_progress", "acceptance", "rectifying", "completed", "failed", "terminated"])
    # an active center with a good evaluation; the walkable ones are in place
    active = Center.objects.filter(state="active", evaluations__grade__in=["excellent", "good"])
    assert active.exists()
    assert AnnualEvaluation.objects.filter(state="filed").exists()  # the officer can score one
    assert Center.objects.filter(state="revoked", subsidy_recovery=True).exists()
    in_acceptance = Project.objects.get(application__title="高精度伺服电机控制器中试熟化")
    assert in_acceptance.state == "acceptance" and not in_acceptance.milestones.filter(reported_at=None).exists()
    in_progress = Project.objects.get(application__title="智能鞋履足压传感模组中试熟化")
    assert [m.is_overdue for m in in_progress.milestones.all()].count(True) == 1
    assert in_progress.change_requests.filter(state="pending").exists()
    contracting = Project.objects.get(state="contracting")
    assert not contracting.agreement
    # every seeded state change left an audit row marked as demo data
    for center in Center.objects.exclude(state="active"):
        assert TransitionLog.objects.for_object(center).filter(target=center.state).exists()
    # no duplicates by natural key, and the demo institutions keep within the rules
    assert not Application.objects.values("call", "institution", "title").annotate(n=Count("id")).filter(n__gt=1)
    assert not AnnualEvaluation.objects.values("center", "data_year").annotate(n=Count("id")).filter(n__gt=1)
    centers = Application.objects.filter(kind__in=["poc_center", "pilot_base"]).exclude(state="withdrawn")
    per_round = centers.values("institution", "call__round").annotate(n=Count("id"))
    assert not [row for row in per_round if row["n"] > 1], "one center application per institution per round"
    for application in Application.objects.exclude(state="withdrawn").select_related("call"):
        same_call = Application.objects.filter(call=application.call, institution=application.institution) \
            .exclude(state="withdrawn").count()
        assert same_call <= application.call.max_applications_per_institution, application.number


def _outcome_plan():
    from poc.demo import DemoSeeder

    return DemoSeeder.OUTCOME_PLAN
