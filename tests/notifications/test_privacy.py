"""Experts stay anonymous to applicants: no notification to an applicant names an expert, even when an officer's
reason quotes one; the expert's own notifications go to the expert and the officers only."""
import pytest
import time_machine

from poc.models import Notification
from poc.tasks import fan_out_notification
from poc.workflow import run_transition
from review import services as review_services
from tests.factories import InstitutionFactory, applicant_of, officer
from tests.factories import expert as expert_user
from tests.notifications.support import last_log
from tests.review.factories import ExpertFactory, fill_review, local_moment, review_call, under_review

pytestmark = pytest.mark.django_db


def deliver(obj):
    fan_out_notification.apply(args=[last_log(obj).pk], throw=True)


def test_no_notification_to_an_applicant_contains_an_experts_name():
    institution = InstitutionFactory()
    applicants = [applicant_of(institution), applicant_of(institution)]
    off = officer()
    experts = [ExpertFactory(name="王建国", user=expert_user(username="wangjianguo@zju.example.cn",
                                                             first_name="建国", last_name="王")),
               ExpertFactory(name="Li Ming")]

    with time_machine.travel(local_moment(2026, 5, 12), tick=False):
        call = review_call(min_reviews=2, deadline=local_moment(2026, 6, 30, 23, 59))
        app = under_review(call, institution, created_by=applicants[0])
        for expert in experts:
            assignment = review_services.assign_manually(off, app, expert)
            deliver(assignment)
            review = fill_review(assignment.review)
            review = review_services.submit_review(expert.user, review)
            deliver(review)
        app = run_transition(app, "close_review", off)
        app = run_transition(app, "reject", off, "王建国教授与 Li Ming 认为创新性不足"
                                                  "（wangjianguo@zju.example.cn 的意见见附件）。")
        deliver(app)

    to_applicants = Notification.objects.filter(recipient__in=applicants)
    assert to_applicants.count() == 2 and {n.kind for n in to_applicants} == {"application_rejected"}
    secrets = ["王建国", "Li Ming", "wangjianguo", "建国"] + [e.user.username for e in experts]
    for note in to_applicants:
        text = f"{note.title}\n{note.body}\n{note.link}"
        assert not any(secret in text for secret in secrets), text
        assert "创新性不足" in note.body  # the reason itself still reaches them

    # the experts heard of their own assignments; nothing about reviews went to the applicant side
    assert Notification.objects.filter(recipient=experts[0].user, kind="assignment_created").count() == 1
    assert not Notification.objects.filter(recipient__in=applicants,
                                           kind__in=["assignment_created", "review_submitted"]).exists()


def test_an_applicant_never_receives_review_events_even_as_a_member_of_the_officers_group():
    """Belt and braces: whoever holds the applicant role gets expert names removed, whatever the rule."""
    from poc.notifications.delivery import deliver as deliver_rule
    from poc.notifications.rules import NotificationRule

    institution = InstitutionFactory()
    applicant = applicant_of(institution)
    with time_machine.travel(local_moment(2026, 5, 12), tick=False):
        app = under_review(review_call(min_reviews=1), institution)
        expert = ExpertFactory(name="赵六")
        review_services.assign_manually(officer(), app, expert)
    rule = NotificationRule("application_rejected", lambda instance: [applicant], url="application-detail")
    [note] = deliver_rule(rule, app, [applicant], key="test", comment="赵六 disagrees")
    assert "赵六" not in note.body and "***" in note.body
