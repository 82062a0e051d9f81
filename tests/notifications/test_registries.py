"""poc asks, the apps answer: notification rules, reminders and the obligation hook are registered, not named.

The registries work on their own; once the apps are ready, review's and funding's tables are there, registered by
their own modules; and poc keeps working when they are not (its own events and reminders still run).
"""
from datetime import date

import pytest
import time_machine
from django.core import mail

from funding.models import FundingDecision, TechContract, Tranche
from poc.models import Application, Center, Project
from poc.notifications import events, registry
from poc.notifications import reminders as poc_reminders
from poc.notifications.recipients import officers
from poc.notifications.registry import NotificationRules, QueryHook, Reminder, Reminders
from poc.notifications.rules import NotificationRule
from poc.rules import Rule
from poc.workflow import run_transition
from review import services as review_services
from review.models import Assignment, Review
from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.notifications.support import committed, inbox, kinds
from tests.poc.after_approval_factories import make_project
from tests.review.factories import ExpertFactory, assign, fill_review, local_moment, review_call, under_review

SUBMITTED = NotificationRule("application_submitted", officers, url="application-detail")
WITHDRAWN = NotificationRule("application_withdrawn", officers, url="application-detail")


# ------------------------------------------------------------------ the registries on their own

def test_rules_are_registered_per_owner_and_found_by_model_and_transition():
    rules = NotificationRules()
    rules.register("one", transitions={(Application, "submit"): [SUBMITTED]}, creations={Center: (WITHDRAWN,)})
    rules.register("two", transitions={(Application, "submit"): (WITHDRAWN,)})
    assert rules.owners == ("one", "two")
    assert rules.rules_for(Application, "submit") == (SUBMITTED, WITHDRAWN)
    assert rules.rules_for(Center, "create") == (WITHDRAWN,)
    assert rules.rules_for(Application, "withdraw") == () and rules.rules_for(Project, "create") == ()
    assert rules.transitions() == {(Application, "submit"): (SUBMITTED, WITHDRAWN)}
    assert rules.creations() == {Center: (WITHDRAWN,)}


def test_registering_again_replaces_so_a_second_ready_never_doubles_a_notification():
    rules = NotificationRules()
    for _ in range(2):
        rules.register("poc", transitions={(Application, "submit"): (SUBMITTED,)})
    assert rules.rules_for(Application, "submit") == (SUBMITTED,)
    rules.unregister("poc")
    rules.unregister("never registered")
    assert rules.rules_for(Application, "submit") == () and rules.owners == ()


def test_models_are_registered_as_classes_and_rules_as_notification_rules():
    rules = NotificationRules()
    with pytest.raises(TypeError, match="not a model class"):
        rules.register("x", transitions={("poc.application", "submit"): (SUBMITTED,)})
    with pytest.raises(TypeError, match="not a model class"):
        rules.register("x", creations={"poc.application": (SUBMITTED,)})
    with pytest.raises(TypeError, match="not a NotificationRule"):
        rules.register("x", transitions={(Application, "submit"): ("application_submitted",)})
    assert rules.owners == ()


def test_notification_rule_is_not_the_workflow_rule():
    assert NotificationRule is not Rule
    assert not hasattr(registry, "Rule") and not hasattr(events, "Rule")


def test_reminders_run_by_name_and_all_without_names():
    checks = Reminders()
    checks.register(Reminder("a", lambda: 2, (SUBMITTED,)))
    checks.register(Reminder("b", lambda: 0))
    checks.register(Reminder("a", lambda: 1, (SUBMITTED,)))  # replaced, not added
    assert checks.names() == ("a", "b")
    assert checks.run("a") == {"a": 1}
    assert checks.run() == {"a": 1, "b": 0}
    assert [r.rules for r in checks.all()] == [(SUBMITTED,), ()]
    with pytest.raises(KeyError):
        checks.run("typo")
    checks.unregister("a")
    assert checks.names() == ("b",)


def test_a_reminder_carries_notification_rules_only():
    with pytest.raises(TypeError, match="not a NotificationRule"):
        Reminders().register(Reminder("a", lambda: 0, ("review_due",)))


def test_a_query_hook_passes_the_queryset_through_until_an_app_narrows_it():
    hook = QueryHook("evens")
    assert hook(range(5)) == range(5) and not hook.registered
    hook.register(lambda values: [v for v in values if v % 2 == 0])
    assert hook(range(5)) == [0, 2, 4] and hook.registered
    hook.reset()
    assert hook(range(5)) == range(5)


# ------------------------------------------------------------------ once the apps are ready

def test_every_app_registered_its_own_table():
    assert registry.notification_rules.owners == ("poc", "review", "funding")


def test_reviews_rules_are_there_registered_by_review():
    rules = registry.notification_rules
    assert [r.kind for r in rules.rules_for(Review, "submit")] == ["review_submitted"]
    assert [r.kind for r in rules.rules_for(Review, "reopen")] == ["review_reopened"]
    assert [r.kind for r in rules.rules_for(Assignment, "unassign")] == ["assignment_voided"]
    assert [r.kind for r in rules.rules_for(Assignment, "create")] == ["assignment_created"]


def test_fundings_rules_are_there_registered_by_funding():
    rules = registry.notification_rules
    assert [r.kind for r in rules.rules_for(FundingDecision, "approve_grant")] == [
        "decision_grant_approved", "decision_approved"]
    assert [r.kind for r in rules.rules_for(FundingDecision, "create")] == ["decision_proposed"]
    assert [r.kind for r in rules.rules_for(Tranche, "pay")] == ["tranche_paid"]
    assert registry.unfulfilled_obligations.registered


def test_poc_registers_only_rules_about_its_own_models():
    models = {model for model, _ in events.TRANSITIONS} | set(events.CREATIONS)
    assert {model._meta.app_label for model in models} == {"poc"}


def test_each_reminder_is_registered_by_the_app_that_owns_its_data():
    owners = {r.name: r.check.__module__ for r in registry.reminder_checks.all()}
    assert owners == {"public_notices": "poc.notifications.reminders", "milestones": "poc.notifications.reminders",
                      "obligations": "poc.notifications.reminders",
                      "evaluation_window": "poc.notifications.reminders",
                      "center_validity": "poc.notifications.reminders", "reviews": "review.reminders"}


# ------------------------------------------------------------------ poc without the apps above it

@pytest.fixture
def poc_alone(monkeypatch):
    """The registries as they would be with only poc installed (restored afterwards)."""
    rules, checks, hook = registry.notification_rules, registry.reminder_checks, registry.unfulfilled_obligations
    monkeypatch.setattr(rules, "_tables", dict(rules._tables))
    monkeypatch.setattr(checks, "_reminders", dict(checks._reminders))
    monkeypatch.setattr(hook, "_narrow", None)
    for owner in ("review", "funding"):
        rules.unregister(owner)
    checks.unregister("reviews")
    return rules


def test_without_review_and_funding_their_events_concern_nobody(poc_alone):
    assert poc_alone.owners == ("poc",)
    assert poc_alone.rules_for(Review, "submit") == () and poc_alone.rules_for(FundingDecision, "create") == ()
    assert poc_alone.rules_for(Application, "submit") == events.TRANSITIONS[(Application, "submit")]


@pytest.mark.django_db
def test_without_review_a_submitted_review_tells_nobody_but_poc_events_still_do(
        poc_alone, django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    off = officer()
    with time_machine.travel(local_moment(2026, 5, 12), tick=False):
        app = under_review(review_call(min_reviews=1, deadline=local_moment(2026, 6, 30, 23, 59)))
        expert = ExpertFactory()
        review = assign(app, expert, off).review
        fill_review(review)
        with committed(django_capture_on_commit_callbacks):
            review_services.submit_review(expert.user, review)
    assert inbox(off) == [] and inbox(expert.user) == []

    institution = InstitutionFactory()
    creator = applicant_of(institution)
    with committed(django_capture_on_commit_callbacks):
        run_transition(make_application(institution=institution, created_by=creator), "submit", creator)
    assert kinds(off) == ["application_submitted"] and len(mail.outbox) == 1


@pytest.mark.django_db
def test_without_review_and_funding_pocs_reminders_run_and_every_obligation_is_open(poc_alone):
    assert set(poc_reminders.run()) == {"public_notices", "milestones", "obligations", "evaluation_window",
                                        "center_validity"}
    institution = InstitutionFactory()
    member = applicant_of(institution)
    project = make_project(institution=institution, state="completed")
    Project.objects.filter(pk=project.pk).update(obligation_due_on=date(2027, 3, 31))
    TechContract.objects.create(project=project, registration_number="2027330300000123", parties="某企业",
                                contract_amount="800000.00", registered_on=date(2027, 1, 10), recorded_by=member)
    with time_machine.travel(local_moment(2027, 4, 1, 8), tick=False):
        assert poc_reminders.run("obligations")["obligations"] >= 1
    assert kinds(member) == ["obligation_overdue"]  # only funding knows that a contract fulfils it
