"""The conversion obligation is checked at acceptance (issue §5), derived, never ticked by hand.

Met by a transfer record (a registered technology contract, a converted licence, other landing evidence) dated on
or before the deadline, inclusive. The deadline is the one fixed at approval unless a "conversion deadline" change
was approved. Unmet and past the deadline on the review day: the acceptance fails automatically, the reason on the
opinion. poc keeps no transfer record: the apps that do answer through ``poc.gates.transfer_records``.
"""
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from poc import gates
from poc.documents.poc_documents.acceptances import acceptance_fail_reasons
from poc.errors import BadInput
from poc.models import Acceptance, ChangeRequest, Project
from poc.projects import services as project_services
from poc.projects.obligation import obligation_status
from poc.workflow import run_transition
from tests.factories import applicant_of, officer
from tests.poc.after_approval_factories import make_change, make_project, scores_totalling
from tests.poc.workflow_support import local_moment, rules_environment

pytestmark = pytest.mark.django_db

NOW = local_moment(2026, 5, 12, 10, 0)
TODAY = date(2026, 5, 12)
YESTERDAY = TODAY - timedelta(days=1)
FAILURE = ("The conversion obligation fell due on 2026-05-11 and no registered technology contract, licence or "
           "other transfer record is dated by then, without an approved extension.")


@pytest.fixture(autouse=True)
def _environment():
    with rules_environment(NOW):
        yield


@contextmanager
def records(*dated):
    """A transfer-record source answering for every project, as funding or transfer would."""
    gates.transfer_records.register("test", lambda project: [
        gates.TransferRecord(kind="Registered technology contract", reference=f"T-{i}", dated_on=d)
        for i, d in enumerate(dated)])
    try:
        yield
    finally:
        gates.transfer_records.unregister("test")


def in_acceptance(obligation_due_on) -> Project:
    project = make_project(state="in_progress", reported=True)
    Project.objects.filter(pk=project.pk).update(due_on=TODAY, obligation_due_on=obligation_due_on)
    with time_machine.travel(NOW, tick=False):
        run_transition(Project.objects.get(pk=project.pk), "request_acceptance", applicant_of(project.institution))
    return Project.objects.get(pk=project.pk)


def review(project, total=95) -> Acceptance:
    return project_services.record_acceptance(officer(), project, scores=scores_totalling(total),
                                              tasks_done_percent="100", opinion="All targets met.")


def test_an_unmet_obligation_past_its_deadline_fails_acceptance_whatever_the_score():
    project = in_acceptance(YESTERDAY)
    acceptance = review(project, total=100)
    assert (acceptance.outcome, acceptance.auto_fail_reasons) == (Acceptance.Outcome.FAILED, [FAILURE])
    assert (acceptance.obligation_met, acceptance.obligation_overdue) == (False, True)
    assert Project.objects.get(pk=project.pk).state == "failed"
    assert acceptance_fail_reasons(acceptance) == [
        "成果转化义务逾期未履行（无已登记的技术合同、许可或其他转化记录），且延期未获批准。"]


def test_the_deadlines_own_day_is_still_in_time():
    acceptance = review(in_acceptance(TODAY))
    assert (acceptance.outcome, acceptance.obligation_met, acceptance.obligation_overdue) == ("passed", False, False)


def test_an_approved_extension_lets_the_acceptance_pass():
    project = in_acceptance(YESTERDAY)
    make_change(project, ChangeRequest.Kind.OBLIGATION, state="approved", new_due_on=TODAY + timedelta(days=90))
    status = obligation_status(project)
    assert (status.due_on, status.fixed_due_on, status.extended, status.overdue) == (
        TODAY + timedelta(days=90), YESTERDAY, True, False)
    assert review(project).outcome == Acceptance.Outcome.PASSED


@pytest.mark.parametrize("state", ["pending", "rejected"])
def test_an_extension_not_approved_does_not_count(state):
    project = in_acceptance(YESTERDAY)
    make_change(project, ChangeRequest.Kind.OBLIGATION, state=state, new_due_on=TODAY + timedelta(days=90))
    assert review(project).auto_fail_reasons == [FAILURE]


def test_an_approved_change_of_the_project_deadline_does_not_extend_the_obligation():
    project = in_acceptance(YESTERDAY)
    make_change(project, ChangeRequest.Kind.DEADLINE, state="approved", new_due_on=TODAY + timedelta(days=90))
    assert review(project).auto_fail_reasons == [FAILURE]


def test_a_transfer_record_dated_by_the_deadline_meets_the_obligation():
    project = in_acceptance(YESTERDAY)
    with records(YESTERDAY):
        acceptance = review(project)
    assert (acceptance.outcome, acceptance.obligation_met) == (Acceptance.Outcome.PASSED, True)


def test_a_transfer_record_dated_after_the_deadline_does_not_meet_it():
    project = in_acceptance(YESTERDAY)
    with records(TODAY):
        status = obligation_status(project)
        acceptance = review(project)
    assert [r.dated_on for r in status.records] == [TODAY] and status.in_time == []
    assert (acceptance.outcome, acceptance.auto_fail_reasons) == (Acceptance.Outcome.FAILED, [FAILURE])


def test_an_extension_must_go_beyond_the_current_conversion_deadline_and_a_refusal_changes_nothing():
    project = make_project(state="in_progress")
    Project.objects.filter(pk=project.pk).update(obligation_due_on=TODAY)
    project = Project.objects.get(pk=project.pk)
    with pytest.raises(BadInput) as refused:
        project_services.request_change(applicant_of(project.institution), project, ChangeRequest.Kind.OBLIGATION,
                                        "Licensee delayed.", new_due_on=TODAY)
    assert refused.value.messages == ["The new due date must be after the current one (2026-05-12)."]
    assert not ChangeRequest.objects.exists()
    change = project_services.request_change(applicant_of(project.institution), project,
                                             ChangeRequest.Kind.OBLIGATION, "Licensee delayed.",
                                             new_due_on=TODAY + timedelta(days=30))
    assert change.new_due_on == TODAY + timedelta(days=30)


def test_the_acceptance_page_shows_the_obligation_before_the_scores(client):
    project = in_acceptance(YESTERDAY)
    client.force_login(officer())
    page = client.get(reverse("acceptance-review", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index('id="obligation"') < html.index('id="acceptance-form"')
    assert "Overdue: automatic fail" in html or "逾期" in html
    assert 'name="obligation_met"' not in html  # derived, not a checkbox any more


def test_the_api_shows_the_obligation_before_the_review_and_the_failure_after():
    from tests.poc.api_support import api_client

    project = in_acceptance(YESTERDAY)
    client = api_client(officer())
    body = client.get(f"/api/v1/projects/{project.pk}/").json()["conversion_obligation"]
    assert (body["due_on"], body["met"], body["overdue"], body["records"]) == ("2026-05-11", False, True, [])
    assert body["summary"] == FAILURE
    review = client.post("/api/v1/acceptances/", {"project": project.pk, "tasks_done_percent": "100",
                                                  "opinion": "All targets met.",
                                                  **{k: str(v) for k, v in scores_totalling(100).items()}},
                         format="json")
    assert review.status_code == 201, review.json()
    assert (review.json()["outcome"], review.json()["obligation_overdue"], review.json()["auto_fail_reasons"]) == (
        "failed", True, [FAILURE])
    assert api_client(applicant_of(make_project().institution)).get(
        f"/api/v1/projects/{project.pk}/").status_code == 404
