"""A whole call's assignments are written in a few statements, and each expert hears once.

The commit's query count does not depend on how many assignments it writes; every assignment still has its
own audit row; each expert gets one notification for all of their new applications, with the count and the
deadline, in their language.
"""
import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from poc.models import Notification, OutboxMessage, TransitionLog
from poc.notifications import outbox
from poc.notifications.receivers import FAN_OUT_BATCH_TASK
from review import matching
from review.models import Assignment
from tests.factories import InstitutionFactory, officer
from tests.review.factories import ExpertFactory, local_moment, review_call, under_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_frozen():
    with translation.override("en"), time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


def a_call(n_applications, n_experts, k=2):
    call = review_call(experts_per_application=k, deadline=local_moment(2026, 6, 30, 23, 59))
    institution = InstitutionFactory()
    for _ in range(n_applications):
        under_review(call, institution)
    experts = [ExpertFactory(max_load_per_call=n_applications) for _ in range(n_experts)]
    return call, experts


def commit_queries(n_applications, n_experts):
    call, experts = a_call(n_applications, n_experts)
    staff = officer()
    plan = matching.preview_optimal(staff, call)
    with CaptureQueriesContext(connection) as queries:
        created = matching.commit(staff, call, "optimal", plan.digest)
    return call, experts, created, len(queries)


def test_the_commit_costs_the_same_number_of_queries_for_4_or_12_applications():
    """What the officer waits for (the notifications are written after the commit, by the outbox's task)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(Assignment)  # cached once per process, not per commit
    *_rest, small = commit_queries(4, 3)
    *_rest, large = commit_queries(12, 3)
    assert small == large, (small, large)


def told_everyone(experts, tries=60):
    """Wait (at most 30 s) until every expert has the batch's notification: in-process it is there at once;
    where a real worker shares the database, a row it took is delivered by it. A row left unsent is
    published as beat's every-minute drain would."""
    for _ in range(tries):
        if all(Notification.objects.filter(recipient=e.user, kind="assignments_created").exists() for e in experts):
            return
        outbox.drain()
        time.sleep(0.5)


@pytest.mark.django_db(transaction=True)
def test_every_assignment_keeps_its_own_audit_row_and_each_expert_hears_once(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the outbox task runs here, even where a real worker listens
    call, experts, created, _queries = commit_queries(6, 3)
    assert len(created) == 12 == Assignment.objects.filter(application__call=call).count()
    logs = TransitionLog.objects.filter(transition="create", object_id__in=[a.pk for a in created],
                                        content_type__model="assignment")
    assert logs.count() == 12
    assert {log.comment.split(",")[0] for log in logs} == {"Optimal assignment"}
    told_everyone(experts)
    [message] = OutboxMessage.objects.filter(task_name=FAN_OUT_BATCH_TASK)
    assert message.sent_at is not None and message.last_error == "", (message.attempts, message.last_error)
    for expert in experts:
        mine = Notification.objects.filter(recipient=expert.user, kind="assignments_created")
        assert mine.count() == 1, list(Notification.objects.values_list("recipient_id", "kind", "key"))
        count = Assignment.objects.filter(expert=expert, application__call=call).count()
        assert mine.get().title == f"新的评审任务：{count} 项"  # the recipient's language (Chinese by default)
        assert "2026-06-30 23:59" in mine.get().body
    assert not Notification.objects.filter(kind="assignment_created").exists()


def test_a_stale_preview_is_refused_and_nothing_is_written():
    from poc.errors import NotNow

    call, experts = a_call(3, 3)
    staff = officer()
    plan = matching.preview_optimal(staff, call)
    # The pool changed after the preview: an expert of the plan left it, another joined.
    left = plan.rows[0]["expert"]
    type(left).objects.filter(pk=left.pk).update(active=False)
    ExpertFactory(max_load_per_call=3)
    with pytest.raises(NotNow):
        matching.commit(staff, call, "optimal", plan.digest)
    assert not Assignment.objects.filter(application__call=call).exists()


def test_a_change_that_leaves_the_optimum_as_it_was_commits_the_previewed_plan():
    """A stale preview is one whose result would differ; a new expert the solver would not use changes nothing."""
    call, experts = a_call(3, 3)
    staff = officer()
    plan = matching.preview_optimal(staff, call)
    ExpertFactory(max_load_per_call=3, active=False)  # joins the pool inactive: the input the solver sees is the same
    created = matching.commit(staff, call, "optimal", plan.digest)
    assert sorted((a.application_id, a.expert_id) for a in created) == sorted(
        (row["application"].pk, row["expert"].pk) for row in plan.rows)


@pytest.mark.django_db(transaction=True)
def test_the_assigned_expert_sees_the_application_through_the_assignment_row():
    from poc.access import can, visible
    from poc.models import Application

    call, experts, created, _queries = commit_queries(2, 2)
    expert_user = created[0].expert.user
    assert can(expert_user, "view", created[0].application)
    assert created[0].application in visible(expert_user, Application)
    with time_machine.travel(local_moment(2026, 5, 13, 10, 0)):
        created[0].refresh_from_db()
    from poc.workflow import run_transition

    run_transition(created[0], "unassign", officer(), comment="Replaced")
    assert not can(expert_user, "view", created[0].application)


def _solver_must_not_run(*args, **kwargs):
    raise AssertionError("the commit solved again although the previewed plan was kept and still valid")


def test_the_commit_writes_the_kept_preview_without_solving_again(monkeypatch):
    """The officer waits for the gathering and the writes, not for a second solve."""
    call, experts = a_call(4, 3)
    staff = officer()
    plan = matching.preview_optimal(staff, call)
    monkeypatch.setattr(matching, "solve_assignment", _solver_must_not_run)
    created = matching.commit(staff, call, "optimal", plan.digest)
    assert sorted((a.application_id, a.expert_id) for a in created) == sorted(
        (row["application"].pk, row["expert"].pk) for row in plan.rows)


def test_a_draw_commit_writes_the_kept_draw_for_its_seed(monkeypatch):
    call, experts = a_call(3, 3)
    staff = officer()
    plan = matching.preview_draw(staff, call, seed=11)
    monkeypatch.setattr(matching, "draw_experts", _solver_must_not_run)
    created = matching.commit(staff, call, "draw", plan.digest, seed=11)
    assert len(created) == len(plan.rows) == 6


def test_without_the_kept_plan_the_commit_solves_again_and_writes_the_same_plan():
    from django.core.cache import cache

    call, experts = a_call(4, 3)
    staff = officer()
    plan = matching.preview_optimal(staff, call)
    cache.clear()  # another server's cache, or the plan expired
    created = matching.commit(staff, call, "optimal", plan.digest)
    assert len(created) == len(plan.rows)


def test_a_kept_plan_is_refused_once_a_conflict_is_declared_after_the_preview():
    from poc.errors import NotNow
    from review.models import Conflict, ConflictSource

    call, experts = a_call(3, 3)
    staff = officer()
    plan = matching.preview_optimal(staff, call)
    row = plan.rows[0]
    Conflict.objects.create(application=row["application"], expert=row["expert"], source=ConflictSource.DECLARED,
                            recorded_by=row["expert"].user, reason="Co-author of the applicant")
    with pytest.raises(NotNow):
        matching.commit(staff, call, "optimal", plan.digest)
    assert not Assignment.objects.filter(application__call=call).exists()


def test_keywords_changed_after_the_preview_make_the_commit_look_again(monkeypatch):
    """The kept plan's fingerprint covers the fields and keywords the affinities come from: a change there is
    not written blindly, the commit solves again (and refuses if the plan differs)."""
    from poc.errors import NotNow

    call, experts = a_call(4, 3)
    staff = officer()
    plan = matching.preview_optimal(staff, call)
    type(experts[0]).objects.filter(pk=experts[0].pk).update(keywords="全新方向,另一个方向")
    monkeypatch.setattr(matching, "solve_assignment", _solver_must_not_run)
    with pytest.raises(AssertionError, match="solved again"):
        matching.commit(staff, call, "optimal", plan.digest)
    monkeypatch.undo()
    try:
        created = matching.commit(staff, call, "optimal", plan.digest)
    except NotNow:
        assert not Assignment.objects.filter(application__call=call).exists()
    else:
        assert sorted((a.application_id, a.expert_id) for a in created) == sorted(
            (row["application"].pk, row["expert"].pk) for row in plan.rows)
