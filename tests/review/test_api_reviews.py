"""Reviews and the review plan over the API: drafts, the score checks, submit/reopen, the deadline, the rubric
freeze. The review deadline is 30 June 2026, 23:59 on the bureau's clock; "now" is 12 May 2026."""
import pytest
import time_machine
from django.utils import translation

from review.models import CriterionScore, Review
from tests.review.factories import local_moment, submit_directly

from .api_support import FULL_SCORES, FULL_TOTAL, make_scene, url

pytestmark = pytest.mark.django_db

NOW = local_moment(2026, 5, 12, 10, 0)
DEADLINE = local_moment(2026, 6, 30, 23, 59)
TECH = "技术先进性"


@pytest.fixture(autouse=True)
def english_and_frozen():
    with translation.override("en"), time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def scene():
    return make_scene(deadline=DEADLINE)


def review_url(assignment, *rest):
    return url("reviews", assignment.review, *rest)


def test_expert_reads_own_review_with_rubric_and_deadline(scene):
    response = scene.client(scene.e1).get(review_url(scene.a11))
    assert response.status_code == 200
    body = response.json()
    assert body["application"]["number"] == scene.app1.number
    assert body["expert"] is None  # shown to officers only
    assert body["state"] == "draft"
    assert body["deadline"] == "2026-06-30T23:59:00+08:00"  # shown on the bureau's clock
    assert [c["code"] for c in body["criteria"]] == ["technology", "maturity", "market", "team", "budget", "transfer"]
    assert body["criteria"][0]["max_score"] == "25.00" and body["criteria"][0]["comment_required"] is True
    assert body["scores"] == [] and body["max_total"] == "100.00"
    assert f"No score for “{TECH}”." in body["missing_items"]


def test_expert_saves_a_draft_as_a_map_or_a_list(scene):
    client = scene.client(scene.e1)
    response = client.patch(review_url(scene.a11), {"scores": FULL_SCORES, "recommendation": "support",
                                                    "overall_comment": "Fund it.",
                                                    "confidential_note": "Strong lab."}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["total"] == FULL_TOTAL
    assert body["scores"][0] == {"criterion": "technology", "score": "22.00", "comment": "Granted invention patents."}
    assert body["missing_items"] == []
    assert body["recommendation"] == "support" and body["confidential_note"] == "Strong lab."

    # A PATCH changes only what it names: a list with one score keeps the rest and the recommendation.
    response = client.patch(review_url(scene.a11), {"scores": [{"criterion": "market", "score": "18",
                                                                "comment": "Large market."}]}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["total"] == "82.50" and body["recommendation"] == "support"
    assert next(s for s in body["scores"] if s["criterion"] == "market")["comment"] == "Large market."

    cleared = client.patch(review_url(scene.a11), {"scores": {"transfer": {"score": None}}}, format="json")
    assert cleared.status_code == 200
    assert "No score for “转化路径”." in cleared.json()["missing_items"]


def test_out_of_range_score_is_400_naming_the_criterion_and_nothing_is_saved(scene):
    client = scene.client(scene.e1)
    scores = {**FULL_SCORES, "technology": {"score": "26", "comment": "Excellent."}}
    response = client.patch(review_url(scene.a11), {"scores": scores, "overall_comment": "x"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == f"The score for “{TECH}” must be between 0 and 25; 26 is out of range."
    assert "technology" in body["errors"]
    assert not CriterionScore.objects.filter(review=scene.a11.review).exists()
    assert Review.objects.get(pk=scene.a11.review.pk).overall_comment == ""

    negative = client.patch(review_url(scene.a11), {"scores": {"team": -1}}, format="json")
    assert negative.status_code == 400 and "团队" in negative.json()["detail"]
    not_a_number = client.patch(review_url(scene.a11), {"scores": {"team": {"score": "lots"}}}, format="json")
    assert not_a_number.status_code == 400 and "团队" in not_a_number.json()["detail"]
    unknown = client.patch(review_url(scene.a11), {"scores": {"charisma": {"score": 5}}}, format="json")
    assert unknown.status_code == 400 and "charisma" in unknown.json()["detail"]
    bad_shape = client.patch(review_url(scene.a11), {"scores": "all good"}, format="json")
    assert bad_shape.status_code == 400 and "scores" in bad_shape.json()["errors"]
    twice = client.patch(review_url(scene.a11), {"scores": [{"criterion": "team", "score": 1},
                                                            {"criterion": "team", "score": 2}]}, format="json")
    assert twice.status_code == 400 and twice.json()["errors"]["scores"] == ["Criterion “team” is given twice."]
    bad_choice = client.patch(review_url(scene.a11), {"recommendation": "maybe"}, format="json")
    assert bad_choice.status_code == 400 and "recommendation" in bad_choice.json()["errors"]
    assert not CriterionScore.objects.filter(review=scene.a11.review).exists()


def test_only_the_assigned_expert_edits_the_draft(scene):
    refused = scene.client(scene.officer).patch(review_url(scene.a11), {"overall_comment": "x"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the assigned expert can edit this review."


def test_submit_then_reopen(scene):
    client = scene.client(scene.e1)
    incomplete = client.post(review_url(scene.a11, "transitions", "submit"), {}, format="json")
    assert incomplete.status_code == 409
    assert f"No score for “{TECH}”." in incomplete.json()["detail"]
    assert "Choose an overall recommendation." in incomplete.json()["reasons"]

    client.patch(review_url(scene.a11), {"scores": FULL_SCORES, "recommendation": "support"}, format="json")
    assert [t["name"] for t in client.get(review_url(scene.a11, "transitions")).json()] == ["submit"]
    submitted = client.post(review_url(scene.a11, "transitions", "submit"), {}, format="json")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted" and submitted.json()["submitted_at"]

    locked = client.patch(review_url(scene.a11), {"overall_comment": "late thought"}, format="json")
    assert locked.status_code == 409
    # The expert cannot reopen; declaring a conflict now needs an officer to reopen first.
    assert client.post(review_url(scene.a11, "transitions", "reopen"), {"comment": "x"},
                       format="json").status_code == 403
    late_conflict = client.post(url("assignments", scene.a11, "transitions", "declare_conflict"),
                                {"comment": "x"}, format="json")
    assert late_conflict.status_code == 409

    officer_client = scene.client(scene.officer)
    assert officer_client.post(review_url(scene.a11, "transitions", "reopen"), {},
                               format="json").status_code == 400  # a reason is required
    reopened = officer_client.post(review_url(scene.a11, "transitions", "reopen"),
                                   {"comment": "Please justify the market score."}, format="json")
    assert reopened.status_code == 200
    assert reopened.json()["state"] == "draft" and reopened.json()["expert"]["name"] == "刘教授"
    assert client.patch(review_url(scene.a11), {"overall_comment": "Justified."}, format="json").status_code == 200


def test_submit_after_the_deadline_is_409_until_extended(scene, english_and_frozen):
    client = scene.client(scene.e1)
    client.patch(review_url(scene.a11), {"scores": FULL_SCORES, "recommendation": "support"}, format="json")
    english_and_frozen.move_to(local_moment(2026, 7, 1, 0, 1))
    late = client.post(review_url(scene.a11, "transitions", "submit"), {}, format="json")
    assert late.status_code == 409
    assert late.json()["detail"] == ("The review deadline passed on 2026-06-30 23:59; ask the bureau for an "
                                     "extension.")
    assert Review.objects.get(pk=scene.a11.review.pk).state == "draft"

    officer_client = scene.client(scene.officer)
    assert client.post(review_url(scene.a11, "extend-deadline"), {"until": "2026-07-03T23:59:00+08:00"},
                       format="json").status_code == 403
    past = officer_client.post(review_url(scene.a11, "extend-deadline"), {"until": "2026-06-30T00:00:00+08:00"},
                               format="json")
    assert past.status_code == 400
    extended = officer_client.post(review_url(scene.a11, "extend-deadline"), {"until": "2026-07-03T23:59:00+08:00"},
                                   format="json")
    assert extended.status_code == 200
    assert extended.json()["deadline"] == "2026-07-03T23:59:00+08:00"
    assert client.post(review_url(scene.a11, "transitions", "submit"), {}, format="json").status_code == 200


def test_just_before_the_deadline_is_in_time(scene, english_and_frozen):
    client = scene.client(scene.e1)
    client.patch(review_url(scene.a11), {"scores": FULL_SCORES, "recommendation": "support"}, format="json")
    english_and_frozen.move_to(local_moment(2026, 6, 30, 23, 59))
    assert client.post(review_url(scene.a11, "transitions", "submit"), {}, format="json").status_code == 200


# ------------------------------------------------------------------ review plan

RUBRIC = {"criteria": [
    {"code": "novelty", "name": "Novelty", "max_score": "60", "comment_required": True},
    {"code": "feasibility", "name": "Feasibility", "max_score": "40", "weight": "1.00"},
]}


def test_officer_reads_and_edits_the_plan_and_replaces_the_rubric(scene):
    client = scene.client(scene.officer)
    plan_url = url("calls", scene.call, "review-plan")
    plan = client.get(plan_url)
    assert plan.status_code == 200
    assert plan.json()["frozen"] is False and len(plan.json()["criteria"]) == 6

    edited = client.patch(plan_url, {"experts_per_application": 5, "ranking_aggregate": "median"}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["experts_per_application"] == 5 and edited.json()["ranking_aggregate"] == "median"
    bad = client.patch(plan_url, {"trim_min_reviews": 1}, format="json")
    assert bad.status_code == 400 and "trim_min_reviews" in bad.json()["errors"]

    replaced = client.put(plan_url, RUBRIC, format="json")
    assert replaced.status_code == 200, replaced.json()
    assert [c["code"] for c in replaced.json()["criteria"]] == ["novelty", "feasibility"]
    assert replaced.json()["max_total"] == "100.00"
    # The expert now scores against the new rubric.
    review = scene.client(scene.e1).get(review_url(scene.a11)).json()
    assert [c["code"] for c in review["criteria"]] == ["novelty", "feasibility"]

    duplicate = client.put(plan_url, {"criteria": [RUBRIC["criteria"][0], RUBRIC["criteria"][0]]}, format="json")
    assert duplicate.status_code == 400
    empty = client.put(plan_url, {"criteria": []}, format="json")
    assert empty.status_code == 400
    zero = client.put(plan_url, {"criteria": [{"code": "x", "max_score": "0"}]}, format="json")
    assert zero.status_code == 400


def test_rubric_put_after_a_submitted_review_is_409(scene):
    submit_directly(scene.a21.review, 70)
    client = scene.client(scene.officer)
    plan_url = url("calls", scene.call, "review-plan")
    assert client.get(plan_url).json()["frozen"] is True
    response = client.put(plan_url, RUBRIC, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "The rubric cannot change: reviews under it have already been submitted."
    assert len(client.get(plan_url).json()["criteria"]) == 6
    assert CriterionScore.objects.filter(review=scene.a21.review).count() == 6
    # The settings may still change (e.g. the deadline).
    assert client.patch(plan_url, {"deadline": "2026-07-15T23:59:00+08:00"}, format="json").status_code == 200


def test_plan_access_by_role(scene):
    plan_url = url("calls", scene.call, "review-plan")
    assert scene.client(scene.e1).get(plan_url).status_code == 200  # assigned in the call
    assert scene.client(scene.e3).get(plan_url).status_code == 403  # no assignment in the call
    assert scene.client(scene.applicant).get(plan_url).status_code == 403
    assert scene.client(scene.fund_manager).get(plan_url).status_code == 200
    for who in (scene.e1, scene.fund_manager):
        assert scene.client(who).patch(plan_url, {"experts_per_application": 4}, format="json").status_code == 403
        assert scene.client(who).put(plan_url, RUBRIC, format="json").status_code == 403
    assert scene.client(scene.officer).get(url("calls", 999999, "review-plan")).status_code == 404
