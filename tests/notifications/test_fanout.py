"""Workflow transitions that concern someone reach them: in the inbox and by email, through the outbox and the
fan-out task (in-process here: no broker). The one who acted is not told of their own act."""
import pytest
import time_machine
from django.core import mail

from funding import services as funding_services
from poc.models import Notification, OutboxMessage
from poc.tasks import fan_out_notification
from poc.workflow import run_transition
from review import services as review_services
from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.funding.factories import DecisionFactory, manager_of
from tests.notifications.support import committed, inbox, kinds, last_log, unsent
from tests.poc.after_approval_factories import make_center
from tests.review.factories import ExpertFactory, assign, fill_review, local_moment, review_call, under_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    institution = InstitutionFactory()
    return {
        "institution": institution,
        "creator": applicant_of(institution),
        "colleague": applicant_of(institution),
        "stranger": applicant_of(InstitutionFactory()),
        "officer": officer(),
        "other_officer": officer(),
    }


def test_a_submitted_application_reaches_the_officers_and_nobody_else(people, django_capture_on_commit_callbacks):
    app = make_application(institution=people["institution"], created_by=people["creator"])
    with committed(django_capture_on_commit_callbacks):
        run_transition(app, "submit", people["creator"])

    for off in (people["officer"], people["other_officer"]):
        [note] = inbox(off)
        assert note.kind == "application_submitted"
        assert app.number in note.title
        assert note.link == f"/applications/{app.pk}/"
    for applicant in ("creator", "colleague", "stranger"):
        assert inbox(people[applicant]) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["officer"].email, people["other_officer"].email])
    assert unsent() == [] and OutboxMessage.objects.count() == 1


def test_a_return_reaches_the_institution_with_the_reason_and_the_date_not_the_acting_officer(
        people, django_capture_on_commit_callbacks):
    app = make_application(institution=people["institution"], created_by=people["creator"], state="submitted")
    with committed(django_capture_on_commit_callbacks):
        returned = run_transition(app, "return_for_revision", people["officer"], "预算明细不完整。")

    for applicant in ("creator", "colleague"):
        [note] = inbox(people[applicant])
        assert note.kind == "application_returned"
        assert "预算明细不完整。" in note.body and returned.revision_due.isoformat() in note.body
    assert inbox(people["officer"]) == [] and inbox(people["other_officer"]) == []
    assert inbox(people["stranger"]) == []


def test_the_formal_check_tells_the_applicant_who_created_the_application(people, django_capture_on_commit_callbacks):
    app = make_application(institution=people["institution"], created_by=people["creator"], state="submitted")
    with committed(django_capture_on_commit_callbacks):
        run_transition(app, "accept_for_review", people["officer"])
    assert kinds(people["creator"]) == ["application_formal_check_passed"]
    assert inbox(people["colleague"]) == []


@pytest.mark.parametrize(("state", "transition", "comment", "kind"), [
    ("reviewed", "reject", "创新性不足。", "application_rejected"),
    ("reviewed", "to_cultivation_pool", "场地条件尚不具备。", "application_cultivation"),
    ("submitted", "reject_formally", "不符合申报条件。", "application_rejected"),
])
def test_decisions_on_an_application_reach_its_institution(people, django_capture_on_commit_callbacks, state,
                                                           transition, comment, kind):
    from tests.factories import CallFactory

    call = CallFactory(kind="poc_center" if transition == "to_cultivation_pool" else "poc_project")
    app = make_application(call, people["institution"], created_by=people["creator"], state=state)
    with committed(django_capture_on_commit_callbacks):
        run_transition(app, transition, people["officer"], comment)
    assert kinds(people["creator"]) == [kind] and kinds(people["colleague"]) == [kind]
    assert comment in inbox(people["creator"])[0].body


def test_an_assignment_tells_the_expert_and_links_to_the_review(people, django_capture_on_commit_callbacks):
    call = review_call(min_reviews=1, deadline=local_moment(2026, 6, 30, 23, 59))
    app = under_review(call, people["institution"])
    expert = ExpertFactory()
    with committed(django_capture_on_commit_callbacks):
        assignment = review_services.assign_manually(people["officer"], app, expert)

    [note] = inbox(expert.user)
    assert note.kind == "assignment_created"
    assert note.link == f"/review/reviews/{assignment.review.pk}/"
    assert "2026-06-30 23:59" in note.body
    assert inbox(people["creator"]) == []


def test_a_submitted_review_reaches_the_officers_and_a_reopened_one_the_expert(people,
                                                                              django_capture_on_commit_callbacks):
    with time_machine.travel(local_moment(2026, 5, 12), tick=False):
        call = review_call(min_reviews=1, deadline=local_moment(2026, 6, 30, 23, 59))
        app = under_review(call, people["institution"])
        expert = ExpertFactory()
        review = assign(app, expert, people["officer"]).review
        fill_review(review)
        with committed(django_capture_on_commit_callbacks):
            review = review_services.submit_review(expert.user, review)
        assert kinds(people["officer"]) == ["review_submitted"] == kinds(people["other_officer"])

        with committed(django_capture_on_commit_callbacks):
            review_services.reopen_review(people["officer"], review, "请补充市场分析的依据。")
    reopened = inbox(expert.user, "review_reopened")
    assert len(reopened) == 1 and "请补充市场分析的依据。" in reopened[0].body
    assert inbox(people["creator"]) == [] and inbox(people["colleague"]) == []


def test_a_decision_part_reaches_officers_and_managers_and_the_final_approval_the_institution(
        people, django_capture_on_commit_callbacks):
    decision = DecisionFactory(application=make_application(state="reviewed", institution=people["institution"],
                                                            created_by=people["creator"]))
    manager = manager_of(decision.fund)
    assert kinds(manager) == []  # factories skip the services: nothing was proposed through the workflow

    with committed(django_capture_on_commit_callbacks):
        decision = funding_services.approve_grant(people["officer"], decision)
    assert decision.state == "proposed"
    assert kinds(manager) == ["decision_grant_approved"] == kinds(people["other_officer"])
    assert inbox(people["officer"]) == [] and inbox(people["creator"]) == []

    with committed(django_capture_on_commit_callbacks):
        funding_services.approve_equity(manager, decision)
    assert kinds(people["creator"]) == ["decision_approved"] == kinds(people["colleague"])
    assert "decision_equity_approved" in kinds(people["officer"])
    assert inbox(manager, "decision_equity_approved") == []  # the manager acted


def test_a_proposed_decision_with_an_equity_part_asks_the_funds_managers(people, django_capture_on_commit_callbacks):
    from tests.funding.factories import FundFactory

    fund = FundFactory()
    manager = manager_of(fund)
    app = make_application(state="reviewed", institution=people["institution"], created_by=people["creator"])
    with committed(django_capture_on_commit_callbacks):
        funding_services.propose_decision(
            people["officer"], app, instrument="equity", equity_amount="2000000.00", fund=fund,
            pre_money_valuation="18000000.00")
    assert kinds(manager) == ["decision_proposed"]
    assert inbox(people["creator"]) == []


def test_a_revoked_center_is_told(people, django_capture_on_commit_callbacks):
    center = make_center(institution=people["institution"])
    with committed(django_capture_on_commit_callbacks):
        run_transition(center, "revoke_for_fraud", people["officer"], "提供虚假材料。")
    [note] = inbox(people["creator"])
    assert note.kind == "center_revoked" and note.link == f"/centers/{center.pk}/"


def test_a_transition_that_concerns_nobody_writes_no_outbox_row(people, django_capture_on_commit_callbacks):
    app = make_application(institution=people["institution"], created_by=people["creator"])
    with committed(django_capture_on_commit_callbacks):
        run_transition(app, "withdraw", people["creator"])  # from draft: the bureau never saw it
    assert OutboxMessage.objects.count() == 0 and Notification.objects.count() == 0


def test_a_refused_transition_leaves_no_outbox_row(people, django_capture_on_commit_callbacks):
    from poc.errors import NotAllowed

    app = make_application(institution=people["institution"], created_by=people["creator"], state="submitted")
    with committed(django_capture_on_commit_callbacks), pytest.raises(NotAllowed):
        run_transition(app, "return_for_revision", people["creator"], "No.")
    assert OutboxMessage.objects.count() == 0 and Notification.objects.count() == 0


def test_double_delivery_of_the_fan_out_task_makes_one_notification_and_one_email(people):
    app = make_application(institution=people["institution"], created_by=people["creator"], state="submitted")
    run_transition(app, "return_for_revision", people["officer"], "Budget details are missing.")
    log = last_log(app)  # the on-commit publish never ran (test transaction): deliver by hand, twice

    fan_out_notification.apply(args=[log.pk], throw=True)
    fan_out_notification.apply(args=[log.pk], throw=True)

    assert len(inbox(people["creator"])) == 1 and len(inbox(people["colleague"])) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["creator"].email, people["colleague"].email])
    assert all(n.emailed_at is not None for n in Notification.objects.all())


def test_an_email_that_failed_is_sent_on_the_retry_and_only_that_one(people, settings):
    app = make_application(institution=people["institution"], created_by=people["creator"], state="submitted")
    run_transition(app, "return_for_revision", people["officer"], "Budget details are missing.")
    log = last_log(app)
    settings.EMAIL_BACKEND = "tests.notifications.flaky_email.FailingBackend"
    with pytest.raises(ConnectionError):
        fan_out_notification.apply(args=[log.pk], throw=True, retries=fan_out_notification.max_retries)
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    fan_out_notification.apply(args=[log.pk], throw=True)
    fan_out_notification.apply(args=[log.pk], throw=True)
    assert len(mail.outbox) == 2 and Notification.objects.count() == 2
