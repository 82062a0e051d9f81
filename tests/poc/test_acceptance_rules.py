"""The rules of a funded project's life (DESIGN §2 Project, DOMAIN §2 and §5).

Approval (立项) fixes the conversion obligation and its deadline and copies the planned milestones;
signing the task agreement (任务书) sets the due dates. At acceptance (验收) the review is scored on the
100-point form; it fails automatically below 80% of tasks done, on false data, on a change of targets
that was not approved, or when the project came more than six calendar months after its (approved)
deadline. Otherwise: passed, rectify once (3 months) or failed. Every test reads the exact words a user gets.
"""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from poc import gates
from poc.centers.models import add_months
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Acceptance, ChangeRequest, PlannedMilestone, Project, ProjectMilestone, TransitionLog
from poc.projects import services as project_services
from poc.rules import check_transition, describe, transition_methods
from poc.workflow import run_transition
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    expert,
    make_application,
    officer,
    pdf_bytes,
    png_bytes,
)
from tests.poc.after_approval_factories import (
    OFFICER,
    OWNER,
    ROLES,
    SYSTEM,
    make_change,
    make_project,
    scores_totalling,
    user_for,
)
from tests.poc.workflow_support import (
    always_passes,
    audit_rows,
    gate_answers,
    local_moment,
    rules_environment,
    set_notice_over,
)

pytestmark = pytest.mark.django_db

NOW = local_moment(2026, 5, 12, 10, 0)  # Tuesday 12 May 2026, 10:00 in Wenzhou
TODAY = date(2026, 5, 12)

TASKS_REASON = "Less than 80% of the tasks are done (79.99%)."
FALSE_DATA = "Data were found to be false."
UNAPPROVED = "Targets were changed without approval."


@pytest.fixture(autouse=True)
def _environment():
    with rules_environment(NOW):
        yield


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def in_acceptance(*, due_on=TODAY, requested_on=None, call=None, **kw) -> Project:
    """A project whose institution requested acceptance on ``requested_on`` (default today)."""
    project = make_project(call, state="in_progress", reported=True, **kw)
    Project.objects.filter(pk=project.pk).update(due_on=due_on)
    moment = local_moment(requested_on.year, requested_on.month, requested_on.day) if requested_on else NOW
    with time_machine.travel(moment, tick=False):
        run_transition(fresh(project), "request_acceptance", applicant_of(project.institution))
    return fresh(project)


def review(project, total="85", tasks="100", by=None, **kw) -> Acceptance:
    return project_services.record_acceptance(by or officer(), fresh(project), scores=scores_totalling(total),
                                              tasks_done_percent=tasks, opinion=kw.pop("opinion", "验收意见。"), **kw)


# ------------------------------------------------------------ the tables

ACTIVE = ["contracting", "in_progress", "acceptance", "rectifying"]
# transition: (sources, target, who may run it, everybody else's refusal, needs a reason, taken by the system)
PROJECT_TABLE = {
    "sign": (["contracting"], "in_progress", {OFFICER, SYSTEM},
             "Only bureau officers can confirm the signed task agreement.", False, False),
    "request_acceptance": (["in_progress"], "acceptance", {OWNER},
                           "Only the project's institution can request acceptance.", False, False),
    "pass_acceptance": (["acceptance"], "completed", {OFFICER, SYSTEM},
                        "Only bureau officers can pass an acceptance.", False, True),
    "order_rectification": (["acceptance"], "rectifying", {OFFICER, SYSTEM},
                            "Only bureau officers can order a rectification.", False, True),
    "pass_after_rectification": (["rectifying"], "completed", {OFFICER, SYSTEM},
                                 "Only bureau officers can pass an acceptance.", False, True),
    "fail_acceptance": (["acceptance", "rectifying"], "failed", {OFFICER, SYSTEM},
                        "Only bureau officers can fail an acceptance.", False, True),
    "terminate": (ACTIVE, "terminated", {OFFICER, SYSTEM}, "Only bureau officers can terminate a project.",
                  True, False),
}
CHANGE_TABLE = {
    "approve": (["pending"], "approved", {OFFICER, SYSTEM}, "Only bureau officers can approve a change.", False,
                False),
    "reject": (["pending"], "rejected", {OFFICER, SYSTEM}, "Only bureau officers can reject a change.", True, False),
}


@pytest.mark.parametrize(("model", "table"), [(Project, PROJECT_TABLE), (ChangeRequest, CHANGE_TABLE)])
def test_every_transition_has_a_row(model, table):
    assert list(table) == list(transition_methods(model))  # a new transition without a row fails here
    for name, (sources, target, _who, _refusal, needs_reason, system) in table.items():
        declared = describe(model, name)
        assert sorted(declared["sources"]) == sorted(sources), name
        assert declared["target"] == target, name
        assert bool(declared["custom"].get("comment_required")) is needs_reason, name
        assert bool(declared["custom"].get("system")) is system, name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "name"), [(Project, n) for n in PROJECT_TABLE]
                         + [(ChangeRequest, n) for n in CHANGE_TABLE])
def test_who_may_run_each_transition(model, name, role):
    table = PROJECT_TABLE if model is Project else CHANGE_TABLE
    sources, _target, who, refusal, _reason, _system = table[name]
    project = make_project(state=sources[0] if model is Project else "in_progress")
    obj = project if model is Project else make_change(project, "team")
    check = check_transition(obj, name, user_for(role, project.institution))
    if role in who:
        assert check.status != 403, check.reasons  # allowed, or refused for when (409), never for who
    else:
        assert (check.allowed, check.status, check.reasons) == (False, 403, [refusal])


# ------------------------------------------------------------- automatic fails

def test_less_than_80_percent_of_tasks_done_fails_whatever_the_score():
    project = in_acceptance()
    acceptance = review(project, total="100", tasks="79.99")
    assert acceptance.outcome == "failed"
    assert acceptance.auto_fail_reasons == [TASKS_REASON]
    assert acceptance.total == Decimal("100")
    assert fresh(project).state == "failed"
    log = audit_rows(project)[-1]
    assert (log.transition, log.source, log.target) == ("fail_acceptance", "acceptance", "failed")
    assert log.comment == f"Acceptance 1: 100 points, Failed. {TASKS_REASON}"


def test_80_percent_of_tasks_done_is_enough():
    project = in_acceptance()
    acceptance = review(project, total="80", tasks="80")
    assert (acceptance.outcome, acceptance.auto_fail_reasons) == ("passed", [])
    assert fresh(project).state == "completed" and fresh(project).closed_on == TODAY


def test_false_data_fails():
    acceptance = review(in_acceptance(), total="95", false_data=True)
    assert (acceptance.outcome, acceptance.auto_fail_reasons) == ("failed", [FALSE_DATA])


@pytest.mark.parametrize("state", ["pending", "rejected"])
def test_a_target_change_without_approval_fails(state):
    project = in_acceptance()
    make_change(project, "target", state=state, description="Lower the yield target to 85%.")
    acceptance = review(project, total="95")
    assert (acceptance.outcome, acceptance.auto_fail_reasons) == ("failed", [UNAPPROVED])
    assert acceptance.unapproved_change is True  # recorded as found, not only as declared


def test_the_reviewer_can_also_find_an_unapproved_change():
    acceptance = review(in_acceptance(), total="95", unapproved_change=True)
    assert acceptance.auto_fail_reasons == [UNAPPROVED]


def test_approved_target_changes_and_other_unapproved_changes_do_not_fail():
    project = in_acceptance()
    make_change(project, "target", state="approved")
    make_change(project, "budget", state="pending")
    make_change(project, "team", state="rejected")
    acceptance = review(project, total="85")
    assert (acceptance.outcome, acceptance.auto_fail_reasons) == ("passed", [])


def test_every_reason_is_listed():
    project = in_acceptance()
    make_change(project, "target")
    acceptance = review(project, tasks="79.99", false_data=True)
    assert acceptance.auto_fail_reasons == [TASKS_REASON, FALSE_DATA, UNAPPROVED]


# -------------------------------------------------------------- lateness

@pytest.mark.parametrize(("deadline", "requested", "fails"), [
    # Six calendar months after the deadline is still in time; the day after is not.
    (date(2026, 1, 31), date(2026, 7, 31), False),  # 181 days
    (date(2026, 1, 31), date(2026, 8, 1), True),  # 6 months + 1 day is only 182 days
    (date(2025, 7, 31), date(2026, 1, 31), False),  # 6 months is 184 days here
    (date(2025, 7, 31), date(2026, 2, 1), True),
    (date(2025, 8, 31), date(2026, 2, 28), False),  # no 31 February: the month's last day
    (date(2025, 8, 31), date(2026, 3, 1), True),
])
def test_more_than_six_calendar_months_late_fails(deadline, requested, fails):
    project = in_acceptance(due_on=deadline, requested_on=requested)
    with time_machine.travel(local_moment(requested.year, requested.month, requested.day) + timedelta(days=20),
                             tick=False):
        acceptance = review(project, total="90")
    late = (requested - deadline).days
    assert acceptance.days_late == late
    if fails:
        assert acceptance.outcome == "failed"
        assert acceptance.auto_fail_reasons == [
            f"The project is {late} days past its deadline (more than 6 months) without an approved extension."]
    else:
        assert (acceptance.outcome, acceptance.auto_fail_reasons) == ("passed", [])


def test_an_approved_deadline_change_moves_the_deadline():
    project = in_acceptance(due_on=date(2026, 1, 31), requested_on=date(2026, 8, 1))
    make_change(project, "deadline", state="approved", new_due_on=date(2026, 3, 31))
    assert project.approved_deadline == date(2026, 3, 31)
    acceptance = review(project, total="90")
    assert (acceptance.outcome, acceptance.auto_fail_reasons) == ("passed", [])
    assert acceptance.days_late == (date(2026, 8, 1) - date(2026, 3, 31)).days == 123


@pytest.mark.parametrize("state", ["pending", "rejected"])
def test_an_extension_not_approved_does_not_count(state):
    project = in_acceptance(due_on=date(2026, 1, 31), requested_on=date(2026, 8, 1))
    make_change(project, "deadline", state=state, new_due_on=date(2026, 3, 31))
    acceptance = review(project, total="90")
    assert acceptance.outcome == "failed" and acceptance.days_late == 182


def test_lateness_is_measured_when_acceptance_was_requested_not_when_it_was_reviewed():
    project = in_acceptance(due_on=date(2026, 1, 31), requested_on=date(2026, 3, 1))
    with time_machine.travel(local_moment(2026, 12, 1), tick=False):  # the bureau took nine months
        acceptance = review(project, total="90")
    assert (acceptance.outcome, acceptance.days_late) == ("passed", 29)


def test_a_later_extension_must_go_beyond_the_approved_deadline():
    project = make_project(state="in_progress")
    make_change(project, "deadline", state="approved", new_due_on=project.due_on + timedelta(days=90))
    with pytest.raises(BadInput) as refused:
        project_services.request_change(applicant_of(project.institution), project, "deadline", "More time.",
                                        project.due_on + timedelta(days=30))
    assert refused.value.detail == (f"The new due date must be after the current one "
                                    f"({project.due_on + timedelta(days=90)}).")


# ------------------------------------------------------------- outcomes and thresholds

@pytest.mark.parametrize(("total", "outcome", "state"), [
    ("100", "passed", "completed"), ("80", "passed", "completed"), ("79.99", "rectify", "rectifying"),
    ("60", "rectify", "rectifying"), ("59.99", "failed", "failed"), ("0", "failed", "failed"),
])
def test_first_review_thresholds(total, outcome, state):
    project = in_acceptance()
    acceptance = review(project, total=total)
    assert (acceptance.attempt, acceptance.total, acceptance.outcome) == (1, Decimal(total), outcome)
    assert acceptance.auto_fail_reasons == []
    assert fresh(project).state == state


@pytest.mark.parametrize(("total", "outcome"), [
    ("85", "passed"), ("84.99", "rectify"), ("70", "rectify"), ("69.99", "failed"),
])
def test_a_call_sets_its_own_acceptance_thresholds(total, outcome):
    call = CallFactory(kind="pilot_project", acceptance_pass_from=85, acceptance_rectify_from=70)
    assert review(in_acceptance(call=call), total=total).outcome == outcome


def test_acceptance_thresholds_must_rise():
    call = CallFactory.build(acceptance_pass_from=60, acceptance_rectify_from=70)
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert refused.value.message_dict["acceptance_pass_from"] == [
        "Acceptance thresholds must rise: rectification ≤ passed ≤ 100."]


def test_rectification_gives_three_months_once():
    project = in_acceptance()
    first = review(project, total="70")
    rectifying = fresh(project)
    assert (first.outcome, rectifying.state) == ("rectify", "rectifying")
    assert rectifying.rectification_due == add_months(TODAY, 3) == date(2026, 8, 12)
    assert rectifying.closed_on is None


@pytest.mark.parametrize(("total", "outcome", "state", "transition"), [
    ("80", "passed", "completed", "pass_after_rectification"),
    ("79.99", "failed", "failed", "fail_acceptance"),  # below the pass threshold: no second rectification
    ("60", "failed", "failed", "fail_acceptance"),
])
def test_the_second_attempt_passes_or_fails(total, outcome, state, transition):
    project = in_acceptance()
    review(project, total="65")
    second = review(project, total=total)
    assert (second.attempt, second.outcome) == (2, outcome)
    after = fresh(project)
    assert after.state == state and after.closed_on == TODAY
    assert audit_rows(project)[-1].transition == transition
    assert [a.attempt for a in project.acceptances.all()] == [1, 2]


def test_no_review_after_the_project_is_closed_and_no_second_rectification():
    project = in_acceptance()
    review(project, total="65")
    review(project, total="79")
    closed = fresh(project)
    assert closed.state == "failed"
    with pytest.raises(NotNow) as refused:
        review(project, total="99")
    assert refused.value.detail == "Acceptance is reviewed once the institution has requested it."
    assert check_transition(closed, "order_rectification", officer()).status == 409
    assert Acceptance.objects.filter(project=project).count() == 2


def test_the_system_steps_follow_the_latest_review_only():
    project = in_acceptance()
    staff = officer()
    assert check_transition(project, "pass_acceptance", staff).reasons == ["The latest acceptance review has not passed."]
    assert check_transition(project, "fail_acceptance", staff).reasons == ["The latest acceptance review has not failed."]
    assert check_transition(project, "order_rectification", staff).reasons == [
        "The latest acceptance review does not call for rectification."]


@pytest.mark.parametrize(("change", "message", "field"), [
    ({"scores": {**scores_totalling("80"), "content_score": Decimal("20.01")}},
     "Score “task content (max 20)” must be between 0 and 20.", "content_score"),
    ({"scores": {**scores_totalling("80"), "other_score": "NaN"}},
     "Score “other (max 10)” is missing or not a number.", "other_score"),
    ({"tasks_done_percent": "100.01"}, "The share of tasks done must be between 0 and 100.", None),
    ({"tasks_done_percent": "NaN"}, "The share of tasks done is required.", "tasks_done_percent"),
    ({"opinion": "  "}, "Write the acceptance opinion.", "opinion"),
])
def test_bad_review_input_is_refused_and_changes_nothing(change, message, field):
    project = in_acceptance()
    args = {"scores": scores_totalling("85"), "tasks_done_percent": "90", "opinion": "意见。", **change}
    logs = TransitionLog.objects.count()
    with pytest.raises(BadInput) as refused:
        project_services.record_acceptance(officer(), project, **args)
    assert refused.value.detail == message
    if field:
        assert field in refused.value.field_errors
    assert not Acceptance.objects.exists()
    assert fresh(project).state == "acceptance" and TransitionLog.objects.count() == logs


# ----------------------------------------------------- approval: obligation and milestones

def approve(app):
    set_notice_over(app)
    with gate_answers(gates.funding_approved, always_passes):
        run_transition(app, "approve", officer())
    return Project.objects.get(application=app)


def test_the_conversion_obligation_is_fixed_at_approval():
    app = make_application(CallFactory(kind="poc_project"), state="public_notice")
    project = approve(app)
    assert project.approved_on == TODAY
    assert project.obligation_due_on == date(2027, 5, 12)  # 12 calendar months
    assert project.is_major is False
    assert project.obligation == ("Transfer or put into use the project's results (technology contract registered) "
                                  "within 12 months of approval.")


def test_major_calls_keep_the_obligation_within_a_year():
    call = CallFactory.build(kind="pilot_project", major_projects=True, conversion_deadline_months=13)
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert refused.value.message_dict["conversion_deadline_months"] == [
        "For major projects the conversion obligation is due within 12 months of approval."]
    call.conversion_deadline_months = 12
    call.full_clean()

    shorter = CallFactory(kind="pilot_project", major_projects=True, conversion_deadline_months=6)
    with time_machine.travel(local_moment(2026, 8, 31), tick=False):
        project = approve(make_application(shorter, state="public_notice"))
    assert project.is_major is True
    assert project.approved_on == date(2026, 8, 31)
    assert project.obligation_due_on == date(2027, 2, 28)  # six months on, the month's last day
    assert "within 6 months of approval" in project.obligation


def test_milestones_are_copied_at_approval_and_dated_at_signing():
    app = make_application(CallFactory(kind="poc_project"), state="public_notice")  # plans month 6 "Prototype"
    PlannedMilestone.objects.create(application=app, month=3, title="样机设计", deliverables="设计图纸")
    PlannedMilestone.objects.create(application=app, month=15, title="中试线", deliverables="一条中试线")
    project = approve(app)
    copied = list(project.milestones.values_list("month", "title", "deliverables", "due_on"))
    assert copied == [(3, "样机设计", "设计图纸", None), (6, "Prototype", "A prototype", None),
                      (15, "中试线", "一条中试线", None)]
    assert project.due_on is None and project.signed_on is None

    staff = officer()
    assert check_transition(project, "sign", staff).reasons == [
        "Upload the task agreement (任务书) signed by both sides first."]
    owner = applicant_of(project.institution)
    with pytest.raises(BadInput) as refused:
        project_services.upload_agreement(owner, project, SimpleUploadedFile("agreement.png", png_bytes()))
    assert refused.value.detail == "The signed task agreement must be a PDF."
    project_services.upload_agreement(owner, project, SimpleUploadedFile("agreement.pdf", pdf_bytes()))
    with time_machine.travel(local_moment(2026, 6, 15), tick=False):
        signed = run_transition(fresh(project), "sign", staff)
    assert signed.state == "in_progress"
    assert signed.signed_on == date(2026, 6, 15)
    assert signed.due_on == date(2027, 12, 15)  # 18 months, the application's duration
    assert list(signed.milestones.values_list("month", "due_on")) == [
        (3, date(2026, 9, 15)), (6, date(2026, 12, 15)), (15, date(2027, 9, 15))]
    with pytest.raises(NotNow) as refused:
        project_services.upload_agreement(owner, signed, SimpleUploadedFile("agreement.pdf", pdf_bytes()))
    assert refused.value.detail == "The agreement is uploaded while the project is being contracted."


def test_a_milestone_is_overdue_after_its_due_day_until_reported():
    project = make_project(state="in_progress", milestones=[(3, "A"), (6, "B"), (9, "C")])
    a, b, c = project.milestones.order_by("month")
    ProjectMilestone.objects.filter(pk=a.pk).update(due_on=TODAY - timedelta(days=1))
    ProjectMilestone.objects.filter(pk=b.pk).update(due_on=TODAY)
    ProjectMilestone.objects.filter(pk=c.pk).update(due_on=TODAY - timedelta(days=30))
    assert [m.is_overdue for m in project.milestones.order_by("month")] == [True, False, True]
    project_services.report_milestone(applicant_of(project.institution), fresh(c), "Pilot run done.")
    assert [m.is_overdue for m in project.milestones.order_by("month")] == [True, False, False]
    unsigned = make_project(state="contracting")
    assert [m.is_overdue for m in unsigned.milestones.all()] == [False]


def test_acceptance_is_requested_once_every_milestone_is_reported():
    project = make_project(state="in_progress", milestones=[(3, "样机"), (9, "中试")])
    owner = applicant_of(project.institution)
    check = check_transition(project, "request_acceptance", owner)
    assert (check.status, check.reasons) == (409, ["Report progress on every milestone first; missing: 样机、中试."])
    for milestone in project.milestones.all():
        project_services.report_milestone(owner, milestone, "Done.")
    assert run_transition(fresh(project), "request_acceptance", owner).state == "acceptance"


# ------------------------------------------------------------------ who may do what

def test_who_may_do_what_on_a_project():
    project = make_project(state="in_progress", reported=True)
    owner, stranger, staff = applicant_of(project.institution), applicant_of(InstitutionFactory()), officer()
    milestone = project.milestones.get()

    for user in (staff, stranger, expert()):
        check = check_transition(project, "request_acceptance", user)
        assert (check.status, check.reasons) == (403, ["Only the project's institution can request acceptance."])
    for user in (owner, stranger):
        assert check_transition(project, "terminate", user).reasons == ["Only bureau officers can terminate a project."]
        with pytest.raises(NotAllowed) as refused:
            review(in_acceptance(), by=user)
        assert refused.value.detail == "Only bureau officers can record an acceptance review."
    with pytest.raises(NotAllowed) as refused:
        project_services.report_milestone(stranger, milestone, "Not mine.")
    assert refused.value.detail == "Only the project's institution can report progress."
    with pytest.raises(NotAllowed) as refused:
        project_services.report_milestone(staff, milestone, "Officers do not report.")
    with pytest.raises(NotAllowed) as refused:
        project_services.request_change(staff, project, "team", "Swap the lead.")
    assert refused.value.detail == "Only the project's institution can request a change."
    change = project_services.request_change(owner, project, "team", "Swap the lead.")
    assert check_transition(change, "approve", owner).reasons == ["Only bureau officers can approve a change."]
    assert run_transition(change, "reject", staff, "Keep the lead.").state == "rejected"
    contracting = make_project(state="contracting", agreement=True)
    assert check_transition(contracting, "sign", owner).reasons == [
        "Only bureau officers can confirm the signed task agreement."]
    with pytest.raises(NotAllowed):
        project_services.upload_agreement(stranger, contracting, SimpleUploadedFile("a.pdf", pdf_bytes()))


def test_termination_needs_a_reason_and_closes_the_project():
    project = make_project(state="in_progress")
    with pytest.raises(BadInput):
        project_services.terminate(officer(), project, "")
    terminated = project_services.terminate(officer(), project, "The team left the institution.")
    assert (terminated.state, terminated.closed_on) == ("terminated", TODAY)
