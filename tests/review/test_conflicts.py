"""Conflicts of interest (回避, DOMAIN.md §4): each automatic rule, declared and pinned conflicts, and the
promise that a conflicted expert is never assigned (by hand, by the optimiser or by a draw) and never
sees the application.
"""
from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import translation

from poc.applications.selectors import application_for, applications_visible_to
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import TeamMember, TransitionLog
from review import matching, services
from review.conflicts import automatic_conflicts, conflict_reason, conflicts_of, record_automatic_conflicts
from review.models import Assignment, AssignmentState, Conflict, ConflictSource
from review.selectors import reviews_visible_to
from tests.factories import InstitutionFactory, officer
from tests.review.factories import (
    ExpertAffiliationFactory,
    ExpertFactory,
    assign,
    local_moment,
    review_call,
    submit_directly,
    under_review,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

TODAY = date(2026, 5, 12)


@pytest.fixture(autouse=True)
def english_and_frozen():
    with translation.override("en"), time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


@pytest.fixture
def setting():
    inst = InstitutionFactory(name="Wenzhou Institute of Materials")
    call = review_call(min_reviews=3)
    app = under_review(call, inst, number="2026-PC-0001")
    return {"call": call, "inst": inst, "app": app, "officer": officer()}


def sources(app, expert):
    return [source for source, _reason in automatic_conflicts(app, [expert]).get(expert.pk, [])]


def fresh(user):
    """The user read again, so no permission cache of an earlier check hides a change."""
    return User.objects.get(pk=user.pk)


def can_view(user, app) -> bool:
    user = fresh(user)
    return user.has_perm("poc.view_application", app) and applications_visible_to(user).filter(pk=app.pk).exists()


# --------------------------------------------------------------------------- automatic rules, one by one

def test_no_rule_fires_for_an_unrelated_expert(setting):
    other = ExpertFactory(name="王教授", institution=InstitutionFactory())
    assert automatic_conflicts(setting["app"], [other]) == {}
    assert conflicts_of(setting["app"], [other]) == {}
    assert conflict_reason(setting["app"], other) is None


def test_same_institution(setting):
    colleague = ExpertFactory(name="王教授", institution=setting["inst"])
    assert automatic_conflicts(setting["app"], [colleague]) == {
        colleague.pk: [(ConflictSource.SAME_INSTITUTION, "Works at Wenzhou Institute of Materials, the applicant.")]
    }


@pytest.mark.parametrize(
    ("ended_on", "conflict"),
    [
        (None, True),  # still affiliated
        (date(2026, 1, 31), True),
        (date(2023, 5, 13), True),  # 3 years ago minus a day
        (date(2023, 5, 12), True),  # exactly 3 years ago: "in the last 3 years" includes the day
        (date(2023, 5, 11), False),  # 3 years ago plus a day
        (date(2019, 12, 31), False),
    ],
)
def test_past_affiliation_within_three_years(setting, ended_on, conflict):
    former = ExpertFactory(name="王教授", institution=InstitutionFactory())
    ExpertAffiliationFactory(expert=former, institution=setting["inst"], ended_on=ended_on)
    found = automatic_conflicts(setting["app"], [former]).get(former.pk, [])
    if conflict:
        until = ended_on.isoformat() if ended_on else "now"
        assert found == [(ConflictSource.PAST_AFFILIATION,
                          f"Affiliated with Wenzhou Institute of Materials until {until} (within 3 years).")]
    else:
        assert found == []


def test_past_affiliation_elsewhere_is_no_conflict(setting):
    former = ExpertFactory(name="王教授", institution=InstitutionFactory())
    ExpertAffiliationFactory(expert=former, institution=InstitutionFactory(), ended_on=date(2026, 1, 1))
    assert sources(setting["app"], former) == []


def test_past_affiliation_boundary_on_a_leap_day():
    """On 29 February the 3-year limit falls on 28 February (there is no 29 February three years before)."""
    inst = InstitutionFactory()
    with time_machine.travel(local_moment(2028, 2, 29), tick=False):
        app = under_review(review_call(), inst)
        inside = ExpertFactory(institution=None)
        ExpertAffiliationFactory(expert=inside, institution=inst, ended_on=date(2025, 2, 28))
        outside = ExpertFactory(institution=None)
        ExpertAffiliationFactory(expert=outside, institution=inst, ended_on=date(2025, 2, 27))
        assert sources(app, inside) == [ConflictSource.PAST_AFFILIATION]
        assert sources(app, outside) == []


def test_team_member_by_name(setting):
    # make_application lists 李教授 as the project lead (负责人); names compare without spaces or case.
    lead = ExpertFactory(name="李 教授")
    TeamMember.objects.create(application=setting["app"], name="Wang Wei", role="Engineer")
    member = ExpertFactory(name="wang  WEI")
    namesake_elsewhere = ExpertFactory(name="李教授二")
    found = automatic_conflicts(setting["app"], [lead, member, namesake_elsewhere])
    assert found == {
        lead.pk: [(ConflictSource.TEAM_MEMBER, "Listed in the application's team as “负责人”.")],
        member.pk: [(ConflictSource.TEAM_MEMBER, "Listed in the application's team as “Engineer”.")],
    }


def test_exclusion_request_up_to_three_names(setting):
    app = setting["app"]
    app.excluded_experts = ["张三", "Li Si", "赵 六"]
    app.save(update_fields=["excluded_experts"])
    named = [ExpertFactory(name="张三"), ExpertFactory(name="li si"), ExpertFactory(name="赵六")]
    spared = ExpertFactory(name="钱七")
    found = automatic_conflicts(app, [*named, spared])
    assert set(found) == {e.pk for e in named}
    for e in named:
        assert found[e.pk] == [(ConflictSource.EXCLUSION_REQUEST, "The applicant asked to exclude this expert.")]


def test_several_rules_at_once_are_all_reported(setting):
    app = setting["app"]
    app.excluded_experts = ["李教授"]
    app.save(update_fields=["excluded_experts"])
    lead = ExpertFactory(name="李教授", institution=setting["inst"])
    assert sources(app, lead) == [ConflictSource.SAME_INSTITUTION, ConflictSource.TEAM_MEMBER,
                                  ConflictSource.EXCLUSION_REQUEST]
    assert conflict_reason(app, lead) == (
        "Works at Wenzhou Institute of Materials, the applicant.; Listed in the application's team as “负责人”.; "
        "The applicant asked to exclude this expert.")


def test_record_automatic_conflicts_stores_each_once(setting):
    app = setting["app"]
    colleague = ExpertFactory(institution=setting["inst"])
    lead = ExpertFactory(name="李教授")
    clean = ExpertFactory()
    assert record_automatic_conflicts(app, [colleague, lead, clean]) == 2
    assert record_automatic_conflicts(app, [colleague, lead, clean]) == 0
    stored = set(Conflict.objects.filter(application=app).values_list("expert_id", "source"))
    assert stored == {(colleague.pk, ConflictSource.SAME_INSTITUTION), (lead.pk, ConflictSource.TEAM_MEMBER)}


def test_conflicts_of_merges_stored_and_automatic(setting):
    app, off = setting["app"], setting["officer"]
    colleague = ExpertFactory(institution=setting["inst"])
    pinned = ExpertFactory()
    services.pin_conflict(off, app, pinned, "Co-founded a company with the lead in 2024.")
    record_automatic_conflicts(app, [colleague])  # stored and found by rule: reported once
    assert conflicts_of(app, [colleague, pinned]) == {
        colleague.pk: [(ConflictSource.SAME_INSTITUTION, "Works at Wenzhou Institute of Materials, the applicant.")],
        pinned.pk: [(ConflictSource.PINNED, "Co-founded a company with the lead in 2024.")],
    }


# --------------------------------------------------------------------------------------- declared

def test_declared_conflict_voids_the_assignment_and_revokes_access_at_once(setting):
    app, off = setting["app"], setting["officer"]
    expert = ExpertFactory()
    assignment = assign(app, expert, off)
    review = assignment.review
    assert can_view(expert.user, app)
    assert fresh(expert.user).has_perm("review.change_review", review)

    voided = services.declare_conflict(expert.user, assignment, "I co-authored two papers with the lead in 2025.")

    assert voided.state == AssignmentState.VOIDED
    assert voided.voided_reason == "I co-authored two papers with the lead in 2025."
    assert voided.voided_at is not None
    conflict = Conflict.objects.get(application=app, expert=expert)
    assert (conflict.source, conflict.reason, conflict.recorded_by) == (
        ConflictSource.DECLARED, "I co-authored two papers with the lead in 2025.", expert.user)
    log = TransitionLog.objects.for_object(assignment).get(transition="declare_conflict")
    assert (log.source, log.target, log.actor, log.comment) == (
        "active", "voided", expert.user, "I co-authored two papers with the lead in 2025.")
    # Access is gone in the same request: the application, the review, and the lists.
    user = fresh(expert.user)
    assert not can_view(user, app)
    assert application_for(user, app.pk) is None
    assert not user.has_perm("review.view_review", review)
    assert not user.has_perm("review.change_review", review)
    assert not reviews_visible_to(user).exists()


def test_declaring_needs_a_reason_and_changes_nothing_without_one(setting):
    expert = ExpertFactory()
    assignment = assign(setting["app"], expert, setting["officer"])
    with pytest.raises(BadInput) as exc:
        services.declare_conflict(expert.user, assignment, "   ")
    assert exc.value.messages == ["“Declare a conflict of interest” needs a reason: please write a comment."]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACTIVE
    assert not Conflict.objects.exists()
    assert can_view(expert.user, setting["app"])


def test_only_the_assigned_expert_declares(setting):
    expert, other = ExpertFactory(), ExpertFactory()
    assignment = assign(setting["app"], expert, setting["officer"])
    for user in (other.user, setting["officer"]):
        with pytest.raises(NotAllowed) as exc:
            services.declare_conflict(user, assignment, "I know them.")
        assert exc.value.messages == ["Only the assigned expert can declare a conflict of interest."]
    assert not Conflict.objects.exists()


def test_declaring_after_submitting_needs_a_reopen_first(setting):
    expert = ExpertFactory()
    assignment = assign(setting["app"], expert, setting["officer"])
    submit_directly(assignment.review, 80)
    with pytest.raises(NotNow) as exc:
        services.declare_conflict(expert.user, assignment, "I know them.")
    assert exc.value.messages == ["The review has already been submitted; an officer must reopen it first."]
    assert not Conflict.objects.exists()


# ---------------------------------------------------------------------------------------- pinned

def test_pinned_conflict_voids_an_active_assignment(setting):
    app, off = setting["app"], setting["officer"]
    expert = ExpertFactory()
    assignment = assign(app, expert, off)

    conflict = services.pin_conflict(off, app, expert, "Supervised the lead's PhD.")

    assert (conflict.source, conflict.reason, conflict.recorded_by) == (
        ConflictSource.PINNED, "Supervised the lead's PhD.", off)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.VOIDED
    assert assignment.voided_reason == "Conflict pinned: Supervised the lead's PhD."
    log = TransitionLog.objects.for_object(assignment).get(transition="unassign")
    assert (log.actor, log.comment) == (off, "Conflict pinned: Supervised the lead's PhD.")
    assert not can_view(expert.user, app)
    assert not fresh(expert.user).has_perm("review.view_review", assignment.review)


def test_pinning_a_submitted_review_reopens_then_voids_it(setting):
    app, off = setting["app"], setting["officer"]
    expert = ExpertFactory()
    assignment = assign(app, expert, off)
    submit_directly(assignment.review, 80)
    services.pin_conflict(off, app, expert, "Relative of the lead.")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.VOIDED
    assert assignment.review.state == "draft"
    assert [log.transition for log in TransitionLog.objects.for_object(assignment.review)] == ["reopen"]
    assert not can_view(expert.user, app)


def test_pinning_without_an_assignment_only_records(setting):
    expert = ExpertFactory()
    services.pin_conflict(setting["officer"], setting["app"], expert, "Competitor.")
    assert Conflict.objects.filter(source=ConflictSource.PINNED).count() == 1
    assert not Assignment.objects.exists()


def test_pinning_rules(setting):
    app, off = setting["app"], setting["officer"]
    expert = ExpertFactory()
    with pytest.raises(NotAllowed) as exc:
        services.pin_conflict(ExpertFactory().user, app, expert, "Competitor.")
    assert exc.value.messages == ["Only bureau officers can pin a conflict of interest."]
    with pytest.raises(BadInput) as exc:
        services.pin_conflict(off, app, expert, "  ")
    assert exc.value.messages == ["A pinned conflict needs a reason."]
    assert not Conflict.objects.exists()
    services.pin_conflict(off, app, expert, "Competitor.")
    with pytest.raises(BadInput) as exc:
        services.pin_conflict(off, app, expert, "Again.")
    assert exc.value.messages == ["This conflict is already pinned."]


# ---------------------------------------------- a conflicted expert is never assigned and never sees it

CONFLICT_KINDS = ("same_institution", "past_affiliation", "team_member", "exclusion_request", "declared", "pinned")


def make_conflicted(kind, setting):
    """An expert with a conflict of ``kind`` with the application, and the reason the refusal quotes."""
    app, inst, off = setting["app"], setting["inst"], setting["officer"]
    if kind == "same_institution":
        return ExpertFactory(name="周教授", institution=inst), "Works at Wenzhou Institute of Materials, the applicant."
    if kind == "past_affiliation":
        e = ExpertFactory(name="周教授")
        ExpertAffiliationFactory(expert=e, institution=inst, ended_on=date(2024, 6, 30))
        return e, "Affiliated with Wenzhou Institute of Materials until 2024-06-30 (within 3 years)."
    if kind == "team_member":
        return ExpertFactory(name="李教授"), "Listed in the application's team as “负责人”."
    if kind == "exclusion_request":
        app.excluded_experts = ["周教授"]
        app.save(update_fields=["excluded_experts"])
        return ExpertFactory(name="周教授"), "The applicant asked to exclude this expert."
    e = ExpertFactory(name="周教授")
    if kind == "declared":
        services.declare_conflict(e.user, assign(app, e, off), "Former student of the lead.")
        return e, "Former student of the lead."
    services.pin_conflict(off, app, e, "Shares a patent with the lead.")
    return e, "Shares a patent with the lead."


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_a_conflicted_expert_cannot_be_assigned_by_hand(setting, kind):
    conflicted, reason = make_conflicted(kind, setting)
    active_before = Assignment.objects.filter(state=AssignmentState.ACTIVE).count()
    with pytest.raises(BadInput) as exc:
        services.assign_manually(setting["officer"], setting["app"], conflicted)
    assert exc.value.messages == [f"{conflicted.name} has a conflict of interest with 2026-PC-0001: {reason}"]
    assert Assignment.objects.filter(state=AssignmentState.ACTIVE).count() == active_before
    assert not can_view(conflicted.user, setting["app"])


def pool_around(conflicted, n=3):
    """``n`` qualified experts, fewer keyword matches than the conflicted one, so the optimiser would
    prefer the conflicted expert if it were allowed."""
    conflicted.keywords = "perovskite, thin film, solar cell"
    conflicted.save(update_fields=["keywords"])
    return [ExpertFactory(keywords="perovskite") for _ in range(n)]


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_a_conflicted_expert_is_never_in_an_optimal_assignment(setting, kind):
    app = setting["app"]
    app.keywords = "perovskite, thin film, solar cell"
    app.save(update_fields=["keywords"])
    conflicted, _reason = make_conflicted(kind, setting)
    pool_around(conflicted, n=3)
    plan = matching.preview_optimal(setting["officer"], setting["call"])
    chosen = {row["expert"].pk for row in plan.rows}
    assert conflicted.pk not in chosen
    assert len(chosen) == 3
    created = matching.commit(setting["officer"], setting["call"], "optimal", plan.digest)
    assert conflicted.pk not in {a.expert_id for a in created}
    assert not can_view(conflicted.user, app)


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_a_conflicted_expert_is_never_drawn(setting, kind):
    conflicted, _reason = make_conflicted(kind, setting)
    pool_around(conflicted, n=4)
    for seed in range(25):
        plan = matching.preview_draw(setting["officer"], setting["call"], seed=seed)
        assert conflicted.pk not in {row["expert"].pk for row in plan.rows}
        assert len(plan.rows) == 3


def test_when_only_conflicted_experts_remain_matching_says_so(setting):
    """Two clean experts and a conflicted one: the application cannot get its 3 experts."""
    make_conflicted("same_institution", setting)
    ExpertFactory(), ExpertFactory()
    with pytest.raises(NotNow) as exc:
        matching.preview_optimal(setting["officer"], setting["call"])
    assert "application 2026-PC-0001 has only 2 eligible experts; needs 3" in exc.value.messages


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_a_conflicted_expert_never_sees_the_application(setting, kind):
    conflicted, _reason = make_conflicted(kind, setting)
    user = fresh(conflicted.user)
    assert not applications_visible_to(user).filter(pk=setting["app"].pk).exists()
    assert application_for(user, setting["app"].pk) is None
    assert not user.has_perm("poc.view_application", setting["app"])
