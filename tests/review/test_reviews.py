"""Writing, submitting and reopening reviews; the rubric freeze; closing the review of an application.

The call is a PoC-project call with the default 100-point project rubric:
technology 25 (comment required), maturity 20 (comment required), market 20, team 15, budget 10, transfer 10.
The review deadline is 30 June 2026, 23:59 on the bureau's clock (inclusive).
"""
from datetime import timedelta

import pytest
import time_machine
from django.utils import translation

from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import TransitionLog
from poc.rules import check_transition
from poc.workflow import run_transition
from review import services
from review.models import CriterionScore, Review
from tests.factories import officer
from tests.review.factories import (
    ExpertFactory,
    assign,
    fill_review,
    local_moment,
    review_call,
    submit_directly,
    under_review,
)

pytestmark = pytest.mark.django_db

NOW = local_moment(2026, 5, 12, 10, 0)
DEADLINE = local_moment(2026, 6, 30, 23, 59)

TECH = "技术先进性"
MATURITY = "成熟度与验证方案"
MARKET = "市场前景"
TEAM = "团队"
BUDGET = "经费合理性"
TRANSFER = "转化路径"

FULL = {
    "technology": {"score": "22", "comment": "Granted invention patents; a clear lead."},
    "maturity": {"score": "15.5", "comment": "TRL 3 to 5 in 18 months is plausible."},
    "market": {"score": 16, "comment": ""},
    "team": {"score": 12},
    "budget": {"score": "8"},
    "transfer": {"score": "7.25"},
}


@pytest.fixture(autouse=True)
def english_and_frozen():
    with translation.override("en"), time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setting():
    off = officer()
    call = review_call(min_reviews=3, deadline=DEADLINE)
    app = under_review(call, number="2026-PC-0001")
    expert = ExpertFactory()
    assignment = assign(app, expert, off)
    return {"officer": off, "call": call, "app": app, "expert": expert, "assignment": assignment,
            "review": assignment.review, "user": expert.user}


def stored(review):
    """What the database holds of a review, to compare before and after a refusal."""
    r = Review.objects.get(pk=review.pk)
    return {
        "review": (r.state, r.recommendation, r.overall_comment, r.confidential_note, r.submitted_at),
        "scores": sorted(CriterionScore.objects.filter(review=r).values_list("criterion__code", "score", "comment")),
    }


def save(setting, scores=None, **kw):
    kw.setdefault("recommendation", "support")
    return services.save_review(setting["user"], setting["review"], scores=FULL if scores is None else scores, **kw)


# ----------------------------------------------------------------------------------------- save_review

def test_saving_a_draft(setting):
    review = save(setting, overall_comment="Fund it.", confidential_note="The lead is overstretched.")
    assert review.state == "draft"
    assert stored(review)["scores"] == sorted([
        ("technology", 22, "Granted invention patents; a clear lead."),
        ("maturity", 15.5, "TRL 3 to 5 in 18 months is plausible."),
        ("market", 16, ""), ("team", 12, ""), ("budget", 8, ""), ("transfer", 7.25, ""),
    ])
    assert (review.recommendation, review.overall_comment, review.confidential_note) == (
        "support", "Fund it.", "The lead is overstretched.")


def test_saving_a_blank_score_removes_it(setting):
    save(setting)
    review = save(setting, {"team": {"score": ""}, "budget": {"score": None}})
    assert {code for code, *_ in stored(review)["scores"]} == {"technology", "maturity", "market", "transfer"}


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("technology", "26", f"The score for “{TECH}” must be between 0 and 25; 26 is out of range."),
        ("technology", 25.01, f"The score for “{TECH}” must be between 0 and 25; 25.01 is out of range."),
        ("market", "-1", f"The score for “{MARKET}” must be between 0 and 20; -1 is out of range."),
        ("budget", "1e3", f"The score for “{BUDGET}” must be between 0 and 10; 1e3 is out of range."),
        ("team", "twelve", f"The score for “{TEAM}” is not a number."),
        ("team", "12,5", f"The score for “{TEAM}” is not a number."),
        ("transfer", "NaN", f"The score for “{TRANSFER}” is not a number."),
        ("transfer", "Infinity", f"The score for “{TRANSFER}” is not a number."),
        ("maturity", [15], f"The score for “{MATURITY}” is not a number."),
    ],
)
def test_out_of_range_or_non_numeric_scores_are_refused_and_nothing_changes(setting, code, raw, message):
    save(setting, {"technology": {"score": 20, "comment": "First draft."}}, recommendation="conditional")
    before = stored(setting["review"])
    scores = {**FULL, code: {"score": raw, "comment": "changed"}}
    with pytest.raises(BadInput) as exc:
        save(setting, scores, recommendation="support", overall_comment="changed")
    assert exc.value.messages == [message]
    assert exc.value.field_errors == {code: ["Not a number." if "not a number" in message else "Out of range."]}
    assert stored(setting["review"]) == before  # not even the valid scores of the same request were saved


def test_the_limits_themselves_are_accepted(setting):
    save(setting, {"technology": {"score": "25", "comment": "x"}, "market": {"score": "0"}})
    assert dict((c, s) for c, s, _ in stored(setting["review"])["scores"]) == {"technology": 25, "market": 0}


def test_unknown_criteria_and_recommendations_are_refused(setting):
    before = stored(setting["review"])
    with pytest.raises(BadInput) as exc:
        save(setting, {"novelty": {"score": 5}, "impact": {"score": 5}})
    assert exc.value.messages == ["Unknown criteria: impact, novelty"]
    with pytest.raises(BadInput) as exc:
        save(setting, recommendation="maybe")
    assert exc.value.messages == ["Unknown recommendation “maybe”."]
    assert stored(setting["review"]) == before


def test_only_the_assigned_expert_edits_and_only_a_draft(setting):
    for user in (ExpertFactory().user, setting["officer"]):
        with pytest.raises(NotAllowed) as exc:
            services.save_review(user, setting["review"], scores=FULL, recommendation="support")
        assert exc.value.messages == ["Only the assigned expert can edit this review."]
    save(setting)
    services.submit_review(setting["user"], setting["review"])
    with pytest.raises(NotNow) as exc:
        save(setting)
    assert exc.value.messages == ["The review has been submitted and can no longer be edited."]


def test_a_voided_assignment_cannot_be_edited(setting):
    services.unassign(setting["officer"], setting["assignment"], "Replaced.")
    # The assignment's expert no longer holds the review, but the service says why, not just "no".
    with pytest.raises(NotNow) as exc:
        save(setting)
    assert exc.value.messages == ["This assignment was voided."]


# ---------------------------------------------------------------------------------------- submit_review

def test_submit_lists_every_missing_score_comment_and_the_recommendation(setting):
    save(setting, {"technology": {"score": "20", "comment": ""}, "market": {"score": "10"}}, recommendation="")
    before = stored(setting["review"])
    with pytest.raises(NotNow) as exc:
        services.submit_review(setting["user"], setting["review"])
    assert exc.value.messages == [
        f"“{TECH}” needs a comment.",
        f"No score for “{MATURITY}”.",
        f"No score for “{TEAM}”.",
        f"No score for “{BUDGET}”.",
        f"No score for “{TRANSFER}”.",
        "Choose an overall recommendation.",
    ]
    assert stored(setting["review"]) == before
    assert not TransitionLog.objects.for_object(setting["review"]).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"maturity": {"score": "", "comment": ""}}, f"No score for “{MATURITY}”."),
        ({"maturity": {"score": "10", "comment": "  "}}, f"“{MATURITY}” needs a comment."),
        ({"budget": {"score": ""}}, f"No score for “{BUDGET}”."),
    ],
)
def test_submit_refuses_each_gap_alone(setting, change, message):
    save(setting, {**FULL, **change})
    with pytest.raises(NotNow) as exc:
        services.submit_review(setting["user"], setting["review"])
    assert exc.value.messages == [message]


def test_submit_refuses_without_a_recommendation(setting):
    save(setting, recommendation="")
    with pytest.raises(NotNow) as exc:
        services.submit_review(setting["user"], setting["review"])
    assert exc.value.messages == ["Choose an overall recommendation."]


def test_submitting_a_complete_review(setting):
    save(setting)
    review = services.submit_review(setting["user"], setting["review"])
    assert review.state == "submitted"
    assert review.submitted_at == NOW
    log = TransitionLog.objects.for_object(review).get()
    assert (log.transition, log.source, log.target, log.actor) == ("submit", "draft", "submitted", setting["user"])


def test_submit_up_to_the_deadline_inclusive(setting, english_and_frozen):
    save(setting)
    english_and_frozen.move_to(DEADLINE)
    assert services.submit_review(setting["user"], setting["review"]).state == "submitted"


def test_submit_after_the_deadline_is_refused_and_allowed_with_an_extension(setting, english_and_frozen):
    save(setting)
    english_and_frozen.move_to(DEADLINE + timedelta(minutes=1))
    with pytest.raises(NotNow) as exc:
        services.submit_review(setting["user"], setting["review"])
    assert exc.value.messages == ["The review deadline passed on 2026-06-30 23:59; ask the bureau for an extension."]
    assert Review.objects.get(pk=setting["review"].pk).state == "draft"

    with pytest.raises(NotAllowed):
        services.extend_deadline(setting["user"], setting["review"], DEADLINE + timedelta(days=3))
    with pytest.raises(BadInput) as exc:
        services.extend_deadline(setting["officer"], setting["review"], DEADLINE)
    assert exc.value.messages == ["An extension must end in the future."]
    review = services.extend_deadline(setting["officer"], setting["review"], local_moment(2026, 7, 3, 18, 0))
    assert review.deadline == local_moment(2026, 7, 3, 18, 0)
    assert services.submit_review(setting["user"], review).state == "submitted"


def test_an_extension_is_personal(setting, english_and_frozen):
    """Another expert of the same call keeps the call's deadline."""
    other_assignment = assign(setting["app"], ExpertFactory(), setting["officer"])
    fill_review(setting["review"], 80)
    fill_review(other_assignment.review, 70)
    services.extend_deadline(setting["officer"], setting["review"], local_moment(2026, 7, 3, 18, 0))
    english_and_frozen.move_to(local_moment(2026, 7, 1, 9, 0))
    assert services.submit_review(setting["user"], setting["review"]).state == "submitted"
    with pytest.raises(NotNow):
        services.submit_review(other_assignment.expert.user, other_assignment.review)


def test_submit_refused_once_the_assignment_is_voided(setting):
    save(setting)
    services.unassign(setting["officer"], setting["assignment"], "Replaced by a closer expert.")
    check = check_transition(Review.objects.get(pk=setting["review"].pk), "submit", setting["officer"])
    assert check.status == 403  # the permission comes first; the expert themself:
    review = Review.objects.get(pk=setting["review"].pk)
    check = check_transition(review, "submit", setting["user"])
    assert (check.status, check.reasons) == (409, ["This assignment was voided: Replaced by a closer expert."])


# ----------------------------------------------------------------------------------------- reopen_review

@pytest.fixture
def submitted(setting):
    save(setting)
    services.submit_review(setting["user"], setting["review"])
    return setting


def test_an_officer_reopens_with_a_reason(submitted):
    review = services.reopen_review(submitted["officer"], submitted["review"], "Maturity score lacks a reason.")
    assert (review.state, review.submitted_at) == ("draft", None)
    log = TransitionLog.objects.for_object(review).filter(transition="reopen").get()
    assert (log.source, log.target, log.actor, log.comment) == (
        "submitted", "draft", submitted["officer"], "Maturity score lacks a reason.")
    # The expert may edit and submit again.
    services.save_review(submitted["user"], review, scores={"maturity": {"score": 14, "comment": "Revised."}},
                         recommendation="conditional")
    assert services.submit_review(submitted["user"], review).state == "submitted"


def test_reopening_needs_a_reason(submitted):
    with pytest.raises(BadInput) as exc:
        services.reopen_review(submitted["officer"], submitted["review"], "")
    assert exc.value.messages == ["“Reopen review” needs a reason: please write a comment."]
    assert Review.objects.get(pk=submitted["review"].pk).state == "submitted"


def test_only_officers_reopen(submitted):
    for user in (submitted["user"], ExpertFactory().user):
        with pytest.raises(NotAllowed) as exc:
            services.reopen_review(user, submitted["review"], "Please change it.")
        assert exc.value.messages == ["Only bureau officers can reopen a review."]
    assert Review.objects.get(pk=submitted["review"].pk).state == "submitted"


@pytest.mark.parametrize("state", ["reviewed", "public_notice", "rejected"])
def test_reopening_only_while_the_application_is_under_review(submitted, state):
    type(submitted["app"]).objects.filter(pk=submitted["app"].pk).update(state=state)
    with pytest.raises(NotNow) as exc:
        services.reopen_review(submitted["officer"], submitted["review"], "Please change it.")
    assert exc.value.messages == ["A review can only be reopened while the application is under review."]
    assert Review.objects.get(pk=submitted["review"].pk).state == "submitted"


def test_reopening_a_draft_is_not_possible(setting):
    with pytest.raises(NotNow) as exc:
        services.reopen_review(setting["officer"], setting["review"], "Why?")
    assert exc.value.messages == ["“Reopen review” is not possible while the review is “Draft”."]


# --------------------------------------------------------------------------------------------- rubric

NEW_RUBRIC = [
    {"code": "novelty", "name": "Novelty", "max_score": 60, "comment_required": True},
    {"code": "feasibility", "name": "Feasibility", "max_score": 40, "weight": "1"},
]


def test_the_rubric_can_change_until_the_first_submission(setting):
    plan = services.ensure_plan(setting["call"])
    save(setting)  # a draft under the old rubric
    services.replace_rubric(setting["officer"], plan, NEW_RUBRIC)
    assert [(c.code, c.max_score) for c in plan.criteria.all()] == [("novelty", 60), ("feasibility", 40)]
    assert plan.max_total == 100
    assert not CriterionScore.objects.filter(review=setting["review"]).exists()  # drafts start again


def test_the_rubric_is_frozen_after_the_first_submission(submitted):
    plan = services.ensure_plan(submitted["call"])
    assert plan.frozen
    criteria_before = list(plan.criteria.values_list("code", "max_score"))
    scores_before = stored(submitted["review"])
    with pytest.raises(NotNow) as exc:
        services.replace_rubric(submitted["officer"], plan, NEW_RUBRIC)
    assert exc.value.messages == ["The rubric cannot change: reviews under it have already been submitted."]
    assert list(plan.criteria.values_list("code", "max_score")) == criteria_before
    assert stored(submitted["review"]) == scores_before


def test_only_officers_change_the_rubric_and_it_must_make_sense(setting):
    plan = services.ensure_plan(setting["call"])
    with pytest.raises(NotAllowed):
        services.replace_rubric(setting["user"], plan, NEW_RUBRIC)
    with pytest.raises(BadInput) as exc:
        services.replace_rubric(setting["officer"], plan, [])
    assert exc.value.messages == ["A rubric needs at least one criterion."]
    with pytest.raises(BadInput) as exc:
        services.replace_rubric(setting["officer"], plan, [{"code": "a", "max_score": 5}, {"code": "a", "max_score": 5}])
    assert exc.value.messages == ["Every criterion needs a code, and codes must be unique."]
    with pytest.raises(BadInput) as exc:
        services.replace_rubric(setting["officer"], plan, [{"code": "a", "max_score": "lots"}])
    assert exc.value.messages == ["Criterion “a” needs a numeric weight and maximum score."]
    with pytest.raises(BadInput) as exc:
        services.replace_rubric(setting["officer"], plan, [{"code": "a", "max_score": 0}])
    assert exc.value.messages == ["Criterion “a”: weight and maximum score must be positive."]
    assert plan.criteria.count() == 6


def test_default_rubrics_are_out_of_100():
    project_plan = services.ensure_plan(review_call(kind="poc_project"))
    center_plan = services.ensure_plan(review_call(kind="poc_center"))
    assert project_plan.max_total == 100 and center_plan.max_total == 100
    assert [c.code for c in project_plan.criteria.all()] == [
        "technology", "maturity", "market", "team", "budget", "transfer"]
    assert [c.code for c in center_plan.criteria.all()] == ["team", "facilities", "record", "channels", "plan"]
    assert services.ensure_plan(project_plan.call) == project_plan  # once only


# --------------------------------------------------------------------------------------- close_review

def close(setting):
    return run_transition(type(setting["app"]).objects.get(pk=setting["app"].pk), "close_review", setting["officer"])


def close_reasons(setting):
    app = type(setting["app"]).objects.get(pk=setting["app"].pk)
    return check_transition(app, "close_review", setting["officer"]).reasons


def test_close_review_waits_for_every_active_assignment_and_the_minimum(setting):
    off, app = setting["officer"], setting["app"]
    others = [assign(app, ExpertFactory(), off) for _ in range(2)]
    assert close_reasons(setting) == ["3 assigned review(s) not yet submitted.",
                                      "0 review(s) submitted; the call requires at least 3."]
    submit_directly(setting["review"], 80)
    submit_directly(others[0].review, 75)
    assert close_reasons(setting) == ["1 assigned review(s) not yet submitted.",
                                      "2 review(s) submitted; the call requires at least 3."]
    with pytest.raises(NotNow) as exc:
        close(setting)
    assert exc.value.messages == ["1 assigned review(s) not yet submitted.",
                                  "2 review(s) submitted; the call requires at least 3."]
    assert type(app).objects.get(pk=app.pk).state == "under_review"

    submit_directly(others[1].review, 90)
    assert close_reasons(setting) == []
    assert close(setting).state == "reviewed"


def test_all_submitted_but_below_the_minimum(setting):
    submit_directly(setting["review"], 80)
    assert close_reasons(setting) == ["1 review(s) submitted; the call requires at least 3."]


def test_no_assignment_at_all(setting):
    services.unassign(setting["officer"], setting["assignment"], "Replaced.")
    assert close_reasons(setting) == ["0 review(s) submitted; the call requires at least 3."]


def test_voided_assignments_do_not_count(setting):
    off, app = setting["officer"], setting["app"]
    others = [assign(app, ExpertFactory(), off) for _ in range(3)]
    # One expert leaves with a draft: the draft no longer blocks the close.
    services.declare_conflict(others[2].expert.user, others[2], "Former student of the lead.")
    for a in (setting["assignment"], *others[:2]):
        submit_directly(a.review, 80)
    assert close_reasons(setting) == []
    assert close(setting).state == "reviewed"


def test_a_voided_review_does_not_help_reach_the_minimum(setting):
    """A review written under a voided assignment is not counted, even if it was filled in."""
    off, app = setting["officer"], setting["app"]
    others = [assign(app, ExpertFactory(), off) for _ in range(2)]
    fill_review(others[1].review, 85)
    services.unassign(off, others[1], "Conflict discovered.")
    submit_directly(setting["review"], 80)
    submit_directly(others[0].review, 70)
    assert close_reasons(setting) == ["2 review(s) submitted; the call requires at least 3."]


def test_close_review_is_for_officers(setting):
    for a in [setting["assignment"]] + [assign(setting["app"], ExpertFactory(), setting["officer"]) for _ in range(2)]:
        submit_directly(a.review, 80)
    app = type(setting["app"]).objects.get(pk=setting["app"].pk)
    with pytest.raises(NotAllowed) as exc:
        run_transition(app, "close_review", setting["user"])
    assert exc.value.messages == ["Only bureau officers can close the expert review."]
