"""The rules of a call, configurable per call (issue 12 §7): officers change them in the call editor and through
the API, each change audited (who, when, which rule, from, to); once an application of the call has reached
expert review they are frozen. The grant ceiling (e.g. PoC projects ≤ ¥500,000) holds on the budget: exactly the
ceiling is accepted, one cent more is refused with the numbers and changes nothing."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from poc.applications import services
from poc.applications.calls import RULE_CHANGE, RULE_FIELDS
from poc.applications.completeness import missing_items
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Call, ProjectDetails, TransitionLog
from poc.workflow import run_transition
from tests.factories import CallFactory, InstitutionFactory, applicant_of, make_application, officer

from .api_support import API, api_client, app_url
from .pages_support import browser


def text(response) -> str:
    """The page's words, tags dropped and spaces folded."""
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rule_values(call) -> dict:
    fresh = Call.objects.get(pk=call.pk)
    return {name: getattr(fresh, name) for name in RULE_FIELDS}


def rule_log(call) -> list[tuple]:
    return [(row.comment, row.source, row.target, row.actor_id)
            for row in TransitionLog.objects.for_object(call).filter(transition=RULE_CHANGE).order_by("id")]


# ============================================================== today's values are the defaults

def test_call_rules_default_to_the_values_in_force_before_they_were_configurable():
    call = Call(kind="poc_project")
    assert (call.min_reviews, call.notice_days, call.notice_day_kind, call.validity_years) == (3, 7, "working", 3)
    assert (call.grade_excellent_from, call.grade_good_from, call.grade_pass_from) == (90, 70, 60)
    assert (call.major_projects, call.conversion_deadline_months) == (False, 12)
    assert (call.acceptance_pass_from, call.acceptance_rectify_from) == (80, 60)
    assert call.grant_ceiling is None


# ============================================================== changes, audited

def test_call_rules_changed_by_an_officer_are_audited_with_who_which_rule_from_and_to():
    staff, call = officer(), CallFactory(kind="poc_project")
    services.save_call(staff, call, grant_ceiling=D("500000.00"), min_reviews=5, acceptance_pass_from=D("85"),
                       title="Renamed")
    assert rule_log(call) == [("min_reviews", "3", "5", staff.pk), ("acceptance_pass_from", "80.00", "85", staff.pk),
                              ("grant_ceiling", "", "500000.00", staff.pk)]
    # Saving the same values again records nothing.
    services.save_call(staff, Call.objects.get(pk=call.pk), grant_ceiling=D("500000.00"), min_reviews=5)
    assert len(rule_log(call)) == 3


def test_call_rules_a_non_officer_cannot_change_and_nothing_changes():
    call = CallFactory(kind="poc_project")
    before = rule_values(call)
    with pytest.raises(NotAllowed):
        services.save_call(applicant_of(InstitutionFactory()), call, grant_ceiling=D("1"))
    assert rule_values(call) == before and rule_log(call) == []


@pytest.mark.parametrize(("fields", "message"), [
    ({"grade_good_from": D("95")}, "Grades must rise: pass ≤ good ≤ excellent ≤ 100."),
    ({"acceptance_rectify_from": D("90")}, "Acceptance thresholds must rise: rectification ≤ passed ≤ 100."),
    ({"major_projects": True, "conversion_deadline_months": 13},
     "For major projects the conversion obligation is due within 12 months of approval."),
    ({"grant_ceiling": D("5000000.01")}, "The grant ceiling (¥5,000,000.01) cannot exceed the call's budget "
                                          "(¥5,000,000.00)."),
    ({"grant_ceiling": D("0")}, "Ensure this value is greater than or equal to 0.01."),
])
def test_call_rules_bad_values_are_refused_with_a_clear_message_and_change_nothing(fields, message):
    call = CallFactory(kind="poc_project")
    before = rule_values(call)
    with pytest.raises(BadInput) as refused:
        services.save_call(officer(), call, **fields)
    assert message in refused.value.messages
    assert rule_values(call) == before and rule_log(call) == []


def test_call_rules_a_center_call_has_no_grant_ceiling():
    call = CallFactory(kind="poc_center", max_applications_per_institution=1)
    with pytest.raises(BadInput) as refused:
        services.save_call(officer(), call, grant_ceiling=D("500000"))
    assert refused.value.messages == ["Only project calls have a grant ceiling: center calls fund no projects."]


# ============================================================== frozen once review starts

@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "withdrawn"])
def test_call_rules_stay_editable_before_any_application_reaches_review(state):
    call = CallFactory(kind="poc_project")
    make_application(call, state=state)
    assert call.rules_frozen_reason() is None
    services.save_call(officer(), call, min_reviews=4)
    assert Call.objects.get(pk=call.pk).min_reviews == 4


@pytest.mark.parametrize("state", ["under_review", "reviewed", "public_notice", "approved"])
def test_call_rules_are_frozen_once_an_application_reached_review_and_a_change_changes_nothing(state):
    call = CallFactory(kind="poc_project")
    app = make_application(call, state=state)
    before = rule_values(call)
    with pytest.raises(NotNow) as refused:
        services.save_call(officer(), call, grant_ceiling=D("400000"), min_reviews=5)
    assert refused.value.messages == [
        f"The rules of this call are frozen: application {app.number} has reached expert review, and the rules its "
        "applications are judged by cannot change after that."]
    assert set(refused.value.field_errors) == {"grant_ceiling", "min_reviews"}
    assert rule_values(call) == before and rule_log(call) == []


def test_call_rules_frozen_calls_still_take_other_edits_and_unchanged_rules():
    call = CallFactory(kind="poc_project")
    make_application(call, state="under_review")
    saved = services.save_call(officer(), call, title="Renamed", budget=D("6000000"), min_reviews=call.min_reviews)
    assert (saved.title, saved.budget) == ("Renamed", D("6000000"))


def test_call_rules_stay_frozen_when_an_application_rejected_after_review_is_the_only_one():
    staff, call = officer(), CallFactory(kind="poc_project")
    app = make_application(call, state="submitted")
    run_transition(app, "accept_for_review", staff, "")
    app.refresh_from_db()
    from poc.models import Application
    Application.objects.filter(pk=app.pk).update(state="rejected")
    assert call.rules_frozen_reason() is not None
    with pytest.raises(NotNow):
        services.save_call(staff, call, min_reviews=7)


# ============================================================== grant ceiling on the budget

def project_call(ceiling="500000.00"):
    return CallFactory(kind="poc_project", grant_ceiling=D(ceiling))


def test_call_rules_grant_ceiling_exactly_reached_by_the_requested_grant_is_accepted():
    call = project_call()
    app = make_application(call)
    user = app.created_by
    services.update_application(user, app, requested_grant=D("500000.00"))
    assert ProjectDetails.objects.get(application=app).requested_grant == D("500000.00")
    assert not [m for m in missing_items(app) if "ceiling" in str(m)]


def test_call_rules_grant_ceiling_exceeded_by_a_cent_is_refused_with_the_numbers_and_nothing_changes():
    call = project_call()
    app = make_application(call)
    ProjectDetails.objects.filter(application=app).update(requested_grant=D("450000.00"))
    with pytest.raises(BadInput) as refused:
        services.update_application(app.created_by, app, requested_grant=D("500000.01"), title="Changed")
    message = ("The requested grant of ¥500,000.01 is over the call's grant ceiling of ¥500,000.00 per project (by "
               "¥0.01).")
    assert refused.value.messages == [message]
    assert refused.value.field_errors == {"requested_grant": [message]}
    app.refresh_from_db()
    assert app.title != "Changed"
    assert ProjectDetails.objects.get(application=app).requested_grant == D("450000.00")


def test_call_rules_grant_ceiling_lowered_before_review_stops_the_submission_of_a_larger_budget():
    call = CallFactory(kind="poc_project")
    app = make_application(call)  # requests ¥500,000.00
    services.save_call(officer(), call, grant_ceiling=D("499999.99"))
    app = type(app).objects.get(pk=app.pk)
    assert ("The requested grant of ¥500,000.00 is over the call's grant ceiling of ¥499,999.99 per project (by "
            "¥0.01).") in [str(m) for m in missing_items(app)]
    with pytest.raises(NotNow):
        run_transition(app, "submit", app.created_by, "")
    assert type(app).objects.get(pk=app.pk).state == "draft"


# ============================================================== through the API

def test_call_rules_api_edits_the_rules_and_shows_them():
    staff, call = officer(), CallFactory(kind="poc_project")
    client = api_client(staff)
    response = client.patch(f"{API}/calls/{call.pk}/", {"grant_ceiling": "500000.00", "notice_days": 5,
                                                        "notice_day_kind": "working", "validity_years": 4,
                                                        "grade_excellent_from": "92.5", "major_projects": True,
                                                        "conversion_deadline_months": 12}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["grant_ceiling"], body["notice_days"], body["validity_years"], body["grade_excellent_from"],
            body["major_projects"], body["rules_frozen"]) == ("500000.00", 5, 4, "92.50", True, None)
    assert [c[0] for c in rule_log(call)] == ["notice_days", "notice_day_kind", "validity_years",
                                              "grade_excellent_from", "major_projects", "grant_ceiling"]
    listed = client.get(f"{API}/calls/").json()["results"]
    assert [c["grant_ceiling"] for c in listed if c["id"] == call.pk] == ["500000.00"]


def test_call_rules_api_refuses_a_bad_value_with_the_field_and_changes_nothing():
    call = CallFactory(kind="poc_project")
    before = rule_values(call)
    response = api_client(officer()).patch(f"{API}/calls/{call.pk}/", {"grade_pass_from": "75"}, format="json")
    assert response.status_code == 400
    assert "Grades must rise: pass ≤ good ≤ excellent ≤ 100." in response.json()["detail"]
    assert rule_values(call) == before and rule_log(call) == []


def test_call_rules_api_refuses_changes_once_frozen_with_409_and_changes_nothing():
    call = CallFactory(kind="poc_project")
    app = make_application(call, state="reviewed")
    before = rule_values(call)
    client = api_client(officer())
    response = client.patch(f"{API}/calls/{call.pk}/", {"grant_ceiling": "300000.00"}, format="json")
    assert response.status_code == 409
    assert f"application {app.number} has reached expert review" in response.json()["detail"]
    assert rule_values(call) == before and rule_log(call) == []
    assert client.get(f"{API}/calls/{call.pk}/").json()["rules_frozen"].startswith("The rules of this call are frozen")


def test_call_rules_api_refuses_a_requested_grant_over_the_ceiling():
    call = project_call()
    app = make_application(call)
    client = api_client(app.created_by)
    over = client.patch(app_url(app), {"project_details": {"requested_grant": "500000.01"}}, format="json")
    assert over.status_code == 400
    assert "¥500,000.01 is over the call's grant ceiling of ¥500,000.00" in over.json()["detail"]
    assert ProjectDetails.objects.get(application=app).requested_grant == D("500000.00")
    exact = client.patch(app_url(app), {"project_details": {"requested_grant": "500000.00"}}, format="json")
    assert exact.status_code == 200


# ============================================================== through the pages

def test_call_rules_the_call_page_shows_the_rules_and_the_changes_to_them():
    staff, call = officer(first_name="Lan", last_name="Xu"), CallFactory(kind="poc_project")
    services.save_call(staff, call, grant_ceiling=D("500000.00"))
    body = text(browser(staff).get(reverse("call-detail", args=[call.pk])))
    assert "Grant ceiling per project ≤ ¥500,000.00" in body
    assert "Changes to the rules" in body
    assert "Lan Xu Grant ceiling per project (yuan) — 500000.00" in body
    applicant_body = text(browser(applicant_of(InstitutionFactory())).get(reverse("call-detail", args=[call.pk])))
    assert "Grant ceiling per project ≤ ¥500,000.00" in applicant_body
    assert "Changes to the rules" not in applicant_body


def test_call_rules_the_editor_saves_rules_and_shows_them_read_only_once_frozen():
    from .test_pages import call_post

    staff, call = officer(), CallFactory(kind="poc_project", title="2027 PoC projects")
    client = browser(staff)
    response = client.post(reverse("call-edit", args=[call.pk]), call_post(grant_ceiling="500000.00",
                                                                           min_reviews="5"))
    assert response.status_code == 302
    assert (Call.objects.get(pk=call.pk).grant_ceiling, Call.objects.get(pk=call.pk).min_reviews) == (D("500000"), 5)

    app = make_application(call, state="under_review")
    page = client.get(reverse("call-edit", args=[call.pk]))
    assert f"application {app.number} has reached expert review" in text(page)
    assert 'name="grant_ceiling"' in page.content.decode() and " disabled" in page.content.decode()
    # A post that tries to change a frozen rule changes nothing (disabled fields keep their values).
    client.post(reverse("call-edit", args=[call.pk]), call_post(grant_ceiling="1.00", min_reviews="9"))
    assert (Call.objects.get(pk=call.pk).grant_ceiling, Call.objects.get(pk=call.pk).min_reviews) == (D("500000"), 5)
    assert len(rule_log(call)) == 3  # min_reviews, notice_day_kind (the factory counts calendar days), grant_ceiling
