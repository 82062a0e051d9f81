"""Deadline reminders fire at the right time, exactly once per (kind, subject, due date), on a frozen clock.

The periodic task is run twice in each case: the second run finds the reminder already there.
"""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from poc.models import Application, Center, Notification, Project, ProjectMilestone
from poc.tasks import send_reminders
from tests.factories import CallFactory, InstitutionFactory, applicant_of, make_application, officer
from tests.notifications.support import inbox, kinds
from tests.poc.after_approval_factories import make_center, make_evaluation, make_project
from tests.review.factories import (
    ExpertFactory,
    assign,
    local_moment,
    review_call,
    submit_directly,
    under_review,
)

pytestmark = pytest.mark.django_db


def remind(*checks):
    """The beat job, delivered twice (as a redelivery or the next day's run would)."""
    first = send_reminders.apply(args=checks, throw=True).get()
    send_reminders.apply(args=checks, throw=True)
    return first


def at(day: date, hour=8):
    return time_machine.travel(local_moment(day.year, day.month, day.day, hour), tick=False)


# ------------------------------------------------------------------ reviews

@pytest.fixture
def review_setting():
    with at(date(2026, 5, 12)):
        off = officer()
        call = review_call(min_reviews=1, deadline=local_moment(2026, 6, 30, 23, 59))
        app = under_review(call)
        expert = ExpertFactory()
        review = assign(app, expert, off).review
        return {"officer": off, "expert": expert.user, "review": review, "app": app}


def test_a_review_is_reminded_two_days_before_its_deadline_once(review_setting):
    expert = review_setting["expert"]
    with at(date(2026, 6, 28), hour=23):  # 48 h 59 min before: not yet
        remind("reviews")
    assert inbox(expert) == []
    with at(date(2026, 6, 29)):
        assert remind("reviews") == {"reviews": 1}
    with at(date(2026, 6, 30)):
        remind("reviews")
    [note] = inbox(expert)
    assert note.kind == "review_due" and "2026-06-30 23:59" in note.body
    assert note.link == f"/review/reviews/{review_setting['review'].pk}/"
    assert inbox(review_setting["officer"]) == []
    assert [m.to for m in mail.outbox] == [[expert.email]]


def test_an_overdue_review_is_reminded_once_to_the_expert_and_the_officers(review_setting):
    with at(date(2026, 7, 1)):
        remind("reviews")
    with at(date(2026, 7, 2)):
        remind("reviews")
    assert kinds(review_setting["expert"]) == ["review_overdue"]
    assert kinds(review_setting["officer"]) == ["review_overdue"]


def test_an_extension_is_a_new_deadline_with_its_own_reminder(review_setting):
    review = review_setting["review"]
    with at(date(2026, 6, 29)):
        remind("reviews")
    type(review).objects.filter(pk=review.pk).update(extended_until=local_moment(2026, 7, 10, 18, 0))
    with at(date(2026, 7, 9)):
        remind("reviews")
    assert kinds(review_setting["expert"]) == ["review_due", "review_due"]
    assert "2026-07-10 18:00" in inbox(review_setting["expert"])[1].body


def test_submitted_reviews_and_void_assignments_are_not_reminded(review_setting):
    submit_directly(review_setting["review"])
    with at(date(2026, 5, 12)):
        other = assign(review_setting["app"], ExpertFactory(), review_setting["officer"])
    type(other).objects.filter(pk=other.pk).update(state="voided")
    with at(date(2026, 7, 1)):
        assert remind("reviews") == {"reviews": 0}
    assert Notification.objects.count() == 0


# ------------------------------------------------------------------ public notice

def test_the_officers_are_told_once_when_a_public_notice_is_over():
    off = officer()
    with at(date(2026, 4, 1)):
        app = make_application(CallFactory(), state="public_notice")
    Application.objects.filter(pk=app.pk).update(notice_ends_on=date(2026, 4, 7))
    with at(date(2026, 4, 7)):  # the last day of the notice
        remind("public_notices")
    assert inbox(off) == []
    with at(date(2026, 4, 8)):
        remind("public_notices")
    with at(date(2026, 4, 9)):
        remind("public_notices")
    [note] = inbox(off)
    assert note.kind == "public_notice_ended" and "2026-04-07" in note.body
    assert inbox(app.created_by) == []


# ------------------------------------------------------------------ milestones

@pytest.fixture
def executing_project():
    institution = InstitutionFactory()
    project = make_project(institution=institution, state="in_progress")
    ProjectMilestone.objects.filter(project=project).update(due_on=date(2026, 9, 15), title="样机完成")
    return project, applicant_of(institution), officer()


def test_a_milestone_is_reminded_seven_days_before_and_once_when_overdue(executing_project):
    project, applicant, off = executing_project
    with at(date(2026, 9, 7)):
        remind("milestones")
    assert inbox(applicant) == []
    for day in (8, 10, 15):
        with at(date(2026, 9, day)):
            remind("milestones")
    [due] = inbox(applicant)
    assert due.kind == "milestone_due" and "样机完成" in due.body and due.link == f"/projects/{project.pk}/"
    assert inbox(off) == []
    for day in (16, 20):
        with at(date(2026, 9, day)):
            remind("milestones")
    assert kinds(applicant) == ["milestone_due", "milestone_overdue"]
    assert kinds(off) == ["milestone_overdue"]


def test_a_reported_milestone_is_not_reminded(executing_project):
    project, applicant, _ = executing_project
    project.milestones.update(reported_at=timezone.now(), report="Done.")
    with at(date(2026, 9, 20)):
        assert remind("milestones") == {"milestones": 0}


# ------------------------------------------------------------------ conversion obligations

@pytest.fixture
def obligation():
    institution = InstitutionFactory()
    project = make_project(institution=institution, state="completed")
    Project.objects.filter(pk=project.pk).update(obligation_due_on=date(2027, 3, 31))
    return Project.objects.get(pk=project.pk), applicant_of(institution), officer()


def test_a_conversion_obligation_is_reminded_thirty_days_before_and_once_overdue(obligation):
    project, applicant, off = obligation
    with at(date(2027, 2, 28)):  # 31 days before
        remind("obligations")
    assert inbox(applicant) == []
    with at(date(2027, 3, 1)):
        remind("obligations")
    with at(date(2027, 3, 31)):
        remind("obligations")
    with at(date(2027, 4, 1)):
        remind("obligations")
    with at(date(2027, 5, 1)):
        remind("obligations")
    assert kinds(applicant) == ["obligation_due", "obligation_overdue"]
    assert kinds(off) == ["obligation_overdue"]


def test_a_registered_technology_contract_fulfils_the_obligation(obligation):
    from funding.models import TechContract

    project, applicant, off = obligation
    contract = TechContract.objects.create(project=project, parties="某企业", contract_amount=Decimal("800000.00"),
                                           seller_kind="university", buyer_kind="enterprise", recorded_by=applicant)
    with at(date(2027, 4, 1)):
        assert remind("obligations") != {"obligations": 0}  # recorded, not registered: not fulfilled yet
    TechContract.objects.filter(pk=contract.pk).update(state="registered", registration_number="2027330300000123",
                                                       registered_on=date(2027, 1, 10))
    with at(date(2027, 4, 2)):
        assert remind("obligations") == {"obligations": 0}


def test_a_terminated_project_has_no_obligation_reminder(obligation):
    project, applicant, _ = obligation
    Project.objects.filter(pk=project.pk).update(state="terminated")
    with at(date(2027, 4, 1)):
        assert remind("obligations") == {"obligations": 0}


# ------------------------------------------------------------------ centers

def test_in_january_every_center_in_force_without_last_years_evaluation_is_told_once():
    with at(date(2026, 12, 1)):
        waiting = make_center(designated_on=date(2025, 3, 1), valid_until=date(2028, 2, 28))
        filed = make_center(designated_on=date(2025, 3, 1), valid_until=date(2028, 2, 28))
        make_evaluation(filed, 2026, state="filed")
        revoked = make_center(designated_on=date(2025, 3, 1), valid_until=date(2028, 2, 28), state="revoked")
    members = {c.pk: applicant_of(c.institution) for c in (waiting, filed, revoked)}

    with at(date(2026, 12, 31)):
        remind("evaluation_window")
    assert Notification.objects.count() == 0
    with at(date(2027, 1, 2)):
        remind("evaluation_window")
    with at(date(2027, 1, 20)):
        remind("evaluation_window")
    [note] = inbox(members[waiting.pk])
    assert note.kind == "evaluation_window" and "2026" in note.title and note.link == f"/centers/{waiting.pk}/"
    assert inbox(members[filed.pk]) == [] and inbox(members[revoked.pk]) == []
    with at(date(2027, 2, 1)):
        assert remind("evaluation_window") == {"evaluation_window": 0}


def test_a_center_is_told_ninety_days_before_its_designation_ends_once():
    with at(date(2026, 1, 5)):
        center = make_center(designated_on=date(2023, 6, 1), valid_until=date(2026, 5, 31))
    member = applicant_of(center.institution)
    with at(date(2026, 3, 1)):  # 91 days before
        remind("center_validity")
    assert inbox(member) == []
    with at(date(2026, 3, 2)):
        remind("center_validity")
    with at(date(2026, 5, 31)):
        remind("center_validity")
    [note] = inbox(member)
    assert note.kind == "center_validity_expiring" and "2026-05-31" in note.body
    Center.objects.filter(pk=center.pk).update(valid_until=date(2029, 5, 31))  # renewed: a new due date
    with at(date(2029, 3, 2)):
        remind("center_validity")
    assert kinds(member) == ["center_validity_expiring"] * 2


def test_all_checks_run_without_names():
    assert set(remind()) == {"reviews", "public_notices", "milestones", "obligations", "evaluation_window",
                             "center_validity"}


def test_a_reminder_is_in_the_recipients_language():
    from tests.notifications.support import with_language

    with at(date(2026, 1, 5)):
        center = make_center(designated_on=date(2023, 6, 1), valid_until=date(2026, 3, 31))
    chinese, english = applicant_of(center.institution), with_language(applicant_of(center.institution), "en")
    with at(date(2026, 3, 1) - timedelta(days=1)):
        remind("center_validity")
    assert inbox(chinese)[0].title.startswith("认定有效期即将届满")
    assert inbox(english)[0].title.startswith("Designation expires soon")
