"""Who sees what of the review, and who may run each transition of an assignment and a review (DESIGN §3).

The transition table is generated from the transitions declared on the models
(``poc.rules.transition_methods``): a transition added to Assignment or Review without a row here fails.
"""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from poc.applications.selectors import application_for, applications_visible_to, excluded_experts_visible_to
from poc.errors import NotAllowed, NotNow
from poc.models import TransitionLog
from poc.rules import available_transitions, check_transition, describe, transition_methods
from poc.workflow import run_transition
from review import services
from review.models import Assignment, Review
from review.selectors import (
    assignments_visible_to,
    conflicts_visible_to,
    expert_queue,
    experts_visible_to,
    may_see_aggregates,
    reviews_visible_to,
)
from tests.factories import InstitutionFactory, applicant_of, fund_manager, officer
from tests.review.factories import (
    ExpertFactory,
    assign,
    fill_review,
    review_call,
    submit_directly,
    under_review,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

OFFICER = "officer"
ASSIGNED = "the assigned expert"
OTHER_EXPERT = "another expert"
APPLICANT = "applicant"
FUND_MANAGER = "fund manager"
ANONYMOUS = "anonymous"
ROLES = (OFFICER, ASSIGNED, OTHER_EXPERT, APPLICANT, FUND_MANAGER, ANONYMOUS)
ALLOWED = "allowed"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    """One call, two applications of two institutions under review. Expert E is assigned to the first,
    expert F to both; G is in the pool with no assignment."""
    off = officer()
    call = review_call()
    inst, other_inst = InstitutionFactory(), InstitutionFactory()
    first = under_review(call, inst, excluded_experts=["王五"])
    second = under_review(call, other_inst)
    e, f, g = ExpertFactory(name="E"), ExpertFactory(name="F"), ExpertFactory(name="G")
    w = {
        "officer": off, "call": call, "first": first, "second": second, "e": e, "f": f, "g": g,
        "e_on_first": assign(first, e, off), "f_on_first": assign(first, f, off), "f_on_second": assign(second, f, off),
        "applicant": applicant_of(inst), "other_applicant": applicant_of(other_inst), "fund_manager": fund_manager(),
    }
    services.pin_conflict(off, second, g, "Competitor of the applicant.")
    return w


def fresh(user):
    return User.objects.get(pk=user.pk)


# ----------------------------------------------------------------------------------------- visibility

def test_an_expert_sees_only_the_assigned_applications(world):
    e, f, g = fresh(world["e"].user), fresh(world["f"].user), fresh(world["g"].user)
    assert list(applications_visible_to(e)) == [world["first"]]
    assert application_for(e, world["second"].pk) is None
    assert set(applications_visible_to(f)) == {world["first"], world["second"]}
    assert not applications_visible_to(g).exists()
    assert not e.has_perm("poc.change_application", world["first"])


def test_an_expert_never_sees_another_experts_review_or_identity(world):
    e = fresh(world["e"].user)
    own, others = world["e_on_first"].review, world["f_on_first"].review
    assert list(reviews_visible_to(e)) == [own]
    assert list(assignments_visible_to(e)) == [world["e_on_first"]]
    assert e.has_perm("review.view_review", own) and e.has_perm("review.change_review", own)
    assert not e.has_perm("review.view_review", others)
    assert not e.has_perm("review.change_review", others)
    # Nor who else reviews, who is in the pool, whom the applicant asked to exclude, or conflicts.
    assert not experts_visible_to(e).exists()
    assert not conflicts_visible_to(e).exists()
    assert excluded_experts_visible_to(e, world["first"]) is None
    assert not may_see_aggregates(e)
    queue, done, total = expert_queue(e)
    assert (list(queue), done, total) == ([world["e_on_first"]], 0, 1)


def test_an_expert_keeps_seeing_the_own_review_after_submitting(world):
    submit_directly(world["e_on_first"].review, 80)
    e = fresh(world["e"].user)
    assert list(reviews_visible_to(e)) == [world["e_on_first"].review]
    assert expert_queue(e)[1:] == (1, 1)


def test_officers_see_everything(world):
    off = fresh(world["officer"])
    assert set(applications_visible_to(off)) == {world["first"], world["second"]}
    assert reviews_visible_to(off).count() == 3
    assert assignments_visible_to(off).count() == 3
    assert experts_visible_to(off).count() == 3
    assert conflicts_visible_to(off).count() == 1
    assert excluded_experts_visible_to(off, world["first"]) == ["王五"]
    assert may_see_aggregates(off)


@pytest.mark.parametrize("who", ["applicant", "fund_manager"])
def test_applicants_and_fund_managers_see_no_individual_review_and_no_expert(world, who):
    user = fresh(world[who])
    assert not reviews_visible_to(user).exists()
    assert not assignments_visible_to(user).exists()
    assert not experts_visible_to(user).exists()
    assert not conflicts_visible_to(user).exists()
    for review in Review.objects.all():
        assert not user.has_perm("review.view_review", review)
    assert expert_queue(user)[1:] == (0, 0)
    if who == "applicant":
        assert list(applications_visible_to(user)) == [world["first"]]
        assert not may_see_aggregates(user)
    else:
        assert not applications_visible_to(user).exists()  # no funding proposal for its fund yet
        assert may_see_aggregates(user)  # aggregates only


def test_anonymous_visitors_see_nothing(world):
    anon = AnonymousUser()
    assert not applications_visible_to(anon).exists()
    for selector in (reviews_visible_to, assignments_visible_to, experts_visible_to, conflicts_visible_to):
        assert not selector(anon).exists()


# --------------------------------------------------------------------------------- transition table

ONLY_OFFICERS_UNASSIGN = "Only bureau officers can unassign an expert."
ONLY_ASSIGNED_DECLARES = "Only the assigned expert can declare a conflict of interest."
ONLY_ASSIGNED_SUBMITS = "Only the assigned expert can submit this review."
ONLY_OFFICERS_REOPEN = "Only bureau officers can reopen a review."
ONLY_SYSTEM_VOIDS = "Only bureau officers (or the system) can void an assignment for a conflict found by rule."


def only(role, refusal):
    return {r: ALLOWED if r == role else refusal for r in ROLES}


# (model, transition) → sources, target, needs a reason, and per role: allowed or the exact refusal.
TABLE = {
    (Assignment, "unassign"): {
        "sources": ["active"], "target": "voided", "comment_required": True,
        "roles": only(OFFICER, ONLY_OFFICERS_UNASSIGN),
    },
    (Assignment, "declare_conflict"): {
        "sources": ["active"], "target": "voided", "comment_required": True,
        "roles": only(ASSIGNED, ONLY_ASSIGNED_DECLARES),
    },
    # Taken by the system when a rule finds a conflict after the assignment (review.rechecks); never a button.
    (Assignment, "void_for_conflict"): {
        "sources": ["active"], "target": "voided", "comment_required": True,
        "roles": only(OFFICER, ONLY_SYSTEM_VOIDS),
    },
    (Review, "submit"): {
        "sources": ["draft"], "target": "submitted", "comment_required": False,
        "roles": only(ASSIGNED, ONLY_ASSIGNED_SUBMITS),
    },
    (Review, "reopen"): {
        "sources": ["submitted"], "target": "draft", "comment_required": True,
        "roles": only(OFFICER, ONLY_OFFICERS_REOPEN),
    },
}
MODELS = (Assignment, Review)
DECLARED = [(model, name) for model in MODELS for name in transition_methods(model)]
STATES = {Assignment: ["active", "voided"], Review: ["draft", "submitted"]}


def label(model, name):
    return f"{model.__name__}.{name}"


def test_every_declared_transition_has_a_row():
    assert {label(m, n) for m, n in DECLARED} == {label(m, n) for m, n in TABLE}
    for model in MODELS:
        assert set(STATES[model]) == {value for value, _label in model._meta.get_field("state").choices}


@pytest.mark.parametrize(("model", "name"), DECLARED, ids=[label(m, n) for m, n in DECLARED])
def test_the_declaration_matches_the_row(model, name):
    row = TABLE.get((model, name))
    assert row is not None, f"no row for {label(model, name)}: add one to TABLE"
    declared = describe(model, name)
    assert declared["sources"] == row["sources"]
    assert declared["target"] == row["target"]
    assert bool(declared["custom"].get("comment_required")) is row["comment_required"]


def user_for(role, world):
    return {
        OFFICER: lambda: world["officer"], ASSIGNED: lambda: world["e"].user, OTHER_EXPERT: lambda: world["f"].user,
        APPLICANT: lambda: world["applicant"], FUND_MANAGER: lambda: world["fund_manager"], ANONYMOUS: AnonymousUser,
    }[role]()


def subject(model, state, world):
    """E's assignment or review on the first application, in ``state``, with the conditions met."""
    assignment = world["e_on_first"]
    if model is Assignment:
        if state == "voided":
            Assignment.objects.filter(pk=assignment.pk).update(state="voided", voided_reason="Replaced.")
        return Assignment.objects.get(pk=assignment.pk)
    review = fill_review(assignment.review, 85)  # complete, before any deadline
    if state == "submitted":
        review = submit_directly(review, 85)
    return Review.objects.get(pk=review.pk)


CASES = [(m, n, role) for m, n in DECLARED for role in ROLES]


@pytest.mark.parametrize(("model", "name", "role"), CASES, ids=[f"{label(m, n)}-{r}" for m, n, r in CASES])
def test_transition_table(world, model, name, role):
    row = TABLE.get((model, name))
    assert row is not None, f"no row for {label(model, name)}: add one to TABLE"
    expected = row["roles"][role]
    obj = subject(model, row["sources"][0], world)
    user = user_for(role, world)

    check = check_transition(obj, name, user)
    if expected == ALLOWED:
        assert check.allowed, check.reasons
        assert name in [c.name for c in available_transitions(obj, user)]
        done = run_transition(obj, name, user, "A reason the table gives.")
        assert done.state == row["target"]
        log = TransitionLog.objects.for_object(obj).get(transition=name)
        actor = None if not user.is_authenticated else user
        assert (log.source, log.target, log.actor, log.comment) == (
            row["sources"][0], row["target"], actor, "A reason the table gives.")
    else:
        assert (check.allowed, check.status, check.reasons) == (False, 403, [expected])
        assert name not in [c.name for c in available_transitions(obj, user)]
        with pytest.raises(NotAllowed) as exc:
            run_transition(obj, name, user, "A reason the table gives.")
        assert exc.value.messages == [expected]
        assert type(obj).objects.get(pk=obj.pk).state == row["sources"][0]
        assert not TransitionLog.objects.for_object(obj).filter(transition=name).exists()


STATE_LABELS = {"active": "Active", "voided": "Voided", "draft": "Draft", "submitted": "Submitted"}
WRONG_STATE = [(m, n, s) for m, n in DECLARED for s in STATES[m] if s not in TABLE.get((m, n), {}).get("sources", [])]


@pytest.mark.parametrize(("model", "name", "state"), WRONG_STATE,
                         ids=[f"{label(m, n)}-from-{s}" for m, n, s in WRONG_STATE])
def test_the_allowed_role_is_refused_from_any_other_state(world, model, name, state):
    row = TABLE[(model, name)]
    role = next(r for r, v in row["roles"].items() if v == ALLOWED)
    obj = subject(model, state, world)
    user = user_for(role, world)
    action = str(describe(model, name)["custom"]["label"])
    message = f"“{action}” is not possible while the {model._meta.verbose_name} is “{STATE_LABELS[state]}”."
    check = check_transition(obj, name, user)
    assert (check.allowed, check.status, check.reasons) == (False, 409, [message])
    with pytest.raises(NotNow) as exc:
        run_transition(obj, name, user, "A reason.")
    assert exc.value.messages == [message]


def test_refusals_do_not_depend_on_the_language(world):
    """Role checks use the untranslated group codes: in Chinese the same people are allowed."""
    obj = world["e_on_first"]
    with translation.override("zh-hans"):
        assert check_transition(obj, "unassign", world["officer"]).allowed
        assert check_transition(obj, "declare_conflict", world["e"].user).allowed
        assert not check_transition(obj, "declare_conflict", world["f"].user).allowed
