"""District recommendation (区县推荐): where a call asks for it, the science bureau of the applicant's district
recommends each submitted application (with its opinion) or declines to (with the reason) before the city's
formal check. Through the service (the workflow and the access policy) and through the API, with refusals that
change nothing."""
import pytest
from django.core import mail
from django.urls import reverse

from poc.access import can, visible
from poc.applications import selectors
from poc.applications.services import save_call
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Application, Call, DistrictRecommendation, Notification
from poc.rules import check_transition
from poc.selectors import history_of
from poc.workflow import run_transition
from tests.documents.test_documents import compact, text_of
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    district_officer_of,
    make_application,
    officer,
)
from tests.notifications.support import committed

from .api_support import API, api_client, app_url
from .workflow_support import rules_environment, snapshot

pytestmark = pytest.mark.django_db

OPINION = "该单位位于鹿城区，项目技术路线清晰，符合申报条件，同意推荐。"
REASON = "申报单位近三年存在未按期结题项目，不予推荐。"
RECOMMEND_REFUSAL = "Only the science bureau of the applicant's district can recommend this application."
DECLINE_REFUSAL = "Only the science bureau of the applicant's district can decline to recommend this application."


@pytest.fixture(autouse=True)
def _english():
    with rules_environment():
        yield


@pytest.fixture
def world():
    """A call that asks for a district recommendation; an institution of 鹿城区 with a submitted application; the
    officers of 鹿城区 and of 瓯海区; a bureau officer."""
    call = CallFactory(kind="poc_project", requires_district_recommendation=True, title="2026 年概念验证项目")
    institution = InstitutionFactory(district="鹿城区")
    owner = applicant_of(institution)
    app = make_application(call, institution, created_by=owner, state="submitted")
    return {
        "call": call, "institution": institution, "owner": owner, "app": app,
        "lucheng": district_officer_of("鹿城区"), "ouhai": district_officer_of("瓯海区"), "officer": officer(),
    }


def reloaded(app):
    return Application.objects.get(pk=app.pk)


# ---------------------------------------------------------------- the step sits before the formal check

def test_where_the_call_asks_for_it_the_formal_check_waits_for_the_district(world):
    app, bureau = world["app"], world["officer"]
    for step in ("accept_for_review", "return_for_revision", "reject_formally"):
        check = check_transition(app, step, bureau)
        assert (check.status, check.reasons) == (409, [
            "The call asks for a district recommendation: the formal check follows the recommendation of the "
            "science bureau of 鹿城区, which has not given it yet."])
    before = snapshot(app)
    with pytest.raises(NotNow):
        run_transition(app, "accept_for_review", bureau, "")
    assert snapshot(app) == before


def test_the_district_recommends_with_its_opinion_and_the_formal_check_follows(world):
    app = run_transition(world["app"], "recommend", world["lucheng"], OPINION)
    assert app.state == "recommended"
    opinion = DistrictRecommendation.objects.get(application=app)
    assert (opinion.district, opinion.bureau, opinion.outcome, opinion.opinion, opinion.decided_by) == (
        "鹿城区", "鹿城区科技局", "recommended", OPINION, world["lucheng"])
    log = list(history_of(app))[-1]
    assert (log.transition, log.source, log.target, log.actor, log.comment) == (
        "recommend", "submitted", "recommended", world["lucheng"], OPINION)
    assert run_transition(app, "accept_for_review", world["officer"], "").state == "under_review"


def test_a_recommended_application_can_be_returned_or_rejected_at_the_formal_check(world):
    app = run_transition(world["app"], "recommend", world["lucheng"], OPINION)
    assert check_transition(app, "return_for_revision", world["officer"]).allowed
    assert check_transition(app, "reject_formally", world["officer"]).allowed
    assert run_transition(app, "withdraw", world["owner"], "").state == "withdrawn"


def test_declining_to_recommend_ends_the_application_with_the_reason(world):
    app = run_transition(world["app"], "decline_recommendation", world["lucheng"], REASON)
    assert app.state == "rejected" and app.decided_at is not None
    opinion = app.district_recommendation()
    assert (opinion.outcome, opinion.opinion) == ("declined", REASON)


def test_without_the_flag_the_formal_check_follows_submission_as_before():
    institution = InstitutionFactory(district="鹿城区")
    app = make_application(CallFactory(title="不需推荐的批次"), institution, state="submitted")
    district = district_officer_of("鹿城区")
    check = check_transition(app, "recommend", district)
    assert (check.status, check.reasons) == (409, ["The call “不需推荐的批次” does not ask for a district recommendation."])
    assert not visible(district, Application).filter(pk=app.pk).exists()
    assert run_transition(app, "accept_for_review", officer(), "").state == "under_review"
    assert not DistrictRecommendation.objects.exists()


def test_a_resubmitted_application_is_recommended_again(world):
    app = run_transition(world["app"], "recommend", world["lucheng"], OPINION)
    app = run_transition(app, "return_for_revision", world["officer"], "预算说明不完整。")
    app = run_transition(app, "resubmit", world["owner"], "")
    assert app.state == "submitted"
    assert not check_transition(app, "accept_for_review", world["officer"]).allowed
    app = run_transition(app, "recommend", world["lucheng"], "修改后同意推荐。")
    assert app.district_recommendation().opinion == "修改后同意推荐。"
    assert app.district_recommendations.count() == 2


# ---------------------------------------------------------------- who sees, who may act: refusals change nothing

def test_a_district_officer_sees_only_the_submitted_applications_of_its_district(world):
    lucheng = world["lucheng"]
    draft = make_application(world["call"], world["institution"], state="draft")
    elsewhere = make_application(world["call"], InstitutionFactory(district="瓯海区"), state="submitted")
    other_call = make_application(CallFactory(), world["institution"], state="submitted")
    assert list(visible(lucheng, Application).order_by("pk")) == [world["app"]]
    assert [a.pk for a in selectors.awaiting_recommendation(lucheng)] == [world["app"].pk]
    assert not can(lucheng, "view", draft) and not can(lucheng, "view", elsewhere)
    assert not can(lucheng, "view", other_call)
    assert list(visible(world["ouhai"], Application)) == [elsewhere]
    assert not can(lucheng, "change", world["app"])


def test_a_district_officer_of_another_district_may_not_recommend(world):
    app = world["app"]
    before = snapshot(app)
    for step, refusal in (("recommend", RECOMMEND_REFUSAL), ("decline_recommendation", DECLINE_REFUSAL)):
        with pytest.raises(NotAllowed) as refused:
            run_transition(app, step, world["ouhai"], OPINION)
        assert refused.value.messages == [refusal]
    assert snapshot(app) == before and not DistrictRecommendation.objects.exists()


@pytest.mark.parametrize("who", ["officer", "owner"])
def test_neither_the_bureau_nor_the_applicant_may_recommend(world, who):
    app = world["app"]
    before = snapshot(app)
    with pytest.raises(NotAllowed) as refused:
        run_transition(app, "recommend", world[who], OPINION)
    assert refused.value.messages == [RECOMMEND_REFUSAL]
    assert snapshot(app) == before and not DistrictRecommendation.objects.exists()


def test_a_recommendation_needs_an_opinion_and_a_refusal_a_reason(world):
    app = world["app"]
    before = snapshot(app)
    for step, label in (("recommend", "Recommend"), ("decline_recommendation", "Decline to recommend")):
        with pytest.raises(BadInput) as refused:
            run_transition(app, step, world["lucheng"], "  ")
        assert refused.value.messages == [f"“{label}” needs a reason: please write a comment."]
    assert snapshot(app) == before and not DistrictRecommendation.objects.exists()


def test_the_district_recommends_only_a_submitted_application(world):
    app = run_transition(world["app"], "recommend", world["lucheng"], OPINION)
    before = snapshot(app)
    with pytest.raises(NotNow) as refused:
        run_transition(app, "recommend", world["lucheng"], OPINION)
    assert refused.value.messages == [
        "“Recommend” is not possible while the application is “Recommended by the district”."]
    assert snapshot(app) == before and DistrictRecommendation.objects.count() == 1


def test_the_flag_cannot_change_once_applications_are_submitted(world):
    with pytest.raises(NotNow):
        save_call(world["officer"], world["call"], requires_district_recommendation=False)
    assert Call.objects.get(pk=world["call"].pk).requires_district_recommendation
    fresh = CallFactory()
    make_application(fresh, state="draft")
    assert save_call(world["officer"], fresh, requires_district_recommendation=True).requires_district_recommendation


# ---------------------------------------------------------------- timeline, notifications, documents

def test_the_timeline_shows_the_district_step_by_role_to_the_applicant(world):
    run_transition(world["app"], "recommend", world["lucheng"], OPINION)
    entry = selectors.timeline_for(reloaded(world["app"]), world["owner"])[-1]
    assert (entry["label"], entry["actor"], entry["target"], entry["comment"]) == (
        "Recommend", "District officer", "Recommended by the district", OPINION)


def test_the_district_hears_of_a_submission_and_the_applicant_and_bureau_of_its_opinion(
        django_capture_on_commit_callbacks, settings):
    # Fanned out in this process even where a broker is configured: a real worker cannot see this test's
    # uncommitted rows (tests/notifications/test_worker.py covers that seam).
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call = CallFactory(requires_district_recommendation=True)
    institution = InstitutionFactory(district="鹿城区")
    owner = applicant_of(institution)
    lucheng, ouhai, bureau = district_officer_of("鹿城区"), district_officer_of("瓯海区"), officer()
    app = make_application(call, institution, created_by=owner)
    with committed(django_capture_on_commit_callbacks):
        run_transition(app, "submit", owner, "")
    assert list(Notification.objects.filter(kind="application_awaiting_recommendation")
                .values_list("recipient", flat=True)) == [lucheng.pk]
    assert not Notification.objects.filter(recipient__in=[ouhai, bureau]).exists()
    with committed(django_capture_on_commit_callbacks):
        run_transition(app, "recommend", lucheng, OPINION)
    assert set(Notification.objects.filter(kind="application_recommended").values_list("recipient", flat=True)) == {
        owner.pk}
    assert set(Notification.objects.filter(kind="application_recommended_to_bureau")
               .values_list("recipient", flat=True)) == {bureau.pk}
    assert mail.outbox


def test_the_application_form_prints_the_district_opinion(client, world):
    run_transition(world["app"], "recommend", world["lucheng"], OPINION)
    client.force_login(world["lucheng"])  # the district officer may read the form of an application it recommended
    response = client.get(reverse("application-document", args=[world["app"].pk, "form"]))
    assert response.status_code == 200
    text = compact(text_of(b"".join(response.streaming_content)))
    assert "区县推荐意见" in text and "鹿城区科技局" in text and compact(OPINION) in text


# ---------------------------------------------------------------- the API

def test_api_the_district_officer_lists_and_runs_its_steps(world):
    client = api_client(world["lucheng"])
    listed = client.get(f"{API}/applications/")
    assert [a["id"] for a in listed.json()["results"]] == [world["app"].pk]
    names = [t["name"] for t in client.get(app_url(world["app"], "transitions")).json()]
    assert names == ["recommend", "decline_recommendation"]
    response = client.post(app_url(world["app"], "transitions", "recommend"), {"comment": OPINION}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "recommended"
    assert [(r["bureau"], r["outcome"], r["opinion"]) for r in body["district_recommendations"]] == [
        ("鹿城区科技局", "recommended", OPINION)]


def test_api_refusals_change_nothing(world):
    app = world["app"]
    url = app_url(app, "transitions", "recommend")
    before = snapshot(app)
    # another district's officer does not even see the application
    assert api_client(world["ouhai"]).post(url, {"comment": OPINION}, format="json").status_code == 404
    refused = api_client(world["officer"]).post(url, {"comment": OPINION}, format="json")
    assert (refused.status_code, refused.json()["detail"]) == (403, RECOMMEND_REFUSAL)
    refused = api_client(world["owner"]).post(url, {"comment": OPINION}, format="json")
    assert refused.status_code == 403
    empty = api_client(world["lucheng"]).post(url, {"comment": ""}, format="json")
    assert empty.status_code == 400
    assert snapshot(app) == before and not DistrictRecommendation.objects.exists()
    api_client(world["lucheng"]).post(url, {"comment": OPINION}, format="json")
    again = api_client(world["lucheng"]).post(url, {"comment": OPINION}, format="json")
    assert again.status_code == 409 and DistrictRecommendation.objects.count() == 1


def test_api_officers_set_the_flag_on_a_call_until_applications_are_submitted(world):
    client = api_client(world["officer"])
    fresh = CallFactory()
    response = client.patch(f"{API}/calls/{fresh.pk}/", {"requires_district_recommendation": True}, format="json")
    assert response.status_code == 200 and response.json()["requires_district_recommendation"] is True
    refused = client.patch(f"{API}/calls/{world['call'].pk}/", {"requires_district_recommendation": False},
                           format="json")
    assert refused.status_code == 409
    assert Call.objects.get(pk=world["call"].pk).requires_district_recommendation
    denied = api_client(world["lucheng"]).patch(f"{API}/calls/{fresh.pk}/",
                                                {"requires_district_recommendation": False}, format="json")
    assert denied.status_code in (403, 404)
    assert Call.objects.get(pk=fresh.pk).requires_district_recommendation


# ---------------------------------------------------------------- the pages

def test_the_district_page_lists_its_applications_with_the_two_forms(client, world):
    elsewhere = make_application(world["call"], InstitutionFactory(district="瓯海区", name="瓯海某单位"),
                                 state="submitted", title="瓯海的申报")
    client.force_login(world["lucheng"])
    assert client.get(reverse("home")).status_code == 200
    html = client.get(reverse("district-home")).content.decode()
    assert world["app"].title in html and elsewhere.title not in html
    assert reverse("application-transition", args=[world["app"].pk, "recommend"]) in html
    assert reverse("application-transition", args=[world["app"].pk, "decline_recommendation"]) in html
    assert client.get(reverse("application-detail", args=[elsewhere.pk])).status_code == 404

    response = client.post(reverse("application-transition", args=[world["app"].pk, "recommend"]),
                           {"recommend-comment": OPINION, "next": reverse("district-home")})
    assert response.status_code == 302 and response.url == reverse("district-home")
    assert reloaded(world["app"]).state == "recommended"
    detail = client.get(reverse("application-detail", args=[world["app"].pk])).content.decode()
    assert OPINION in detail


def test_the_district_page_is_for_district_officers_only(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("district-home")).status_code == 403


def test_the_call_editor_offers_the_flag(client, world):
    client.force_login(world["officer"])
    html = client.get(reverse("call-create")).content.decode()
    assert 'name="requires_district_recommendation"' in html
