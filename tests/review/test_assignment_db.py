"""Assigning experts through the database: manual rules, permissions, optimal assignment and random draw.

The solver itself is tested in test_assignment.py / test_draw.py; here the whole path is: gather the call
from the database, preview, commit (with the digest of the preview), permissions and audit rows.
"""
import re
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import translation

from poc.applications.selectors import applications_visible_to
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import TransitionLog
from review import matching, services
from review.models import Assignment, AssignmentMethod, AssignmentState, Review
from review.selectors import assignments_visible_to, reviews_visible_to
from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.review.factories import ExpertFactory, assign, local_moment, review_call, under_review

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def english_and_frozen():
    with translation.override("en"), time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


@pytest.fixture
def off():
    return officer()


def fresh(user):
    return User.objects.get(pk=user.pk)


def pairs(rows):
    return sorted((row["application"].pk, row["expert"].pk) for row in rows)


def active_pairs(call):
    return sorted(Assignment.objects.filter(application__call=call, state=AssignmentState.ACTIVE)
                  .values_list("application_id", "expert_id"))


# ------------------------------------------------------------------------------------ manual assignment

STATE_LABELS = {
    "draft": "Draft", "submitted": "Submitted", "returned": "Returned for revision", "reviewed": "Reviewed",
    "public_notice": "Public notice", "approved": "Approved", "rejected": "Rejected", "withdrawn": "Withdrawn",
}


@pytest.mark.parametrize("state", list(STATE_LABELS))
def test_experts_are_assigned_only_under_review(off, state):
    app = make_application(review_call(), state=state)
    expert = ExpertFactory()
    with pytest.raises(NotNow) as exc:
        services.assign_manually(off, app, expert)
    assert exc.value.messages == [
        f"Experts are assigned while the application is under review; it is “{STATE_LABELS[state]}”."]
    assert not Assignment.objects.exists()


def test_manual_assignment_creates_the_review_grants_access_and_writes_the_audit_row(off):
    app = under_review(review_call())
    expert = ExpertFactory()
    assert not applications_visible_to(fresh(expert.user)).exists()

    assignment = services.assign_manually(off, app, expert)

    assert (assignment.state, assignment.method, assignment.assigned_by) == ("active", AssignmentMethod.MANUAL, off)
    review = Review.objects.get(assignment=assignment)
    assert review.state == "draft"
    user = fresh(expert.user)
    assert user.has_perm("poc.view_application", app)
    assert not user.has_perm("poc.change_application", app)
    assert user.has_perm("review.view_review", review)
    assert user.has_perm("review.change_review", review)
    assert list(applications_visible_to(user)) == [app]
    assert list(assignments_visible_to(user)) == [assignment]
    assert list(reviews_visible_to(user)) == [review]
    log = TransitionLog.objects.for_object(assignment).get()
    assert (log.transition, log.source, log.target, log.actor) == ("create", "", "active", off)


@pytest.mark.parametrize(("change", "attr"), [("pledge", "pledge_signed_on"), ("inactive", "active")])
def test_expert_must_be_active_with_the_pledge_signed(off, change, attr):
    app = under_review(review_call())
    expert = ExpertFactory(name="刘教授", **{attr: None if change == "pledge" else False})
    with pytest.raises(BadInput) as exc:
        services.assign_manually(off, app, expert)
    assert exc.value.messages == [
        "刘教授 cannot review: inactive, or the integrity and confidentiality pledge is not signed."]
    assert not Assignment.objects.exists()


def test_no_duplicate_assignment(off):
    app = under_review(review_call(), number="2026-PC-0007")
    expert = ExpertFactory(name="刘教授")
    services.assign_manually(off, app, expert)
    with pytest.raises(BadInput) as exc:
        services.assign_manually(off, app, expert)
    assert exc.value.messages == ["刘教授 is already assigned to 2026-PC-0007."]
    assert Assignment.objects.count() == 1


def test_reassigning_after_an_unassignment_without_conflict_is_allowed(off):
    app = under_review(review_call())
    expert = ExpertFactory()
    first = services.assign_manually(off, app, expert)
    services.unassign(off, first, "Wrong field.")
    second = services.assign_manually(off, app, expert)
    assert second.pk != first.pk and second.state == "active"
    assert fresh(expert.user).has_perm("poc.view_application", app)
    assert fresh(expert.user).has_perm("review.change_review", second.review)
    assert not fresh(expert.user).has_perm("review.change_review", first.review)


def test_load_cap_per_call(off):
    call, other_call = review_call(), review_call()
    apps = [under_review(call) for _ in range(3)]
    expert = ExpertFactory(name="刘教授", max_load_per_call=2)
    services.assign_manually(off, under_review(other_call), expert)  # another call does not count
    services.assign_manually(off, apps[0], expert)
    second = services.assign_manually(off, apps[1], expert)
    with pytest.raises(BadInput) as exc:
        services.assign_manually(off, apps[2], expert)
    assert exc.value.messages == ["刘教授 already has 2 reviews in this call, the maximum."]
    services.unassign(off, second, "Too busy.")  # a voided assignment frees its place
    services.assign_manually(off, apps[2], expert)
    assert services.load_of(expert, call) == 2


@pytest.mark.parametrize("who", ["expert", "applicant", "anonymous"])
def test_only_officers_assign(who):
    from django.contrib.auth.models import AnonymousUser

    inst = InstitutionFactory()
    app = under_review(review_call(), inst)
    user = {"expert": lambda: ExpertFactory().user, "applicant": lambda: applicant_of(inst),
            "anonymous": AnonymousUser}[who]()
    with pytest.raises(NotAllowed) as exc:
        services.assign_manually(user, app, ExpertFactory())
    assert exc.value.messages == ["Only bureau officers can assign experts."]
    assert not Assignment.objects.exists()


def test_unassigning_needs_a_reason_and_revokes_access_at_once(off):
    app = under_review(review_call())
    expert = ExpertFactory()
    assignment = services.assign_manually(off, app, expert)
    with pytest.raises(BadInput):
        services.unassign(off, assignment, "")
    assert fresh(expert.user).has_perm("poc.view_application", app)
    services.unassign(off, assignment, "Replaced by a closer expert.")
    user = fresh(expert.user)
    assert not user.has_perm("poc.view_application", app)
    assert not user.has_perm("review.view_review", assignment.review)
    assert not applications_visible_to(user).exists()
    assert not reviews_visible_to(user).exists()
    # The expert still sees the voided assignment in their own list (with its reason), nothing more.
    assert [(a.state, a.voided_reason) for a in assignments_visible_to(user)] == [
        ("voided", "Replaced by a closer expert.")]


def test_unassigning_one_application_keeps_the_others(off):
    call = review_call()
    a, b = under_review(call), under_review(call)
    expert = ExpertFactory()
    first = services.assign_manually(off, a, expert)
    services.assign_manually(off, b, expert)
    services.unassign(off, first, "Wrong field.")
    assert list(applications_visible_to(fresh(expert.user))) == [b]


# --------------------------------------------------------------------------------- optimal assignment

@pytest.fixture
def small_call():
    """Two applications needing 2 experts each, five experts of which four fit.

    Battery application: keywords battery, anode. Pump application: pump, valve. Experts: B1 (battery,
    anode), B2 (battery), P1 (pump, valve), P2 (pump), X (textiles, in another field: not eligible).
    The best assignment is obvious: B1, B2 on the battery application; P1, P2 on the pump application.
    """
    call = review_call(experts_per_application=2)
    battery = under_review(call, number="2026-PC-0001", keywords="battery, anode")
    pump = under_review(call, number="2026-PC-0002", keywords="pump, valve")
    experts = {
        "B1": ExpertFactory(keywords="battery, anode"),
        "B2": ExpertFactory(keywords="battery"),
        "P1": ExpertFactory(keywords="pump, valve"),
        "P2": ExpertFactory(keywords="pump"),
        "X": ExpertFactory(keywords="textiles", disciplines=["CONS.SHOES"]),
    }
    return call, battery, pump, experts


def test_optimal_preview_saves_nothing_and_commit_saves_it(off, small_call):
    call, battery, pump, e = small_call
    plan = matching.preview_optimal(off, call)
    expected = sorted([(battery.pk, e["B1"].pk), (battery.pk, e["B2"].pk), (pump.pk, e["P1"].pk),
                       (pump.pk, e["P2"].pk)])
    assert pairs(plan.rows) == expected
    assert not Assignment.objects.exists()

    created = matching.commit(off, call, "optimal", plan.digest)

    assert active_pairs(call) == expected
    assert {a.method for a in created} == {AssignmentMethod.OPTIMAL}
    by_pair = {(row["application"].pk, row["expert"].pk): row["affinity"] for row in plan.rows}
    for a in created:
        assert float(a.affinity) == pytest.approx(by_pair[(a.application_id, a.expert_id)], abs=1e-6)
        assert a.draw_seed is None
        log = TransitionLog.objects.for_object(a).get()
        assert log.comment == f"Optimal assignment, affinity {by_pair[(a.application_id, a.expert_id)]}"
        assert fresh(a.expert.user).has_perm("poc.view_application", a.application)
        assert Review.objects.filter(assignment=a, state="draft").exists()
    assert not applications_visible_to(fresh(e["X"].user)).exists()
    # Everything assigned: nothing left to do.
    with pytest.raises(NotNow) as exc:
        matching.preview_optimal(off, call)
    assert exc.value.messages == ["No application of this call under review needs more experts."]


def test_same_input_same_result(off, small_call):
    call, *_ = small_call
    first, second = matching.preview_optimal(off, call), matching.preview_optimal(off, call)
    assert pairs(first.rows) == pairs(second.rows)
    assert first.digest == second.digest
    assert first.total_affinity == second.total_affinity


def test_optimal_fills_only_what_is_missing(off, small_call):
    call, battery, pump, e = small_call
    services.assign_manually(off, battery, e["B2"])
    plan = matching.preview_optimal(off, call)
    assert [(r["application"].pk, r["expert"].pk) for r in plan.rows if r["application"] == battery] == [
        (battery.pk, e["B1"].pk)]
    assert len(plan.rows) == 3


def test_optimal_respects_the_load_left_in_the_call(off, small_call):
    call, battery, pump, e = small_call
    e["B1"].max_load_per_call = 1
    e["B1"].save(update_fields=["max_load_per_call"])
    third = under_review(call, keywords="battery")
    services.assign_manually(off, third, e["B1"])  # B1's one place in this call is taken
    plan = matching.preview_optimal(off, call)
    assert e["B1"].pk not in {r["expert"].pk for r in plan.rows}
    assert len([r for r in plan.rows if r["application"] == third]) == 1
    assert len([r for r in plan.rows if r["application"] == battery]) == 2


def test_only_officers_preview_or_commit(small_call):
    call, *_ = small_call
    user = ExpertFactory().user
    with pytest.raises(NotAllowed):
        matching.preview_optimal(user, call)
    with pytest.raises(NotAllowed):
        matching.preview_draw(user, call, seed=1)
    with pytest.raises(NotAllowed):
        matching.commit(user, call, "optimal", "0" * 16)
    assert not Assignment.objects.exists()


def test_infeasible_names_the_application(off):
    call = review_call(experts_per_application=3)
    under_review(call, number="2026-PC-0001")
    ExpertFactory(), ExpertFactory()
    ExpertFactory(disciplines=["LIFE.PHARMA"])  # another field: not eligible
    for preview in (lambda: matching.preview_optimal(off, call), lambda: matching.preview_draw(off, call, seed=7)):
        with pytest.raises(NotNow) as exc:
            preview()
        assert exc.value.messages == ["total capacity 2 < demand 3",
                                      "application 2026-PC-0001 has only 2 eligible experts; needs 3"]
    assert not Assignment.objects.exists()


def test_infeasible_total_capacity(off):
    call = review_call(experts_per_application=3)
    under_review(call, number="2026-PC-0001")
    under_review(call, number="2026-PC-0002")
    for _ in range(4):
        ExpertFactory(max_load_per_call=1)
    with pytest.raises(NotNow) as exc:
        matching.preview_optimal(off, call)
    assert exc.value.messages == ["total capacity 4 < demand 6"]


def test_infeasible_hall_shortage_names_the_applications(off):
    """Enough experts overall and for each application alone, but not for the two together."""
    call = review_call(experts_per_application=2)
    first = under_review(call, number="2026-PC-0001", discipline_codes=["LIFE.PHARMA"])
    second = under_review(call, number="2026-PC-0002", discipline_codes=["LIFE.PHARMA"])
    under_review(call, number="2026-PC-0003", discipline_codes=["ENG.MAT"])
    ExpertFactory(name="吴教授", disciplines=["LIFE.PHARMA"], max_load_per_call=1)
    ExpertFactory(name="郑教授", disciplines=["LIFE.PHARMA"], max_load_per_call=1)
    ExpertFactory(name="冯教授", disciplines=["LIFE.PHARMA", "ENG.MAT"], max_load_per_call=1)
    for _ in range(3):
        ExpertFactory(disciplines=["ENG.MAT"])
    with pytest.raises(NotNow) as exc:
        matching.preview_optimal(off, call)
    text = exc.value.detail
    assert ("applications 2026-PC-0001, 2026-PC-0002 need 4 reviews together but their eligible experts "
            "(吴教授, 郑教授, 冯教授) can give them at most 3") in text
    assert f"application {first.number}" in text or f"application {second.number}" in text
    assert not re.search(r"\bapplications? \d+(,|\s|$)", text)  # no raw database id left in the message


def test_stale_digest_is_refused(off, small_call):
    call, battery, pump, e = small_call
    plan = matching.preview_optimal(off, call)
    services.pin_conflict(off, battery, e["B1"], "Competitor.")  # the input changed meanwhile
    with pytest.raises(NotNow) as exc:
        matching.commit(off, call, "optimal", plan.digest)
    assert exc.value.messages == ["The applications, experts or conflicts changed since the preview; preview again."]
    assert not Assignment.objects.exists()
    fresh_plan = matching.preview_optimal(off, call)
    assert e["B1"].pk not in {r["expert"].pk for r in fresh_plan.rows if r["application"] == battery}
    matching.commit(off, call, "optimal", fresh_plan.digest)
    assert len(active_pairs(call)) == 4


def test_a_new_expert_in_the_pool_also_makes_the_preview_stale(off, small_call):
    call, *_ = small_call
    plan = matching.preview_optimal(off, call)
    ExpertFactory(keywords="battery, anode")
    with pytest.raises(NotNow):
        matching.commit(off, call, "optimal", plan.digest)
    assert not Assignment.objects.exists()


# ---------------------------------------------------------------------------------------- random draw

@pytest.fixture
def draw_call():
    """Three applications needing 3 experts each, a pool of 12 eligible experts and 2 ineligible ones."""
    call = review_call(experts_per_application=3)
    apps = [under_review(call, number=f"2026-PC-000{i}") for i in (1, 2, 3)]
    eligible = [ExpertFactory() for _ in range(12)]
    outsiders = [ExpertFactory(disciplines=["LIFE.AGRI"]), ExpertFactory(pledge_signed_on=None)]
    return call, apps, eligible, outsiders


def test_draw_is_reproducible_from_its_seed(off, draw_call):
    call, apps, eligible, outsiders = draw_call
    first = matching.preview_draw(off, call, seed=20260512)
    again = matching.preview_draw(off, call, seed=20260512)
    assert pairs(first.rows) == pairs(again.rows)
    assert first.digest == again.digest
    assert first.seed == 20260512
    others = {tuple(pairs(matching.preview_draw(off, call, seed=s).rows)) for s in range(1, 9)}
    assert len(others) > 1  # different seeds give different draws
    for s in range(1, 9):
        drawn = {r["expert"].pk for r in matching.preview_draw(off, call, seed=s).rows}
        assert not drawn & {o.pk for o in outsiders}
    assert not Assignment.objects.exists()


def test_draw_commit_records_the_seed(off, draw_call):
    call, apps, eligible, _ = draw_call
    plan = matching.preview_draw(off, call, seed=424242)
    created = matching.commit(off, call, "draw", plan.digest, seed=424242)
    assert sorted((a.application_id, a.expert_id) for a in created) == pairs(plan.rows)
    for a in created:
        assert (a.method, a.draw_seed, a.affinity) == (AssignmentMethod.DRAW, 424242, None)
        assert TransitionLog.objects.for_object(a).get().comment == "Random draw, seed 424242"
    for app in apps:
        assert app.assignments.filter(state="active").count() == 3


def test_draw_commit_with_another_seed_is_stale(off, draw_call):
    call, *_ = draw_call
    plan = matching.preview_draw(off, call, seed=1)
    other = matching.preview_draw(off, call, seed=2)
    assert pairs(plan.rows) != pairs(other.rows)  # seeds 1 and 2 differ on this pool
    with pytest.raises(NotNow):
        matching.commit(off, call, "draw", plan.digest, seed=2)
    with pytest.raises(NotNow):
        matching.commit(off, call, "draw", plan.digest)  # no seed: a fresh one is made, and differs
    assert not Assignment.objects.exists()


def test_draw_without_a_seed_makes_one_and_reports_it(off, draw_call):
    call, *_ = draw_call
    plan = matching.preview_draw(off, call)
    assert isinstance(plan.seed, int) and 0 <= plan.seed < 2**63
    assert pairs(matching.preview_draw(off, call, seed=plan.seed).rows) == pairs(plan.rows)


def test_draw_takes_the_load_left_into_account(off, draw_call):
    call, apps, eligible, _ = draw_call
    for e in eligible:
        e.max_load_per_call = 1
        e.save(update_fields=["max_load_per_call"])
    assign(apps[0], eligible[0], off)
    assign(apps[0], eligible[1], off)
    plan = matching.preview_draw(off, call, seed=99)
    drawn = [r["expert"].pk for r in plan.rows]
    assert len(drawn) == 1 + 3 + 3
    assert len(set(drawn)) == len(drawn)  # each expert at most once: load 1
    assert not {eligible[0].pk, eligible[1].pk} & set(drawn)


# ------------------------------------------------------------------------------------------ concurrency

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks and serialises writers (run with DATABASE_URL=postgres://…)",
)


@pytest.fixture
def committed_reference_data(transactional_db):
    """The role groups and the discipline taxonomy (see tests/reference_data.py)."""
    from tests.reference_data import ensure_reference_data

    ensure_reference_data()


def at_the_same_time(*jobs):
    """Run each job in its own thread and database connection, released together; their outcomes."""
    start = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(i):
        try:
            start.wait(timeout=10)
            with translation.override("en"):
                outcomes[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001 (the test looks at it)
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_cannot_overload_an_expert_at_the_same_moment(committed_reference_data):
    off, other = officer(), officer()
    call = review_call()
    a, b = under_review(call), under_review(call)
    expert = ExpertFactory(name="刘教授", max_load_per_call=1)
    outcomes = at_the_same_time(lambda: services.assign_manually(off, a, expert),
                                lambda: services.assign_manually(other, b, expert))
    assert sorted(type(o).__name__ for o in outcomes) == ["Assignment", "BadInput"]
    refusal = next(o for o in outcomes if isinstance(o, BadInput))
    assert refusal.messages == ["刘教授 already has 1 reviews in this call, the maximum."]
    assert services.load_of(expert, call) == 1


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_pair_assigned_twice_at_the_same_moment_is_refused_not_an_error(committed_reference_data):
    off, other = officer(), officer()
    app = under_review(review_call(), number="2026-PC-0009")
    expert = ExpertFactory(name="刘教授")
    outcomes = at_the_same_time(lambda: services.assign_manually(off, app, expert),
                                lambda: services.assign_manually(other, app, expert))
    assert sorted(type(o).__name__ for o in outcomes) == ["Assignment", "BadInput"]
    refusal = next(o for o in outcomes if isinstance(o, BadInput))
    assert refusal.messages == ["刘教授 is already assigned to 2026-PC-0009."]


def test_infeasibility_reasons_are_translated_for_a_chinese_officer(off):
    """The solver's findings are worded in the officer's language, with application numbers, not database ids."""
    call = review_call(experts_per_application=3)
    under_review(call, number="2026-PC-0001")
    ExpertFactory(), ExpertFactory()
    with translation.override("zh-hans"), pytest.raises(NotNow) as exc:
        matching.preview_optimal(off, call)
    assert exc.value.messages == ["专家可承担的评审总数 2 少于所需评审数 3",
                                  "申报 2026-PC-0001 只有 2 名符合条件的专家，需要 3 名"]
    assert not Assignment.objects.exists()


def test_a_hall_shortage_is_translated_too(off):
    call = review_call(experts_per_application=2)
    under_review(call, number="2026-PC-0001", discipline_codes=["LIFE.PHARMA"])
    under_review(call, number="2026-PC-0002", discipline_codes=["LIFE.PHARMA"])
    under_review(call, number="2026-PC-0003", discipline_codes=["ENG.MAT"])
    ExpertFactory(name="吴教授", disciplines=["LIFE.PHARMA"], max_load_per_call=1)
    ExpertFactory(name="郑教授", disciplines=["LIFE.PHARMA"], max_load_per_call=1)
    ExpertFactory(name="冯教授", disciplines=["LIFE.PHARMA", "ENG.MAT"], max_load_per_call=1)
    for _ in range(3):
        ExpertFactory(disciplines=["ENG.MAT"])
    with translation.override("zh-hans"), pytest.raises(NotNow) as exc:
        matching.preview_optimal(off, call)
    first, second = exc.value.messages
    assert first == ("最多只能安排 5 份评审，少于所需的 6 份：申报 2026-PC-0001, 2026-PC-0002 合计需要 4 份评审，"
                     "但符合条件的专家（吴教授, 郑教授, 冯教授）最多只能承担 3 份")
    assert second.startswith("在可行的最大部分分配中仍不足：申报 2026-PC-000")
