"""The audit trail (DESIGN §2): every state change writes one immutable row, and a change that loses
a race writes none."""
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.db.models.signals import pre_save
from django_fsm import ConcurrentTransition

from poc import gates
from poc.applications import services
from poc.errors import NotNow
from poc.models import Application, ImmutableRecordError, TransitionLog
from poc.selectors import history_of
from poc.workflow import run_transition
from tests.factories import CallFactory, InstitutionFactory, applicant_of, make_application, officer
from tests.poc.workflow_support import always_passes, gate_answers, local_moment, rules_environment, snapshot

NOW = local_moment(2026, 5, 12, 10, 0)

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks and serialises writers (run with DATABASE_URL=postgres://…)",
)


@pytest.fixture(autouse=True)
def _environment():
    with rules_environment():
        yield


@pytest.fixture
def logged(db):
    """An application with one audit row (its submission)."""
    institution = InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(CallFactory(), institution, created_by=owner)
    run_transition(app, "submit", owner, "Ready.")
    return TransitionLog.objects.for_object(app).get()


# ------------------------------------------------------------ immutability


def test_a_row_cannot_be_changed_and_saved(logged):
    logged.comment = "Rewritten history."
    with pytest.raises(ImmutableRecordError):
        logged.save()
    with pytest.raises(ImmutableRecordError):
        logged.save(update_fields=["comment"])
    assert TransitionLog.objects.get(pk=logged.pk).comment == "Ready."


def test_a_row_cannot_be_deleted(logged):
    with pytest.raises(ImmutableRecordError):
        logged.delete()
    assert TransitionLog.objects.filter(pk=logged.pk).exists()


def test_rows_cannot_be_updated_through_a_queryset(logged):
    with pytest.raises(ImmutableRecordError):
        TransitionLog.objects.filter(pk=logged.pk).update(comment="Rewritten history.")
    with pytest.raises(ImmutableRecordError):
        TransitionLog.objects.update(actor=None)
    logged.comment = "Rewritten history."
    with pytest.raises(ImmutableRecordError):
        TransitionLog.objects.bulk_update([logged], ["comment"])
    assert TransitionLog.objects.get(pk=logged.pk).comment == "Ready."


def test_rows_cannot_be_overwritten_by_an_upsert(logged):
    forged = TransitionLog(pk=logged.pk, content_type=logged.content_type, object_id=logged.object_id,
                           transition="approve", source="submitted", target="approved", actor=logged.actor,
                           comment="Rewritten history.")
    with pytest.raises(ImmutableRecordError):
        TransitionLog.objects.bulk_create([forged], update_conflicts=True, unique_fields=["id"],
                                          update_fields=["transition", "target", "comment"])
    assert TransitionLog.objects.get(pk=logged.pk).comment == "Ready."


def test_rows_cannot_be_deleted_through_a_queryset(logged):
    with pytest.raises(ImmutableRecordError):
        TransitionLog.objects.filter(pk=logged.pk).delete()
    with pytest.raises(ImmutableRecordError):
        TransitionLog.objects.all().delete()
    assert TransitionLog.objects.filter(pk=logged.pk).exists()


def test_the_actor_of_a_row_cannot_be_deleted(logged):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        logged.actor.delete()


# ------------------------------------------------------- one row per change


@pytest.mark.django_db
def test_every_step_of_a_designation_writes_exactly_one_row():
    with time_machine.travel(NOW, tick=False):
        staff = officer()
        call = CallFactory(kind="poc_center", notice_days=7)
        institution = InstitutionFactory()
        owner = applicant_of(institution)
        app = make_application(call, institution, created_by=owner)
    steps = [
        ("submit", owner, ""),
        ("return_for_revision", staff, "Audit report unsigned."),
        ("resubmit", owner, "Signed report attached."),
        ("accept_for_review", staff, ""),
        ("close_review", staff, ""),
        ("propose", staff, ""),
        ("record_objection", staff, "The site lease ends this year."),
        ("dismiss_objection", staff, "The lease was renewed."),
    ]
    moment = NOW
    with gate_answers(gates.reviews_complete, always_passes):
        for name, user, comment in steps:
            moment += timedelta(hours=1)
            with time_machine.travel(moment, tick=False):
                before = TransitionLog.objects.count()
                source = Application.objects.get(pk=app.pk).state
                details = {"objector": "李某", "contact": "13800000000"} if name == "record_objection" else {}
                app = run_transition(app, name, user, comment, **details)
                assert TransitionLog.objects.count() == before + 1
                row = TransitionLog.objects.latest("id")
                assert (row.subject, row.transition, row.source, row.target, row.actor, row.comment,
                        row.created_at) == (app, name, source, app.state, user, comment, moment)
        with time_machine.travel(NOW + timedelta(days=8), tick=False):
            app = run_transition(app, "approve", staff, "")

    trail = [(r.transition, r.source, r.target) for r in history_of(app)]
    assert trail == [
        ("submit", "draft", "submitted"),
        ("return_for_revision", "submitted", "returned"),
        ("resubmit", "returned", "submitted"),
        ("accept_for_review", "submitted", "under_review"),
        ("close_review", "under_review", "reviewed"),
        ("propose", "reviewed", "public_notice"),
        ("record_objection", "public_notice", "objection"),
        ("dismiss_objection", "objection", "public_notice"),
        ("approve", "public_notice", "approved"),
    ]


@pytest.mark.django_db
def test_starting_an_application_writes_its_creation_row():
    with time_machine.travel(NOW, tick=False):
        institution = InstitutionFactory()
        owner = applicant_of(institution)
        app = services.start_application(owner, CallFactory(), "固态电池概念验证")
    (row,) = history_of(app)
    assert (row.transition, row.source, row.target, row.actor, row.created_at) == ("create", "", "draft", owner, NOW)


# ------------------------------------------------------------- concurrency


@pytest.mark.django_db
def test_two_copies_submitted_one_after_the_other_change_the_state_once():
    institution = InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(CallFactory(), institution, created_by=owner)
    first_copy = Application.objects.get(pk=app.pk)
    second_copy = Application.objects.get(pk=app.pk)  # loaded before the first one is submitted

    run_transition(first_copy, "submit", owner, "")
    with pytest.raises(NotNow) as refused:
        run_transition(second_copy, "submit", owner, "")
    assert refused.value.status == 409
    assert refused.value.messages == ["“Submit” is not possible while the application is “Submitted”."]
    assert Application.objects.get(pk=app.pk).state == "submitted"
    assert [r.transition for r in history_of(app)] == ["submit"]


@pytest.mark.django_db
def test_a_stale_copy_cannot_overwrite_a_state_changed_meanwhile():
    """ConcurrentTransitionMixin: saving a copy whose state changed in the database fails."""
    institution = InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(CallFactory(), institution, created_by=owner)
    first_copy = Application.objects.get(pk=app.pk)
    second_copy = Application.objects.get(pk=app.pk)
    first_copy.submit(by=owner)
    first_copy.save()
    second_copy.withdraw(by=owner)
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second_copy.save()
    assert Application.objects.get(pk=app.pk).state == "submitted"


@pytest.mark.django_db
def test_a_step_that_loses_a_race_at_the_last_moment_is_refused_and_leaves_no_row():
    """Another writer changes the state between the check and the save (as it could without the row
    lock, e.g. on SQLite across processes): the step is rolled back and answered 409."""
    institution = InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(CallFactory(), institution, created_by=owner)
    before = snapshot(app)

    def concurrent_withdrawal(sender, instance, **kwargs):
        if instance.pk == app.pk:
            Application.objects.filter(pk=app.pk).update(state="withdrawn")

    pre_save.connect(concurrent_withdrawal, sender=Application)
    try:
        with pytest.raises(NotNow) as refused:
            run_transition(app, "submit", owner, "")
    finally:
        pre_save.disconnect(concurrent_withdrawal, sender=Application)
    assert refused.value.status == 409
    assert refused.value.messages == ["Someone else changed this record at the same moment; reload it and try again."]
    assert snapshot(app) == before  # the whole attempt, the other writer's change included, rolled back


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_change_the_state_once():
    institution = InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(CallFactory(), institution, created_by=owner)
    copies = [Application.objects.get(pk=app.pk) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes = [None, None]

    def submit(i):
        try:
            start.wait(timeout=10)
            with rules_environment():
                run_transition(copies[i], "submit", owner, f"copy {i}")
            outcomes[i] = "submitted"
        except NotNow as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(o if isinstance(o, str) else "refused" for o in outcomes) == ["refused", "submitted"]
    refusal = next(o for o in outcomes if isinstance(o, NotNow))
    assert refusal.status == 409
    assert Application.objects.get(pk=app.pk).state == "submitted"
    assert [r.transition for r in history_of(app)] == ["submit"]
