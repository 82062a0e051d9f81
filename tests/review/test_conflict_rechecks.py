"""A conflict found after the assignment (回避 after the fact, issue §9): an expert's affiliations or an
application's team edited after assignment re-checks the active assignments; a new conflict voids the assignment
and revokes the expert's access, as a declared one does, audited and told to the expert and the officers.
"""
from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import translation

from poc.applications import services as application_services
from poc.applications.selectors import application_for
from poc.errors import BadInput, NotAllowed
from poc.models import Notification, TeamMember, TransitionLog
from poc.roles import SYSTEM
from poc.signals import conflict_facts_changed
from poc.workflow import run_transition
from review import services
from review.models import Assignment, AssignmentState, Conflict, ConflictSource, ExpertAffiliation
from review.rechecks import recheck_active_assignments
from review.selectors import reviews_visible_to
from tests.factories import InstitutionFactory, make_application, officer
from tests.notifications.support import committed, with_language
from tests.review.api_support import api_client, url
from tests.review.factories import (
    ExpertFactory,
    assign,
    local_moment,
    review_call,
    submit_directly,
    under_review,
)

pytestmark = pytest.mark.django_db
User = get_user_model()



@pytest.fixture(autouse=True)
def english_and_frozen(settings):
    """English, a fixed day, and notifications fanned out in this process even where a broker is configured (the
    real worker cannot see a test's uncommitted rows; tests/notifications/test_worker.py covers that seam)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with translation.override("en"), time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


@pytest.fixture
def setting():
    inst = InstitutionFactory(name="Wenzhou Institute of Materials")
    other = InstitutionFactory(name="Ningbo Institute")
    call = review_call(min_reviews=3)
    app = under_review(call, inst, number="2026-PC-0001")
    app2 = under_review(call, other, number="2026-PC-0002")
    off = with_language(officer(), "en")
    expert = ExpertFactory(name="周教授")
    with_language(expert.user, "zh-hans")
    return {"inst": inst, "other": other, "call": call, "app": app, "app2": app2, "officer": off, "expert": expert,
            "a1": assign(app, expert, off), "a2": assign(app2, expert, off)}


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def sees(user, application) -> bool:
    return application_for(User.objects.get(pk=user.pk), application.pk) is not None


def affiliated(institution, ended_on=None, started_on=date(2015, 9, 1)):
    return {"institution": institution, "started_on": started_on, "ended_on": ended_on}


# ------------------------------------------------------------------- the expert's affiliations change

def test_a_new_affiliation_with_the_applicant_voids_the_assignment_and_revokes_access(
        setting, django_capture_on_commit_callbacks):
    off, expert, app = setting["officer"], setting["expert"], setting["app"]
    with committed(django_capture_on_commit_callbacks):
        services.update_expert(off, expert, affiliations=[affiliated(setting["inst"], date(2024, 6, 30))])

    voided = fresh(setting["a1"])
    reason = ("Conflict of interest found after the expert's details or affiliations changed: Affiliated with "
              "Wenzhou Institute of Materials until 2024-06-30 (within 3 years).")
    assert (voided.state, voided.voided_reason) == (AssignmentState.VOIDED, reason)
    log = TransitionLog.objects.for_object(voided).get(transition="void_for_conflict")
    assert (log.source, log.target, log.actor, log.comment) == ("active", "voided", None, reason)  # by the system
    conflict = Conflict.objects.get(application=app, expert=expert)
    assert conflict.source == ConflictSource.PAST_AFFILIATION
    # Access ends with the assignment: the application, the review and the lists.
    assert not sees(expert.user, app)
    assert not User.objects.get(pk=expert.user.pk).has_perm("review.view_review", voided.review)
    assert list(reviews_visible_to(expert.user).values_list("assignment", flat=True)) == [setting["a2"].pk]
    # The other application (another institution) keeps its assignment: only the conflicting pair is voided.
    assert fresh(setting["a2"]).state == AssignmentState.ACTIVE and sees(expert.user, setting["app2"])
    # The expert hears of it in Chinese, the officer in English.
    (told,) = Notification.objects.filter(recipient=expert.user, kind="assignment_voided")
    assert told.title == "评审任务已取消：2026-PC-0001 " + app.title
    assert told.body.startswith("您对申报 2026-PC-0001")
    (staff,) = Notification.objects.filter(recipient=off, kind="conflict_found")
    assert staff.title == "Conflict of interest found: 2026-PC-0001 " + app.title


def test_an_affiliation_that_ended_three_years_ago_today_still_conflicts(setting):
    services.update_expert(setting["officer"], setting["expert"],
                           affiliations=[affiliated(setting["inst"], date(2023, 5, 12))])
    assert fresh(setting["a1"]).state == AssignmentState.VOIDED


def test_an_affiliation_that_ended_the_day_before_does_not(setting):
    services.update_expert(setting["officer"], setting["expert"],
                           affiliations=[affiliated(setting["inst"], date(2023, 5, 11))])
    assert fresh(setting["a1"]).state == AssignmentState.ACTIVE
    assert not TransitionLog.objects.filter(transition="void_for_conflict").exists()
    assert not Conflict.objects.exists()


def test_moving_to_the_applicant_institution_voids_the_assignment(setting):
    services.update_expert(setting["officer"], setting["expert"], institution=setting["other"])
    assert fresh(setting["a2"]).voided_reason == (
        "Conflict of interest found after the expert's details or affiliations changed: Works at Ningbo Institute, "
        "the applicant.")
    assert fresh(setting["a1"]).state == AssignmentState.ACTIVE


def test_an_edit_without_a_new_conflict_voids_nothing(setting):
    services.update_expert(setting["officer"], setting["expert"], title="研究员",
                           affiliations=[affiliated(InstitutionFactory())])
    assert Assignment.objects.filter(state=AssignmentState.ACTIVE).count() == 2
    assert not TransitionLog.objects.filter(transition="void_for_conflict").exists()


def test_a_refused_edit_voids_nothing(setting):
    with pytest.raises(BadInput) as refused:
        services.update_expert(setting["officer"], setting["expert"],
                               affiliations=[affiliated(setting["inst"], date(2014, 1, 1))])
    assert refused.value.messages == ["An affiliation cannot end before it starts."]
    with pytest.raises(NotAllowed):
        services.update_expert(setting["expert"].user, setting["expert"],
                               affiliations=[affiliated(setting["inst"])])
    assert Assignment.objects.filter(state=AssignmentState.ACTIVE).count() == 2
    assert not ExpertAffiliation.objects.exists() and not Conflict.objects.exists()


def test_a_submitted_review_is_reopened_then_voided(setting):
    review = submit_directly(setting["a1"].review, 80)
    services.update_expert(setting["officer"], setting["expert"], affiliations=[affiliated(setting["inst"])])
    assert fresh(review).state == "draft"  # a conflicted review does not count
    assert fresh(setting["a1"]).state == AssignmentState.VOIDED
    assert [(log.transition, log.actor) for log in TransitionLog.objects.for_object(review)] == [("reopen", None)]


def test_a_closed_review_is_not_rechecked(setting):
    app = setting["app"]
    type(app).objects.filter(pk=app.pk).update(state="reviewed")
    services.update_expert(setting["officer"], setting["expert"], affiliations=[affiliated(setting["inst"])])
    assert fresh(setting["a1"]).state == AssignmentState.ACTIVE


def test_the_api_edit_of_an_affiliation_voids_the_assignment(setting):
    expert, inst = setting["expert"], setting["inst"]
    refused = api_client(expert.user).patch(url("experts", expert), {
        "affiliations": [{"institution": inst.pk, "started_on": "2015-09-01"}]}, format="json")
    assert refused.status_code in (403, 404)
    assert fresh(setting["a1"]).state == AssignmentState.ACTIVE

    response = api_client(setting["officer"]).patch(url("experts", expert), {
        "affiliations": [{"institution": inst.pk, "started_on": "2015-09-01"}]}, format="json")
    assert response.status_code == 200, response.json()
    assert fresh(setting["a1"]).state == AssignmentState.VOIDED
    assert fresh(setting["a1"]).voided_reason.endswith(
        "Affiliated with Wenzhou Institute of Materials until now (within 3 years).")
    # The expert's own list no longer has it; the application answers 404.
    mine = api_client(expert.user).get(url("assignments"), {"state": "active"}).json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert [row["id"] for row in rows] == [setting["a2"].pk]
    assert api_client(expert.user).get(url("applications", setting["app"])).status_code == 404


def test_nobody_voids_for_a_conflict_by_hand(setting):
    target = url("assignments", setting["a1"], "transitions", "void_for_conflict")
    response = api_client(setting["officer"]).post(target, {"comment": "I think so."}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "An assignment is voided by the system when a rule finds a conflict of interest after it was made (the "
        "expert's affiliations or the application's team changed); it is not run by hand.")
    assert fresh(setting["a1"]).state == AssignmentState.ACTIVE
    with pytest.raises(NotAllowed) as refused:
        run_transition(setting["a1"], "void_for_conflict", setting["expert"].user, "Me.")
    assert refused.value.messages == [
        "Only bureau officers (or the system) can void an assignment for a conflict found by rule."]
    done = run_transition(setting["a1"], "void_for_conflict", SYSTEM, "Found by rule.")
    assert done.state == AssignmentState.VOIDED


# ------------------------------------------------------------------- the application's team changes

def test_a_team_member_who_is_the_assigned_expert_voids_the_assignment(setting):
    app, expert = setting["app"], setting["expert"]
    TeamMember.objects.create(application=app, name="周 教授", role="技术顾问", title="教授", organisation="某大学")
    application_services.conflict_facts_changed_for([app.pk], setting["officer"], "the application's team changed")
    voided = fresh(setting["a1"])
    assert voided.state == AssignmentState.VOIDED
    assert voided.voided_reason == ("Conflict of interest found after the application's team changed: Listed in the "
                                    "application's team as “技术顾问”.")
    assert Conflict.objects.get(application=app, expert=expert).source == ConflictSource.TEAM_MEMBER
    assert fresh(setting["a2"]).state == AssignmentState.ACTIVE
    assert not sees(expert.user, app)


def test_a_team_row_edit_announces_the_change_and_other_rows_do_not():
    heard = []

    def listener(sender, application_ids, cause, **kwargs):
        heard.append((application_ids, cause))

    conflict_facts_changed.connect(listener, dispatch_uid="test-listener")
    try:
        app = make_application(review_call(), state="draft")
        author = app.created_by
        row = application_services.add_row(author, app, "team_members", name="王工", role="工程师", title="高工",
                                            organisation="某公司")
        application_services.update_row(author, row, role="总工程师")
        application_services.delete_row(author, row)
        application_services.add_row(author, app, "milestones", **_milestone())
        application_services.set_review_preferences(author, app, disciplines=[], excluded_experts=["周教授"])
        application_services.set_review_preferences(author, app, disciplines=[], excluded_experts=["周教授"])
    finally:
        conflict_facts_changed.disconnect(dispatch_uid="test-listener")
    assert heard == [([app.pk], "the application's team changed")] * 3 + [
        ([app.pk], "the experts the applicant asked to exclude changed")]  # once: the second asked the same


def test_an_exclusion_request_edited_in_the_administration_voids_the_assignment(setting, rf):
    from django.contrib import admin

    from poc.admin import ApplicationAdmin

    app = setting["app"]
    type(app).objects.filter(pk=app.pk).update(excluded_experts=["周教授"])
    app.refresh_from_db()

    class SavedForm:  # what ModelAdmin.save_related needs of the change form it saved
        instance = app

        def save_m2m(self):
            pass

    request = rf.post("/admin/poc/application/")
    request.user = setting["officer"]
    ApplicationAdmin(type(app), admin.site).save_related(request, SavedForm(), [], True)
    assert fresh(setting["a1"]).voided_reason == (
        "Conflict of interest found after the application was edited in the administration: The applicant asked "
        "to exclude this expert.")
    assert fresh(setting["a2"]).state == AssignmentState.ACTIVE


def _milestone():
    return {"month": 6, "title": "样机", "deliverables": "样机一台"}


def test_the_recheck_is_one_set_operation_over_the_touched_assignments(setting, django_assert_max_num_queries):
    others = [ExpertFactory(name=f"专家{i}") for i in range(5)]
    for expert in others:
        assign(setting["app"], expert, setting["officer"])
    with django_assert_max_num_queries(8):  # the same few queries however many assignments (none voided)
        assert recheck_active_assignments(application_ids=[setting["app"].pk], cause="x") == []
