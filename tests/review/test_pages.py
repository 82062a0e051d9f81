"""The review's pages (review/urls.py): who may open what, the expert's queue and review form, the officer's
console (assignment, conflicts, plan and rubric, ranking), the expert pool and the fund manager's aggregates.

Confidentiality is checked on every page an expert or an applicant can open: no other expert's name or review.
"""
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from poc.models import Application, Call, Discipline, TransitionLog
from review import services
from review.models import Assignment, Conflict, ConflictSource, Criterion, CriterionScore, Expert, Review
from tests.factories import (
    InstitutionFactory,
    UserFactory,
    applicant_of,
    consider_for_fund,
    expert,
    fund_manager,
    officer,
)
from tests.poc.pages_support import browser, messages_of, text
from tests.review.factories import (
    ExpertAffiliationFactory,
    ExpertFactory,
    assign,
    fill_review,
    local_moment,
    review_call,
    submit_directly,
    under_review,
)

pytestmark = pytest.mark.django_db

# Every criterion of the default project rubric, in range, with the required comments.
FULL_SHEET = {
    "score_technology": "22", "comment_technology": "Granted invention patents.",
    "score_maturity": "15.5", "comment_maturity": "TRL 3 to 5 in 18 months is plausible.",
    "score_market": "16", "score_team": "12", "score_budget": "8", "score_transfer": "7",
    "recommendation": "support", "overall_comment": "A sound proposal.", "confidential_note": "Nothing to add.",
}


@dataclass
class Scene:
    call: Call
    app1: Application
    app2: Application
    officer: object
    applicant: object
    fund_manager: object
    e1: Expert
    e2: Expert
    e3: Expert
    a11: Assignment
    a21: Assignment
    a22: Assignment

    @property
    def r11(self) -> Review:
        return Review.objects.get(assignment=self.a11)

    @property
    def r21(self) -> Review:
        return Review.objects.get(assignment=self.a21)


def make_scene(**plan) -> Scene:
    """A project call with two applications under review; expert 1 on application 1, expert 2 on both."""
    call = review_call(title="Review pages call", **plan)
    inst_a = InstitutionFactory(name="Alpha University")
    applicant = applicant_of(inst_a)
    app1 = under_review(call, inst_a, created_by=applicant, title="Alpha battery project")
    app2 = under_review(call, InstitutionFactory(name="Beta Institute"), title="Beta sensor project")
    boss = officer()
    e1 = ExpertFactory(name="Prof. Alpha Reviewer", affiliation="Wenzhou Alpha Lab")
    e2 = ExpertFactory(name="Prof. Beta Reviewer", affiliation="Hangzhou Beta Lab")
    e3 = ExpertFactory(name="Prof. Gamma Reviewer", affiliation="Ningbo Gamma Lab")
    return Scene(call, app1, app2, boss, applicant, fund_manager(), e1, e2, e3,
                 assign(app1, e1, boss), assign(app1, e2, boss), assign(app2, e2, boss))


def review_url(review) -> str:
    return reverse("review:review", args=[review.pk])


# ------------------------------------------------------------------------ access

OFFICER_PAGES = [
    ("review:calls", lambda s: []), ("review:console", lambda s: [s.call.pk]),
    ("review:auto-assign", lambda s: [s.call.pk]), ("review:draw", lambda s: [s.call.pk]),
    ("review:conflicts", lambda s: [s.call.pk]), ("review:plan", lambda s: [s.call.pk]),
    ("review:application", lambda s: [s.app1.pk]),
    ("review:experts", lambda s: []), ("review:expert", lambda s: [s.e1.pk]),
]


@pytest.mark.parametrize("name, args", OFFICER_PAGES)
def test_officer_pages_render_for_officers_and_are_refused_to_everyone_else(name, args):
    scene = make_scene()
    url = reverse(name, args=args(scene))
    assert browser(scene.officer).get(url).status_code == 200
    for user in (scene.e1.user, scene.applicant, scene.fund_manager, UserFactory()):
        assert browser(user).get(url).status_code == 403, (name, user)
    response = browser().get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_queue_is_the_experts_page_only():
    scene = make_scene()
    url = reverse("review:queue")
    assert browser(scene.e1.user).get(url).status_code == 200
    for user in (scene.officer, scene.applicant, scene.fund_manager):
        assert browser(user).get(url).status_code == 403
    assert browser().get(url).status_code == 302


def test_a_review_page_is_for_its_expert_and_officers_only():
    scene = make_scene()
    url = review_url(scene.r11)
    assert browser(scene.e1.user).get(url).status_code == 200
    assert browser(scene.officer).get(url).status_code == 200
    # Another expert (even one on the same application) does not learn that the review exists.
    assert browser(scene.e2.user).get(url).status_code == 404
    assert browser(scene.e3.user).get(url).status_code == 404
    assert browser(scene.applicant).get(url).status_code == 403
    assert browser(scene.fund_manager).get(url).status_code == 403


def test_aggregates_are_for_officers_and_fund_managers_who_may_see_the_application():
    scene = make_scene()
    url = reverse("review:aggregates", args=[scene.app1.pk])
    assert browser(scene.officer).get(url).status_code == 200
    assert browser(scene.fund_manager).get(url).status_code == 404  # no funding proposal for its fund
    consider_for_fund(scene.fund_manager, scene.app1)  # a decision proposed for its fund
    assert browser(scene.fund_manager).get(url).status_code == 200
    for user in (scene.e1.user, scene.applicant):
        assert browser(user).get(url).status_code == 403


def test_the_navigation_links_each_role_to_its_review_pages():
    scene = make_scene()
    officer_page = text(browser(scene.officer).get(reverse("home")))
    assert f'href="{reverse("review:calls")}"' in officer_page and f'href="{reverse("review:experts")}"' in officer_page
    expert_page = text(browser(scene.e1.user).get(reverse("application-list")))
    assert f'href="{reverse("review:queue")}"' in expert_page
    applicant_page = text(browser(scene.applicant).get(reverse("home")))
    assert "/review/" not in applicant_page


# ---------------------------------------------------------------- the expert's queue

def test_the_queue_lists_only_the_experts_own_assignments_with_progress_per_call():
    scene = make_scene()
    submit_directly(scene.r21, 80)
    body = text(browser(scene.e2.user).get(reverse("review:queue")))
    assert scene.app1.number in body and scene.app2.number in body
    assert "1 of 2 reviews submitted" in body and "1 / 2" in body
    body = text(browser(scene.e1.user).get(reverse("review:queue")))
    assert scene.app1.number in body and scene.app2.number not in body
    assert "0 of 1 reviews submitted" in body


def test_an_expert_home_lands_on_the_queue():
    scene = make_scene()
    response = browser(scene.e1.user).get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("review:queue")
    assert "My reviews" in text(response)


def test_an_expert_reaches_only_assigned_applications():
    scene = make_scene()
    client = browser(scene.e1.user)
    assert client.get(reverse("application-detail", args=[scene.app1.pk])).status_code == 200
    assert client.get(reverse("application-detail", args=[scene.app2.pk])).status_code == 404
    assert client.get(review_url(Review.objects.get(assignment=scene.a22))).status_code == 404
    # Nor can they act on another expert's assignment.
    response = client.post(reverse("review:assignment-step", args=[scene.a22.pk, "declare_conflict"]),
                           {"declare_conflict-comment": "Not mine."})
    assert response.status_code == 404
    assert Assignment.objects.get(pk=scene.a22.pk).state == "active"


def test_an_expert_never_sees_another_experts_name_or_review():
    scene = make_scene()
    submit_directly(scene.r21, 77, comment="Beta's confidential verdict")
    Review.objects.filter(pk=scene.r21.pk).update(confidential_note="Beta's note to the bureau")
    client = browser(scene.e1.user)
    pages = [reverse("home"), reverse("review:queue"), review_url(scene.r11), reverse("application-list"),
             reverse("application-detail", args=[scene.app1.pk]), reverse("call-detail", args=[scene.call.pk])]
    for url in pages:
        body = text(client.get(url, follow=True))
        for secret in ("Prof. Beta Reviewer", "Hangzhou Beta Lab", "Beta's confidential verdict",
                       "Beta's note to the bureau", "Prof. Gamma Reviewer"):
            assert secret not in body, (url, secret)
    # Their own review page names no one but themselves.
    assert "Prof. Alpha Reviewer" not in text(client.get(review_url(scene.r11)))


# ------------------------------------------------------------------- the review form

def test_the_review_form_shows_the_application_beside_the_rubric():
    scene = make_scene()
    body = text(browser(scene.e1.user).get(review_url(scene.r11)))
    assert "Alpha battery project" in body and "Market analysis" in body  # the application's sections
    for criterion in Criterion.objects.filter(plan__call=scene.call):
        assert criterion.name in body
        assert f'name="score_{criterion.code}"' in body
    assert 'max="25" step="0.5"' in body  # technology: 0..25 in steps of 0.5
    assert "Comment (required)" in body
    assert 'value="save"' in body and 'value="next"' in body and 'value="submit"' in body
    assert "Confidential note to the bureau" in body
    # Whom the applicant asked to exclude is not for the expert's eyes.
    assert "Experts to exclude" not in body


def test_an_out_of_range_score_is_refused_naming_the_criterion_and_nothing_changes():
    scene = make_scene()
    review = fill_review(scene.r11, 60, recommendation="conditional", comment="Before.")
    before = {s.criterion.code: (s.score, s.comment) for s in review.scores.select_related("criterion")}
    sheet = {**FULL_SHEET, "score_maturity": "21", "recommendation": "do_not_support", "action": "save"}
    response = browser(scene.e1.user).post(review_url(review), sheet)
    assert response.status_code == 400
    body = text(response)
    assert "The score for “成熟度与验证方案” must be between 0 and 20; 21 is out of range." \
        in body
    review.refresh_from_db()
    assert review.recommendation == "conditional"
    assert {s.criterion.code: (s.score, s.comment) for s in review.scores.select_related("criterion")} == before


def test_a_draft_is_saved_and_save_and_next_opens_the_next_unfinished_review():
    scene = make_scene()
    client = browser(scene.e2.user)
    response = client.post(review_url(scene.r21), {**FULL_SHEET, "action": "next"})
    nxt = Review.objects.get(assignment=scene.a22)
    assert response.status_code == 302 and response["Location"] == review_url(nxt)
    review = scene.r21
    assert review.state == "draft" and review.recommendation == "support"
    assert CriterionScore.objects.get(review=review, criterion__code="maturity").score == 15.5
    # Saving the last unfinished one goes back to the queue.
    client.post(review_url(scene.r21), {**FULL_SHEET, "action": "submit"})
    response = client.post(review_url(nxt), {**FULL_SHEET, "action": "next"})
    assert response["Location"] == reverse("review:queue")


def test_submitting_a_complete_review():
    scene = make_scene()
    client = browser(scene.e1.user)
    response = client.post(review_url(scene.r11), {**FULL_SHEET, "action": "submit"})
    assert response.status_code == 302
    review = scene.r11
    assert review.state == "submitted" and review.submitted_at is not None
    body = text(client.get(review_url(review)))
    assert "Only the bureau can reopen it" in body and 'name="score_technology"' not in body
    # A submitted review cannot be changed through the form.
    client.post(review_url(review), {**FULL_SHEET, "score_team": "1", "action": "save"})
    assert CriterionScore.objects.get(review=review, criterion__code="team").score == 12


def test_an_incomplete_review_is_saved_but_not_submitted_and_says_what_is_missing():
    scene = make_scene()
    client = browser(scene.e1.user)
    sheet = {**FULL_SHEET, "comment_technology": "", "action": "submit"}
    response = client.post(review_url(scene.r11), sheet, follow=True)
    assert scene.r11.state == "draft"
    assert "Your draft is saved, but the review was not submitted:" in messages_of(response)
    assert "“技术先进性” needs a comment." in text(response)
    assert CriterionScore.objects.filter(review=scene.r11).count() == 6


def test_submitting_after_the_deadline_is_refused_with_the_deadline():
    scene = make_scene(deadline=local_moment(2026, 6, 30, 23, 59))
    with time_machine.travel(local_moment(2026, 7, 1, 9, 0), tick=False):
        client = browser(scene.e1.user)
        page = text(client.get(review_url(scene.r11)))
        message = "The review deadline passed on 2026-06-30 23:59; ask the bureau for an extension."
        assert message in page
        assert 'value="submit"' not in page  # the submit button is disabled, with the reason
        response = client.post(review_url(scene.r11), {**FULL_SHEET, "action": "submit"}, follow=True)
        assert message in messages_of(response)
        assert scene.r11.state == "draft"
        # An officer extends the deadline; the expert can submit again.
        until = local_moment(2026, 7, 3, 18, 0)
        browser(scene.officer).post(reverse("review:review-extend", args=[scene.r11.pk]),
                                    {"extend-until": until.strftime("%Y-%m-%dT%H:%M")})
        assert scene.r11.extended_until == until
        client.post(review_url(scene.r11), {**FULL_SHEET, "action": "submit"})
        assert scene.r11.state == "submitted"


# --------------------------------------------------- conflicts of interest and voided assignments

def test_declaring_a_conflict_needs_a_reason_and_voids_the_assignment_at_once():
    scene = make_scene()
    client = browser(scene.e1.user)
    step = reverse("review:assignment-step", args=[scene.a11.pk, "declare_conflict"])
    response = client.post(step, {"declare_conflict-comment": ""}, follow=True)
    assert any("needs a reason" in m for m in messages_of(response))
    assert Assignment.objects.get(pk=scene.a11.pk).state == "active"

    response = client.post(step, {"declare_conflict-comment": "I co-authored with the team lead in 2025."})
    assert response.status_code == 302 and response["Location"] == reverse("review:queue")
    assignment = Assignment.objects.get(pk=scene.a11.pk)
    assert assignment.state == "voided"
    assert Conflict.objects.get(expert=scene.e1, application=scene.app1).source == ConflictSource.DECLARED
    assert client.get(review_url(scene.r11)).status_code == 404
    assert client.get(reverse("application-detail", args=[scene.app1.pk])).status_code == 404
    assert scene.app1.number not in text(client.get(reverse("review:queue")))


def test_an_unassigned_expert_loses_access_at_once():
    scene = make_scene()
    expert_client = browser(scene.e1.user)
    assert expert_client.get(review_url(scene.r11)).status_code == 200
    step = reverse("review:assignment-step", args=[scene.a11.pk, "unassign"])
    response = browser(scene.officer).post(step, {"unassign-comment": "Replaced: travelling for three weeks."})
    assert response.status_code == 302
    assert Assignment.objects.get(pk=scene.a11.pk).voided_reason == "Replaced: travelling for three weeks."
    assert expert_client.get(review_url(scene.r11)).status_code == 404
    assert expert_client.get(reverse("application-detail", args=[scene.app1.pk])).status_code == 404
    assert expert_client.post(review_url(scene.r11), {**FULL_SHEET, "action": "save"}).status_code == 404
    assert not CriterionScore.objects.filter(review=scene.r11).exists()


def test_manual_assignment_from_the_pool_and_its_refusal_shows_the_conflict_reason():
    scene = make_scene()
    client = browser(scene.officer)
    page = text(client.get(reverse("review:application", args=[scene.app2.pk])))
    assert "Prof. Gamma Reviewer" in page and "0 / 15" in page  # the pool with the load in this call
    client.post(reverse("review:assign", args=[scene.app2.pk]), {"expert": scene.e3.pk})
    assert Assignment.objects.filter(application=scene.app2, expert=scene.e3, state="active").exists()

    colleague = ExpertFactory(name="Prof. Same Place", institution=scene.app1.institution)
    page = text(client.get(reverse("review:application", args=[scene.app1.pk])))
    assert "Same institution as the applicant" in page and "Works at Alpha University, the applicant." in page
    response = client.post(reverse("review:assign", args=[scene.app1.pk]), {"expert": colleague.pk}, follow=True)
    assert (f"Prof. Same Place has a conflict of interest with {scene.app1.number}: "
            "Works at Alpha University, the applicant.") in messages_of(response)
    assert not Assignment.objects.filter(expert=colleague).exists()


def test_the_conflicts_page_lists_source_and_reason_and_pins_a_conflict():
    scene = make_scene()
    ExpertFactory(name="Prof. Same Place", institution=scene.app1.institution)
    client = browser(scene.officer)
    url = reverse("review:conflicts", args=[scene.call.pk])
    body = text(client.get(url))
    assert "Prof. Same Place" in body and "Same institution as the applicant" in body
    response = client.post(url, {"application": scene.app1.pk, "expert": scene.e1.pk, "reason": ""})
    assert response.status_code == 400 and Assignment.objects.get(pk=scene.a11.pk).state == "active"
    client.post(url, {"application": scene.app1.pk, "expert": scene.e1.pk, "reason": "Former doctoral supervisor."})
    conflict = Conflict.objects.get(expert=scene.e1, application=scene.app1, source=ConflictSource.PINNED)
    assert conflict.reason == "Former doctoral supervisor." and conflict.recorded_by == scene.officer
    assert Assignment.objects.get(pk=scene.a11.pk).state == "voided"
    body = text(client.get(url))
    assert "Pinned by an officer" in body and "Former doctoral supervisor." in body
    assert browser(scene.e1.user).get(review_url(scene.r11)).status_code == 404


def test_an_officer_reopens_a_submitted_review_with_a_reason():
    scene = make_scene()
    review = submit_directly(scene.r11, 70)
    client = browser(scene.officer)
    step = reverse("review:review-step", args=[review.pk, "reopen"])
    client.post(step, {"reopen-comment": ""})
    assert Review.objects.get(pk=review.pk).state == "submitted"
    client.post(step, {"reopen-comment": "Please justify the budget score."})
    assert Review.objects.get(pk=review.pk).state == "draft"
    body = text(client.get(review_url(review)))
    assert "Please justify the budget score." in body and "Prof. Alpha Reviewer" in body


# ---------------------------------------------------------------- automatic assignment and draw

def _digest(response):
    return response.context["commit_form"].initial["digest"]


def test_the_automatic_assignment_is_previewed_then_committed():
    scene = make_scene(experts_per_application=2)
    client = browser(scene.officer)
    url = reverse("review:auto-assign", args=[scene.call.pk])
    preview = client.get(url)
    body = text(preview)
    assert "Total affinity".lower() in body.lower() and scene.app2.number in body
    assert Assignment.objects.count() == 3  # nothing saved by the preview
    response = client.post(url, {"digest": _digest(preview)})
    assert response.status_code == 302 and response["Location"] == reverse("review:console", args=[scene.call.pk])
    created = Assignment.objects.filter(method="optimal")
    assert created.count() == 1
    assert created.get().application == scene.app2 and created.get().affinity is not None


def test_a_change_between_preview_and_commit_is_refused_with_409_and_a_fresh_preview():
    scene = make_scene(experts_per_application=3)
    client = browser(scene.officer)
    url = reverse("review:auto-assign", args=[scene.call.pk])
    preview = client.get(url)
    stale = _digest(preview)
    services.assign_manually(scene.officer, scene.app2, scene.e3)  # the input changes meanwhile
    response = client.post(url, {"digest": stale})
    assert response.status_code == 409
    assert "The applications, experts or conflicts changed since the preview; preview again." in text(response)
    assert not Assignment.objects.filter(method="optimal").exists()
    assert response.context["plan"] is not None and _digest(response) != stale


def test_an_infeasible_assignment_says_what_is_short():
    scene = make_scene(experts_per_application=5)
    body = text(browser(scene.officer).get(reverse("review:auto-assign", args=[scene.call.pk])))
    assert scene.app1.number in body and "Confirm and create" not in body


def test_the_random_draw_shows_its_seed_and_commits_the_same_draw():
    scene = make_scene(experts_per_application=2)
    client = browser(scene.officer)
    url = reverse("review:draw", args=[scene.call.pk])
    preview = client.get(url + "?seed=20260512")
    assert "20260512" in text(preview)
    client.post(url, {"digest": _digest(preview), "seed": "20260512"})
    drawn = Assignment.objects.get(method="draw")
    assert drawn.draw_seed == 20260512 and drawn.application == scene.app2
    log = TransitionLog.objects.for_object(drawn).get()
    assert "20260512" in log.comment


# ---------------------------------------------------------------------------- plan and rubric

def _rubric_post(criteria):
    data = {"rubric-TOTAL_FORMS": str(len(criteria)), "rubric-INITIAL_FORMS": "0",
            "rubric-MIN_NUM_FORMS": "0", "rubric-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(criteria):
        for key, value in row.items():
            data[f"rubric-{i}-{key}"] = value
    return data


NEW_RUBRIC = [
    {"code": "novelty", "name": "Novelty", "description": "", "weight": "2", "max_score": "30",
     "comment_required": "on"},
    {"code": "feasibility", "name": "Feasibility", "description": "", "weight": "1", "max_score": "40"},
]


def test_the_plan_and_the_rubric_are_edited_until_the_first_submission():
    scene = make_scene()
    client = browser(scene.officer)
    plan_url = reverse("review:plan", args=[scene.call.pk])
    body = text(client.get(plan_url))
    assert "技术先进性" in body and "rubric-0-code" in body
    response = client.post(plan_url, {"experts_per_application": "5", "deadline": "2026-09-30T18:00",
                                      "trim_min_reviews": "5", "divergence_threshold": "15",
                                      "ranking_aggregate": "median", "calibration_min_reviews": "3"})
    assert response.status_code == 302
    plan = services.ensure_plan(scene.call)
    assert plan.experts_per_application == 5 and plan.ranking_aggregate == "median"

    response = client.post(reverse("review:rubric", args=[scene.call.pk]), _rubric_post(NEW_RUBRIC))
    assert response.status_code == 302
    assert list(plan.criteria.values_list("code", "max_score")) == [("novelty", 30), ("feasibility", 40)]

    submit_directly(scene.r11, 50)
    body = text(client.get(plan_url))
    assert "The rubric cannot change: reviews under it have already been submitted." in body
    assert "rubric-0-code" not in body
    response = client.post(reverse("review:rubric", args=[scene.call.pk]),
                           _rubric_post([{"code": "other", "name": "Other", "weight": "1", "max_score": "10"}]))
    assert response.status_code == 409
    assert "The rubric cannot change: reviews under it have already been submitted." in messages_of(response)
    assert list(plan.criteria.values_list("code", flat=True)) == ["novelty", "feasibility"]


def test_the_rubric_form_as_a_browser_sends_it_edits_and_deletes_criteria():
    scene = make_scene()
    client = browser(scene.officer)
    formset = client.get(reverse("review:plan", args=[scene.call.pk])).context["rubric"]
    data = {f"rubric-{key}": value for key, value in formset.management_form.initial.items()}
    for i, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name == "comment_required":
                if value:
                    data[f"rubric-{i}-{name}"] = "on"
            else:
                data[f"rubric-{i}-{name}"] = str(value)
    codes = [f.initial.get("code") for f in formset.forms]
    data[f"rubric-{codes.index('budget')}-DELETE"] = "on"
    data[f"rubric-{codes.index('team')}-max_score"] = "25"
    extra = len(formset.forms) - 1  # the empty row, left empty apart from its default weight
    data[f"rubric-{extra}-weight"] = "1"
    response = client.post(reverse("review:rubric", args=[scene.call.pk]), data)
    assert response.status_code == 302, response.context and response.context["rubric"].errors
    plan = services.ensure_plan(scene.call)
    assert list(plan.criteria.values_list("code", flat=True)) == ["technology", "maturity", "market", "team",
                                                                   "transfer"]
    assert plan.criteria.get(code="team").max_score == 25 and plan.criteria.get(code="maturity").comment_required


def test_a_bad_rubric_row_is_refused_and_changes_nothing():
    scene = make_scene()
    before = list(Criterion.objects.filter(plan__call=scene.call).values_list("code", flat=True))
    response = browser(scene.officer).post(
        reverse("review:rubric", args=[scene.call.pk]),
        _rubric_post([{"code": "a", "name": "A", "weight": "1", "max_score": "10"},
                      {"code": "a", "name": "Again", "weight": "1", "max_score": "10"}]))
    assert response.status_code == 400
    assert "Every criterion needs a code, and codes must be unique." in messages_of(response)
    assert list(Criterion.objects.filter(plan__call=scene.call).values_list("code", flat=True)) == before


# ----------------------------------------------------------------------- progress and ranking

def test_the_console_shows_assigned_submitted_and_needed_per_application():
    scene = make_scene(experts_per_application=3)
    submit_directly(scene.r21, 80)
    response = browser(scene.officer).get(reverse("review:console", args=[scene.call.pk]))
    rows = {a.number: (a.assigned, a.submitted, a.short) for a in response.context["progress"]}
    assert rows == {scene.app1.number: (2, 1, 1), scene.app2.number: (1, 0, 2)}
    assert "Preview the automatic assignment" in text(response)


def test_the_ranking_shows_raw_and_calibrated_statistics_the_tie_rule_and_the_calibration():
    scene = make_scene()
    submit_directly(scene.r11, 80)
    submit_directly(scene.r21, 70)
    submit_directly(Review.objects.get(assignment=scene.a22), 60)
    response = browser(scene.officer).get(reverse("review:ranking", args=[scene.call.pk]))
    body = text(response)
    first, second = response.context["rows"][:2]
    assert (first.application, first.n_reviews, first.mean) == (scene.app1, 2, 75.0)
    assert (second.application, second.mean) == (scene.app2, 60.0)
    for heading in ("Mean", "Median", "Trimmed mean", "Std. dev.", "Spread", "Divergence", "Calibrated mean"):
        assert f">{heading}</th>" in body
    assert "Tie rule:" in body and "then higher median" in body
    # Two reviews each: too few to calibrate, said per expert, with the names (officers only).
    assert body.count("too few reviews to calibrate") == 2
    assert "Prof. Alpha Reviewer" in body and "Prof. Beta Reviewer" in body


def test_fund_managers_see_aggregates_without_names_or_individual_reviews():
    scene = make_scene()
    submit_directly(scene.r11, 80, comment="Alpha's private words")
    submit_directly(scene.r21, 70, comment="Beta's private words")
    consider_for_fund(scene.fund_manager, scene.app1)  # a decision proposed for its fund
    response = browser(scene.fund_manager).get(reverse("review:aggregates", args=[scene.app1.pk]))
    body = text(response)
    assert response.context["aggregates"].mean == 75.0 and "75.00" in body
    for secret in ("Prof. Alpha Reviewer", "Prof. Beta Reviewer", "Wenzhou Alpha Lab", "Alpha's private words",
                   "Beta's private words", review_url(scene.r11)):
        assert secret not in body
    detail = text(browser(scene.fund_manager).get(reverse("application-detail", args=[scene.app1.pk])))
    assert reverse("review:aggregates", args=[scene.app1.pk]) in detail
    assert "Prof. Alpha Reviewer" not in detail


# ------------------------------------------------------------- the applicant and the poc page hook

def test_an_applicant_never_sees_expert_names_on_the_application_or_its_timeline():
    scene = make_scene()
    submit_directly(scene.r11, 80, comment="Alpha's private words")
    services.unassign(scene.officer, scene.a21, "Replaced by the bureau.")
    response = browser(scene.applicant).get(reverse("application-detail", args=[scene.app1.pk]))
    body = text(response)
    assert response.status_code == 200 and "Alpha battery project" in body
    for secret in ("Prof. Alpha Reviewer", "Prof. Beta Reviewer", "Wenzhou Alpha Lab", "Hangzhou Beta Lab",
                   "Alpha's private words", "Replaced by the bureau.", "/review/"):
        assert secret not in body, secret
    # The timeline is the application's own history: no assignment or review rows in it.
    assert {entry["transition"] for entry in response.context["timeline"]} <= {"create", "submit",
                                                                               "accept_for_review"}


def test_the_application_page_links_officers_and_the_assigned_expert_to_the_review():
    scene = make_scene()
    url = reverse("application-detail", args=[scene.app1.pk])
    body = text(browser(scene.officer).get(url))
    assert reverse("review:application", args=[scene.app1.pk]) in body and "2 assigned · 0 submitted" in body
    body = text(browser(scene.e1.user).get(url))
    assert review_url(scene.r11) in body and reverse("review:application", args=[scene.app1.pk]) not in body


# ------------------------------------------------------------------------------ the expert pool

def test_the_pool_is_filtered_by_discipline_activity_and_pledge():
    scene = make_scene()
    ExpertFactory(name="Dr. Inactive", active=False)
    ExpertFactory(name="Dr. No Pledge", pledge_signed_on=None)
    ExpertFactory(name="Dr. Sensors", disciplines=["ICT.AI"])
    client = browser(scene.officer)
    url = reverse("review:experts")

    def names(query):
        return {e.name for e in client.get(url, query).context["page"]}

    assert {"Dr. Inactive", "Dr. No Pledge", "Dr. Sensors", "Prof. Alpha Reviewer"} <= names({})
    assert "Dr. Inactive" not in names({"active": "yes"}) and "Dr. Inactive" in names({"active": "no"})
    assert names({"pledge": "no"}) == {"Dr. No Pledge"}
    ai = Discipline.objects.get(code="ICT.AI")
    assert names({"discipline": ai.pk}) == {"Dr. Sensors"}
    assert names({"q": "Gamma"}) == {"Prof. Gamma Reviewer"}


def test_the_expert_page_shows_affiliations_conflicts_and_assignments():
    scene = make_scene()
    ExpertAffiliationFactory(expert=scene.e1, institution=InstitutionFactory(name="Old Employer Institute"))
    services.pin_conflict(scene.officer, scene.app2, scene.e1, "Relative of the team lead.")
    body = text(browser(scene.officer).get(reverse("review:expert", args=[scene.e1.pk])))
    assert "Old Employer Institute" in body and "Relative of the team lead." in body
    assert scene.app1.number in body and "Pinned by an officer" in body


def test_expert_user_without_profile_gets_a_plain_queue():
    response = browser(expert()).get(reverse("review:queue"))
    assert response.status_code == 200 and "not in the expert pool yet" in text(response)


def test_no_review_page_leaks_into_the_applicant_html_by_number_pattern():
    """Belt and braces: no review URL at all on any applicant page of the application."""
    scene = make_scene()
    client = browser(scene.applicant)
    for url in (reverse("home"), reverse("application-list"), reverse("application-detail", args=[scene.app1.pk])):
        assert not re.search(r"/review/(reviews|assignments|applications)/\d+", text(client.get(url)))


def test_deadline_shown_in_the_queue_and_form():
    scene = make_scene(deadline=timezone.now() + timedelta(days=10))
    local = timezone.localtime(services.ensure_plan(scene.call).deadline).strftime("%Y-%m-%d %H:%M")
    client = browser(scene.e1.user)
    assert local in text(client.get(reverse("review:queue")))
    assert f"Deadline: {local}" in text(client.get(review_url(scene.r11)))
