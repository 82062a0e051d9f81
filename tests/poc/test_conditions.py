"""The conditions of the application workflow: *when* a step may run (DESIGN §2, DOMAIN §1–2).

Each test states one rule of the bureau in its own words and checks the exact refusal the user
reads (409), or that the step goes through once the rule is met.
"""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from poc import gates
from poc.applications import services
from poc.applications.completeness import missing_items
from poc.errors import NotNow
from poc.institutions import services as institution_services
from poc.models import (
    Application,
    Attachment,
    BudgetLine,
    Center,
    Objection,
    PlannedMilestone,
    Project,
    ProjectDetails,
    TeamMember,
)
from poc.rules import check_transition
from poc.workflow import run_transition
from tests.factories import CallFactory, InstitutionFactory, applicant_of, make_application, officer
from tests.poc.workflow_support import (
    always_passes,
    audit_rows,
    gate_answers,
    local_moment,
    open_objection,
    rules_environment,
    set_notice_over,
    snapshot,
)

pytestmark = pytest.mark.django_db

NOW = local_moment(2026, 5, 12, 10, 0)  # Tuesday 12 May 2026, 10:00 in Wenzhou
TODAY = date(2026, 5, 12)

NO_FUNDING_PROPOSAL = "A project can only be proposed with a funding decision proposal, and none exists yet."
NO_FUNDING_APPROVAL = "A project can only be approved once its funding decision is approved, and none exists yet."


@pytest.fixture(autouse=True)
def _environment():
    with rules_environment(NOW):
        yield


@pytest.fixture(autouse=True)
def _gates_as_shipped():
    """Review and funding gates as poc ships them (refusing), whatever a higher app plugged in."""
    with (gate_answers(gates.reviews_complete, None), gate_answers(gates.funding_proposed, None),
          gate_answers(gates.funding_approved, None)):
        yield


def refusal(app, name, user):
    """The 409 refusal's reasons, checked both as shown and as run; nothing may change."""
    app = Application.objects.get(pk=app.pk)  # as a page or the API reads it
    check = check_transition(app, name, user)
    assert not check.allowed
    assert check.status == 409, check.reasons
    before = snapshot(app)
    with pytest.raises(NotNow) as refused:
        run_transition(app, name, user, "A reason.")
    assert refused.value.messages == check.reasons
    assert snapshot(app) == before
    return check.reasons


def goes_through(app, name, user, comment="A reason.", **details):
    app = Application.objects.get(pk=app.pk)
    check = check_transition(app, name, user)
    assert check.allowed, check.reasons
    return run_transition(app, name, user, comment, **details)


def draft(call=None, institution=None, **kw):
    institution = institution or InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(call or CallFactory(), institution, created_by=owner, **kw)
    return app, owner


# ---------------------------------------------------------------- the call window


def test_a_closed_call_refuses_submission():
    call = CallFactory(title="2026 PoC projects", opens_at=local_moment(2026, 4, 1, 9),
                       closes_at=local_moment(2026, 5, 11, 17))
    app, owner = draft(call)
    assert refusal(app, "submit", owner) == ["The call “2026 PoC projects” closed on 2026-05-11."]


def test_the_closing_moment_itself_still_accepts_and_a_second_later_does_not():
    closes = local_moment(2026, 5, 12, 17, 0)
    call = CallFactory(title="2026 PoC projects", opens_at=local_moment(2026, 4, 1, 9), closes_at=closes)
    app, owner = draft(call)
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        assert refusal(app, "submit", owner) == ["The call “2026 PoC projects” closed on 2026-05-12."]
    with time_machine.travel(closes, tick=False):
        assert goes_through(app, "submit", owner).state == "submitted"


def test_a_call_not_yet_open_refuses_submission():
    call = CallFactory(title="2026 pilot bases", kind="pilot_base", opens_at=local_moment(2026, 5, 20, 9),
                       closes_at=local_moment(2026, 6, 30, 17))
    app, owner = draft(call)
    assert refusal(app, "submit", owner) == ["The call “2026 pilot bases” opens on 2026-05-20."]


def test_an_unpublished_call_refuses_submission():
    call = CallFactory(title="Draft call", published=False)
    app, owner = draft(call)
    assert refusal(app, "submit", owner) == ["The call “Draft call” is not published."]


def test_a_closed_call_refuses_resubmission_too_only_by_the_revision_deadline():
    """A returned application is judged by its own revision deadline, not the call's window."""
    call = CallFactory(opens_at=local_moment(2026, 4, 1, 9), closes_at=local_moment(2026, 5, 1, 17))
    app, owner = draft(call, state="returned")
    assert goes_through(app, "resubmit", owner).state == "submitted"


# ------------------------------------------------------------------ completeness


def _only_missing(app, owner, *messages):
    assert missing_items(app) == list(messages)  # the editor's checklist says the same
    assert refusal(app, "submit", owner) == list(messages)


def test_a_complete_application_can_be_submitted():
    app, owner = draft()
    assert missing_items(app) == []
    submitted = goes_through(app, "submit", owner, comment="")
    assert submitted.state == "submitted"
    assert submitted.submitted_at == NOW


def test_no_title():
    app, owner = draft()
    Application.objects.filter(pk=app.pk).update(title="  ")
    app.refresh_from_db()
    _only_missing(app, owner, "Title is missing.")


def test_no_attachment_of_a_required_type():
    call = CallFactory(required_attachment_types=["application_form", "integrity_pledge"])
    app, owner = draft(call)
    Attachment.objects.filter(application=app, attachment_type="integrity_pledge").delete()
    _only_missing(app, owner, "Attachment missing: Research-integrity pledge.")


def test_an_attachment_of_another_type_does_not_stand_in_for_a_required_one():
    call = CallFactory(required_attachment_types=["application_form"])
    app, owner = draft(call)
    Attachment.objects.filter(application=app).update(attachment_type="other")
    _only_missing(app, owner, "Attachment missing: Signed application form.")


def test_pledges_not_confirmed():
    app, owner = draft()
    services.confirm_pledges(owner, app, integrity=False, ip_compliance=False)
    app.refresh_from_db()
    _only_missing(app, owner, "The research-integrity pledge has not been confirmed.",
                  "The IP-compliance statement has not been confirmed.")
    services.confirm_pledges(owner, app, integrity=True, ip_compliance=False)
    app.refresh_from_db()
    _only_missing(app, owner, "The IP-compliance statement has not been confirmed.")
    services.confirm_pledges(owner, app, integrity=True, ip_compliance=True)
    assert goes_through(app, "submit", owner).state == "submitted"


def test_project_budget_lines_not_adding_up():
    app, owner = draft(CallFactory(kind="poc_project"))
    # requested grant 500,000 + self-funded 100,000 = 600,000 declared; the lines say 650,000.
    BudgetLine.objects.create(application=app, category="测试化验加工费", source="self", amount=Decimal("50000.00"))
    _only_missing(app, owner, "The self-funded budget lines add up to ¥150,000.00, but the self-funded amount under "
                              "Project details is ¥100,000.00; the two must be equal.")


def test_the_grant_lines_must_equal_the_grant_requested_even_when_the_total_matches():
    """财政资助 lines of ¥300,000 against a ¥500,000 grant request, the other ¥200,000 moved to self-funded
    lines: the total still matches, each source does not, and both are named."""
    app, owner = draft(CallFactory(kind="poc_project"))
    line = app.budget_lines.get(source="grant")
    line.amount = Decimal("300000.00")
    line.save()
    BudgetLine.objects.create(application=app, category="人员费", source="self", amount=Decimal("200000.00"))
    assert app.details.total_budget == sum(x.amount for x in app.budget_lines.all())  # the total alone would pass
    _only_missing(
        app, owner,
        "The budget lines paid by the grant add up to ¥300,000.00, but the requested grant under Project details "
        "is ¥500,000.00; the two must be equal.",
        "The self-funded budget lines add up to ¥300,000.00, but the self-funded amount under Project details is "
        "¥100,000.00; the two must be equal.")


def test_a_milestone_beyond_the_duration():
    app, owner = draft(CallFactory(kind="pilot_project"))  # 18 months
    PlannedMilestone.objects.create(application=app, month=20, title="Pilot run", deliverables="1,000 units")
    _only_missing(app, owner, "Milestone “Pilot run” is in month 20, beyond the 18-month duration.")


def test_a_milestone_in_the_last_month_is_within_the_duration():
    app, owner = draft(CallFactory(kind="pilot_project"))
    PlannedMilestone.objects.create(application=app, month=18, title="Acceptance", deliverables="Report")
    assert missing_items(app) == []


@pytest.mark.parametrize(("trl_now", "trl_target"), [(5, 5), (6, 4)])
def test_a_target_trl_not_above_the_current_one(trl_now, trl_target):
    app, owner = draft(CallFactory(kind="poc_project"))
    ProjectDetails.objects.filter(application=app).update(trl_now=trl_now, trl_target=trl_target)
    app = Application.objects.get(pk=app.pk)
    _only_missing(app, owner, "Target TRL must be above the current TRL.")


def test_no_project_lead():
    app, owner = draft(CallFactory(kind="poc_project"))
    TeamMember.objects.filter(application=app).update(is_lead=False)
    _only_missing(app, owner, "Mark the project lead in the team.")


def test_no_team_at_all():
    app, owner = draft(CallFactory(kind="poc_project"))
    TeamMember.objects.filter(application=app).delete()
    _only_missing(app, owner, "List the team.")


def test_an_empty_center_application_lists_everything_it_lacks():
    app, owner = draft(CallFactory(kind="poc_center", required_attachment_types=["application_form",
                                                                                "audited_spend"]),
                       complete=False)
    _only_missing(
        app, owner,
        "Choose at least one discipline (used to find the right experts).",
        "Site area is missing.",
        "Equipment value is missing.",
        "Service team size is missing.",
        "Choose at least one service offered.",
        "Audited PoC/pilot service spend of both of the last two years is required.",
        "Advisory panel (academia, industry, investment) is missing.",
        "Project pipeline size is missing.",
        "Attachment missing: Signed application form.",
        "Attachment missing: Audit report of PoC/pilot service spend.",
        "The research-integrity pledge has not been confirmed.",
        "The IP-compliance statement has not been confirmed.",
    )


def test_a_returned_application_cannot_be_resubmitted_incomplete():
    app, owner = draft(CallFactory(kind="poc_project"), state="returned")
    TeamMember.objects.filter(application=app).update(is_lead=False)
    assert refusal(app, "resubmit", owner) == ["Mark the project lead in the team."]


# --------------------------------------------------------------- eligibility


def test_a_second_submission_by_the_same_institution_in_a_call_names_the_first():
    call = CallFactory()
    institution = InstitutionFactory(name="温州大学")
    first, owner = draft(call, institution)
    second = make_application(call, institution, created_by=owner)
    goes_through(first, "submit", owner)
    assert refusal(second, "submit", owner) == [
        f"“温州大学” already has an application in this call (No. {first.number}); one application per "
        "institution per call."
    ]


def test_a_withdrawn_or_rejected_application_does_not_block_a_new_one():
    call = CallFactory()
    institution = InstitutionFactory()
    withdrawn, owner = draft(call, institution, state="withdrawn")
    make_application(call, institution, created_by=owner, state="rejected")
    fresh = make_application(call, institution, created_by=owner)
    assert goes_through(fresh, "submit", owner).state == "submitted"


def test_the_same_institution_may_apply_to_another_call():
    institution = InstitutionFactory()
    first, owner = draft(CallFactory(), institution, state="submitted")
    other = make_application(CallFactory(), institution, created_by=owner)
    assert goes_through(other, "submit", owner).state == "submitted"


def test_an_institution_type_the_call_does_not_admit():
    call = CallFactory(eligible_institution_types=["university"])
    institution = InstitutionFactory(name="瓯江实验室", type="research_institute")
    app, owner = draft(call, institution)
    assert refusal(app, "submit", owner) == ["This call admits University; “瓯江实验室” is a Research institute."]


def test_an_unverified_institution():
    institution = InstitutionFactory(name="温州某科技有限公司", verified=False)
    app, owner = draft(CallFactory(), institution)
    assert refusal(app, "submit", owner) == [
        "The institution “温州某科技有限公司” has not been verified by the bureau yet."
    ]
    institution_services.verify_institution(officer(), institution)
    assert goes_through(app, "submit", owner).state == "submitted"


def test_unverified_and_ineligible_gives_both_reasons():
    call = CallFactory(eligible_institution_types=["university", "research_institute"])
    institution = InstitutionFactory(name="某企业", type="enterprise", verified=False)
    app, owner = draft(call, institution)
    assert refusal(app, "submit", owner) == [
        "The institution “某企业” has not been verified by the bureau yet.",
        "This call admits University、Research institute; “某企业” is a Enterprise.",
    ]


def _center_calls(round_a="2026", round_b="2026"):
    return (CallFactory(kind="pilot_base", round=round_a, title="Pilot bases"),
            CallFactory(kind="poc_center", round=round_b, title="PoC centers"))


def test_both_center_types_in_one_round_are_refused():
    pilot_call, poc_call = _center_calls()
    institution = InstitutionFactory(name="温州医科大学")
    pilot, owner = draft(pilot_call, institution, state="submitted")
    poc = make_application(poc_call, institution, created_by=owner)
    assert refusal(poc, "submit", owner) == [
        f"“温州医科大学” already applied for Pilot base status in round 2026 (No. {pilot.number}); an "
        "institution may not apply for both center types in one round."
    ]


def test_both_center_types_in_different_rounds_are_fine():
    pilot_call, poc_call = _center_calls("2025", "2026")
    institution = InstitutionFactory()
    _pilot, owner = draft(pilot_call, institution, state="approved")
    poc = make_application(poc_call, institution, created_by=owner)
    assert goes_through(poc, "submit", owner).state == "submitted"


@pytest.mark.parametrize("earlier_state", ["draft", "withdrawn", "rejected"])
def test_an_earlier_center_application_that_is_not_live_does_not_block_the_other_type(earlier_state):
    pilot_call, poc_call = _center_calls()
    institution = InstitutionFactory()
    _pilot, owner = draft(pilot_call, institution, state=earlier_state)
    poc = make_application(poc_call, institution, created_by=owner)
    assert goes_through(poc, "submit", owner).state == "submitted"


def test_project_calls_in_the_same_round_are_not_center_types():
    institution = InstitutionFactory()
    _first, owner = draft(CallFactory(kind="poc_project", round="2026"), institution, state="submitted")
    other = make_application(CallFactory(kind="pilot_project", round="2026"), institution, created_by=owner)
    assert goes_through(other, "submit", owner).state == "submitted"


# ------------------------------------------------------------------ revision


def test_return_for_revision_sets_the_deadline_from_the_call():
    app, _owner = draft(CallFactory(revision_days=10), state="submitted")
    returned = goes_through(app, "return_for_revision", officer(), comment="Audit report unsigned.")
    assert returned.state == "returned"
    assert returned.revision_due == TODAY + timedelta(days=10)


def test_the_revision_deadline_is_inclusive_then_resubmission_is_refused():
    app, owner = draft(CallFactory(revision_days=10), state="submitted")
    goes_through(app, "return_for_revision", officer(), comment="Audit report unsigned.")
    app.refresh_from_db()
    assert app.revision_due == date(2026, 5, 22)
    with time_machine.travel(local_moment(2026, 5, 23, 0, 0, 1), tick=False):
        assert refusal(app, "resubmit", owner) == ["The deadline for revising this application was 2026-05-22."]
    with time_machine.travel(local_moment(2026, 5, 22, 23, 59, 59), tick=False):
        resubmitted = goes_through(app, "resubmit", owner)
        assert resubmitted.state == "submitted"
        assert resubmitted.revision_due is None


# ------------------------------------------------------------- closing review


def test_the_review_cannot_be_closed_until_the_review_app_says_so():
    app, _owner = draft(CallFactory(kind="poc_center"), state="under_review")
    assert refusal(app, "close_review", officer()) == [
        "No expert review has been recorded for this application, so the review cannot be closed."
    ]
    with gate_answers(gates.reviews_complete, lambda a: ["2 of 3 reviews are submitted."]):
        assert refusal(app, "close_review", officer()) == ["2 of 3 reviews are submitted."]
    with gate_answers(gates.reviews_complete, always_passes):
        assert goes_through(app, "close_review", officer()).state == "reviewed"


# ------------------------------------------------------------------ site visit


def test_a_call_requiring_a_site_visit_refuses_to_propose_a_center_without_one():
    call = CallFactory(kind="poc_center", site_visit_required=True)
    app, _owner = draft(call, state="reviewed")
    staff = officer()
    assert refusal(app, "propose", staff) == [
        "This call requires a site visit before the proposal; none has been recorded."
    ]
    services.record_site_visit(staff, app, visited_on=date(2026, 5, 8), experts="专家甲、专家乙",
                               findings="Site and equipment as declared.", score=Decimal("86.5"))
    proposed = goes_through(app, "propose", staff)
    assert proposed.state == "public_notice"


def test_a_call_without_site_visits_proposes_a_center_directly():
    app, _owner = draft(CallFactory(kind="pilot_base", site_visit_required=False), state="reviewed")
    assert goes_through(app, "propose", officer()).state == "public_notice"


# ----------------------------------------------------------------- public notice


def test_propose_starts_a_notice_of_the_calls_days_counting_today():
    app, _owner = draft(CallFactory(kind="poc_center", notice_days=7), state="reviewed")
    proposed = goes_through(app, "propose", officer())
    assert (proposed.notice_starts_on, proposed.notice_ends_on) == (date(2026, 5, 12), date(2026, 5, 18))


def test_the_notice_last_day_refuses_approval_and_the_next_day_allows_it():
    app, _owner = draft(CallFactory(kind="poc_center", notice_days=7), state="reviewed")
    staff = officer()
    goes_through(app, "propose", staff)
    app.refresh_from_db()
    last_day = local_moment(2026, 5, 18, 23, 59, 59)
    with time_machine.travel(last_day, tick=False):
        assert refusal(app, "approve", staff) == [
            "The public notice runs until 2026-05-18 (inclusive); approval is possible from 2026-05-19."
        ]
    with time_machine.travel(local_moment(2026, 5, 19, 0, 0, 1), tick=False):
        assert goes_through(app, "approve", staff).state == "approved"


def test_the_first_day_of_the_notice_refuses_approval():
    app, _owner = draft(CallFactory(kind="poc_center"), state="public_notice")
    assert refusal(app, "approve", officer()) == [
        "The public notice runs until 2026-05-18 (inclusive); approval is possible from 2026-05-19."
    ]


def test_an_objection_is_recorded_and_dismissed_back_to_the_notice():
    app, _owner = draft(CallFactory(kind="poc_center"), state="public_notice")
    staff = officer()
    goes_through(app, "record_objection", staff, comment="The site lease ends this year.", objector="李某",
                 contact="13800000000", received_on=date(2026, 5, 12))
    objection = Objection.objects.get(application=app)
    assert (objection.objector, objection.content, objection.received_on, objection.recorded_by) == (
        "李某", "The site lease ends this year.", date(2026, 5, 12), staff)
    assert objection.resolution == ""
    app.refresh_from_db()
    assert app.open_objection() == objection

    back = goes_through(app, "dismiss_objection", staff, comment="The lease was renewed for five years.")
    assert back.state == "public_notice"
    objection.refresh_from_db()
    assert (objection.resolution, objection.resolution_comment, objection.resolved_by, objection.resolved_at) == (
        "dismissed", "The lease was renewed for five years.", staff, NOW)
    assert back.open_objection() is None


def test_an_upheld_objection_rejects_the_application():
    app, _owner = draft(CallFactory(kind="poc_center"), state="objection")
    objection = open_objection(app)
    staff = officer()
    rejected = goes_through(app, "uphold_objection", staff, comment="The declared equipment is leased.")
    assert rejected.state == "rejected"
    assert rejected.decided_at == NOW
    objection.refresh_from_db()
    assert objection.resolution == "upheld"


# ----------------------------------------------------------------- projects


def test_a_project_cannot_be_proposed_without_a_funding_proposal():
    app, _owner = draft(CallFactory(kind="poc_project"), state="reviewed")
    assert refusal(app, "propose", officer()) == [NO_FUNDING_PROPOSAL]


def test_a_project_cannot_be_approved_without_an_approved_funding_decision():
    app, _owner = draft(CallFactory(kind="pilot_project"), state="public_notice")
    set_notice_over(app)
    assert refusal(app, "approve", officer()) == [NO_FUNDING_APPROVAL]


def test_the_funding_gates_pass_on_what_the_funding_app_says():
    app, _owner = draft(CallFactory(kind="poc_project"), state="reviewed")
    staff = officer()
    with gate_answers(gates.funding_proposed, lambda a: "The funding proposal lacks the equity part."):
        assert refusal(app, "propose", staff) == ["The funding proposal lacks the equity part."]
    with gate_answers(gates.funding_proposed, always_passes):
        assert goes_through(app, "propose", staff).state == "public_notice"


def test_a_project_is_never_placed_in_the_cultivation_pool():
    app, _owner = draft(CallFactory(kind="poc_project"), state="reviewed")
    assert refusal(app, "to_cultivation_pool", officer()) == [
        "Only PoC-center and pilot-base applications can be placed in the cultivation pool."
    ]


@pytest.mark.parametrize("kind", ["poc_center", "pilot_base"])
def test_a_center_can_be_placed_in_the_cultivation_pool(kind):
    app, _owner = draft(CallFactory(kind=kind), state="reviewed")
    placed = goes_through(app, "to_cultivation_pool", officer(), comment="Promising; team still small.")
    assert placed.state == "cultivation"
    assert placed.decided_at == NOW


# ------------------------------------------------------------------ approval


@pytest.mark.parametrize(("kind", "prefix"), [("poc_center", "WZ-POC"), ("pilot_base", "WZ-PILOT")])
def test_approving_a_center_designates_it_for_three_years(kind, prefix):
    app, _owner = draft(CallFactory(kind=kind), state="public_notice", title="瓯江概念验证中心")
    set_notice_over(app)
    approved = goes_through(app, "approve", officer(), comment="")
    assert approved.state == "approved"
    assert approved.decided_at == NOW
    center = Center.objects.get(application=app)
    assert center.designation_number == f"{prefix}-2026-001"
    assert center.center_type == kind
    assert center.institution == app.institution
    assert center.name == "瓯江概念验证中心"
    assert center.state == "active"
    assert center.designated_on == date(2026, 5, 12)
    assert center.valid_until == date(2029, 5, 11)  # three years, the designation day included
    assert center.services == ["secondary_development", "process_validation"]
    assert not Project.objects.filter(application=app).exists()


def test_designation_numbers_count_up_within_the_year():
    staff = officer()
    numbers = []
    for _ in range(2):
        app, _owner = draft(CallFactory(kind="poc_center"), state="public_notice")
        set_notice_over(app)
        goes_through(app, "approve", staff)
        numbers.append(Center.objects.get(application=app).designation_number)
    assert numbers == ["WZ-POC-2026-001", "WZ-POC-2026-002"]


@pytest.mark.parametrize(("kind", "prefix"), [("poc_project", "WZ-PP"), ("pilot_project", "WZ-PM")])
def test_approving_a_project_creates_it_for_contracting(kind, prefix):
    app, _owner = draft(CallFactory(kind=kind), state="public_notice", title="固态电池中试")
    set_notice_over(app)
    with gate_answers(gates.funding_approved, always_passes):
        approved = goes_through(app, "approve", officer())
    assert approved.state == "approved"
    project = Project.objects.get(application=app)
    assert project.project_number == f"{prefix}-2026-001"
    assert project.state == "contracting"
    assert project.kind == kind
    assert project.title == "固态电池中试"
    assert project.institution == app.institution
    assert project.approved_on == date(2026, 5, 12)
    assert not Center.objects.filter(application=app).exists()


def test_an_approval_refused_creates_no_center():
    app, _owner = draft(CallFactory(kind="poc_center"), state="public_notice")
    refusal(app, "approve", officer())
    assert not Center.objects.exists()
    assert audit_rows(app) == []
