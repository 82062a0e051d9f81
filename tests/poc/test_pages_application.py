"""The application page: read-only sections, history, the transition panel and officer records."""
import pytest
from django.urls import reverse
from django.utils import timezone

from poc.models import Objection, SiteVisit
from poc.workflow import run_transition
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    UserFactory,
    applicant_of,
    make_application,
    officer,
)

from .pages_support import TwoInstitutions, browser, messages_of, text

pytestmark = pytest.mark.django_db


def detail(client, application):
    return client.get(reverse("application-detail", args=[application.pk]))


def step(client, application, name, **data):
    return client.post(reverse("application-transition", args=[application.pk, name]),
                       {f"{name}-{k}": v for k, v in data.items()}, follow=True)


def test_the_detail_page_shows_every_section_and_download_links():
    world = TwoInstitutions()
    attachment = world.app_a.attachments.first()
    for user in (world.applicant_a, officer()):
        response = detail(browser(user), world.app_a)
        assert response.status_code == 200
        body = text(response)
        assert "Alpha secret project" in body and world.app_a.number in body
        assert "ZL202310000001.1" in body  # IP item
        assert "李教授" in body  # team
        assert "¥500,000.00" in body  # budget line, in yuan
        assert "Prototype" in body  # milestone
        assert reverse("attachment-download", args=[world.app_a.pk, attachment.pk]) in body
        assert ">Draft<" in body


def test_a_center_application_shows_center_details_and_no_project_rows():
    call = CallFactory(kind="poc_center")
    institution = InstitutionFactory()
    application = make_application(call, institution, created_by=applicant_of(institution))
    body = text(detail(browser(officer()), application))
    assert "Center details" in body and "¥8,000,000.00" in body and "Secondary development" in body
    assert "IP items" not in body


def test_applicants_see_bureau_steps_as_done_by_the_bureau_officer_never_by_name():
    world = TwoInstitutions()
    staff = officer(first_name="Secret", last_name="Officer")
    application = run_transition(world.app_a, "submit", world.applicant_a)
    run_transition(application, "return_for_revision", staff, "Please add the audit report.")
    applicant_view = text(detail(browser(world.applicant_a), world.app_a))
    assert "Secret" not in applicant_view
    assert "Bureau officer" in applicant_view
    assert "Please add the audit report." in applicant_view  # the reason is the applicant's to read
    assert world.applicant_a.username in applicant_view  # the applicant's own people are named
    officer_view = text(detail(browser(officer()), world.app_a))
    assert "Secret Officer" in officer_view


def test_objector_and_site_visit_experts_are_hidden_from_applicants():
    call = CallFactory(kind="poc_center")
    institution = InstitutionFactory()
    applicant = applicant_of(institution)
    application = make_application(call, institution, created_by=applicant, state="objection")
    Objection.objects.create(application=application, objector="Whistle Blower", content="Too good to be true.",
                             received_on="2026-01-05")
    SiteVisit.objects.create(application=application, visited_on="2026-01-02", experts="Prof. Hidden",
                             findings="Well equipped.", recorded_by=officer())
    body = text(detail(browser(applicant), application))
    assert "Too good to be true." in body and "Well equipped." in body
    assert "Whistle Blower" not in body and "Prof. Hidden" not in body
    body = text(detail(browser(officer()), application))
    assert "Whistle Blower" in body and "Prof. Hidden" in body


def test_the_panel_offers_allowed_steps_shows_blocked_ones_with_reasons_and_hides_forbidden_ones():
    world = TwoInstitutions(complete=False)
    body = text(detail(browser(world.applicant_a), world.app_a))
    submit_url = reverse("application-transition", args=[world.app_a.pk, "submit"])
    withdraw_url = reverse("application-transition", args=[world.app_a.pk, "withdraw"])
    assert submit_url not in body  # refused now: a disabled button, not a form
    assert "disabled" in body and "Market analysis is missing." in body
    assert withdraw_url in body
    # Officers may never submit or withdraw: nothing of these steps is shown to them.
    body = text(detail(browser(officer()), world.app_a))
    assert submit_url not in body and withdraw_url not in body and "Market analysis is missing." not in body
    assert "No step is open to you in this state." in body


def test_officer_panel_on_a_submitted_application_is_the_formal_check():
    world = TwoInstitutions(state="submitted")
    body = text(detail(browser(officer()), world.app_a))
    for name in ("accept_for_review", "return_for_revision", "reject_formally"):
        assert reverse("application-transition", args=[world.app_a.pk, name]) in body
    assert "Reason (required)" in body
    # The applicant sees none of them.
    body = text(detail(browser(world.applicant_a), world.app_a))
    assert reverse("application-transition", args=[world.app_a.pk, "accept_for_review"]) not in body


def test_a_transition_posted_by_the_wrong_role_changes_nothing_and_says_why():
    world = TwoInstitutions(state="submitted")
    response = step(browser(world.applicant_a), world.app_a, "accept_for_review")
    assert "Only bureau officers can pass the formal check." in messages_of(response)
    world.app_a.refresh_from_db()
    assert world.app_a.state == "submitted"
    assert not world.app_a.objections.exists()


def test_a_step_that_needs_a_reason_refuses_an_empty_comment():
    world = TwoInstitutions(state="submitted")
    client = browser(officer())
    response = step(client, world.app_a, "return_for_revision", comment="  ")
    assert any("needs a reason" in m for m in messages_of(response))
    world.app_a.refresh_from_db()
    assert world.app_a.state == "submitted"
    response = step(client, world.app_a, "return_for_revision", comment="Add the audit report.")
    world.app_a.refresh_from_db()
    assert world.app_a.state == "returned" and world.app_a.revision_due is not None
    assert "Done. The application is now “Returned for revision”." in messages_of(response)


def test_a_step_not_possible_in_this_state_is_refused_with_the_state():
    world = TwoInstitutions(state="draft")
    response = step(browser(officer()), world.app_a, "accept_for_review")
    assert "“Pass formal check” is not possible while the application is “Draft”." in messages_of(response)
    world.app_a.refresh_from_db()
    assert world.app_a.state == "draft"


def test_a_complete_draft_submitted_through_the_page_is_submitted():
    world = TwoInstitutions()
    response = step(browser(world.applicant_a), world.app_a, "submit")
    world.app_a.refresh_from_db()
    assert world.app_a.state == "submitted" and world.app_a.submitted_at is not None
    assert response.redirect_chain[-1][0] == reverse("application-detail", args=[world.app_a.pk])
    assert "Done. The application is now “Submitted”." in messages_of(response)


def test_an_incomplete_draft_is_not_submitted_and_the_page_says_what_is_missing():
    world = TwoInstitutions(complete=False)
    response = step(browser(world.applicant_a), world.app_a, "submit")
    assert "Market analysis is missing." in messages_of(response)
    world.app_a.refresh_from_db()
    assert world.app_a.state == "draft"


def test_recording_an_objection_takes_the_objector_and_the_date():
    world = TwoInstitutions(state="public_notice")
    today = timezone.localdate().isoformat()
    step(browser(officer()), world.app_a, "record_objection", comment="The IP is not theirs.",
         objector="Someone", contact="0577-88886666", received_on=today, signed="on")
    world.app_a.refresh_from_db()
    assert world.app_a.state == "objection"
    objection = world.app_a.objections.get()
    assert objection.objector == "Someone" and str(objection.received_on) == today
    assert objection.contact == "0577-88886666" and objection.accepted
    assert objection.content == "The IP is not theirs." and objection.signed


def test_recording_an_objection_without_a_date_changes_nothing():
    world = TwoInstitutions(state="public_notice")
    response = step(browser(officer()), world.app_a, "record_objection", comment="Objection.", objector="X")
    assert any("Received on" in m for m in messages_of(response))
    world.app_a.refresh_from_db()
    assert world.app_a.state == "public_notice" and not world.app_a.objections.exists()


def test_officers_record_a_site_visit_on_a_reviewed_center_application():
    call = CallFactory(kind="poc_center")
    institution = InstitutionFactory()
    applicant = applicant_of(institution)
    application = make_application(call, institution, created_by=applicant, state="reviewed")
    client = browser(officer())
    assert reverse("site-visit-add", args=[application.pk]) in text(detail(client, application))
    data = {"visit-visited_on": "2026-04-01", "visit-experts": "Prof. A", "visit-findings": "Good labs.",
            "visit-score": "88.5", "visit-recommendation": "Designate."}
    response = client.post(reverse("site-visit-add", args=[application.pk]), data)
    assert response.status_code == 302
    visit = application.site_visits.get()
    assert str(visit.score) == "88.50" and visit.findings == "Good labs."
    # Bad input: a score above 100 is refused and nothing is added.
    response = client.post(reverse("site-visit-add", args=[application.pk]), {**data, "visit-score": "120"})
    assert response.status_code == 400
    assert application.site_visits.count() == 1
    # Applicants cannot record visits.
    assert browser(applicant).post(reverse("site-visit-add", args=[application.pk]), data).status_code == 403
    assert application.site_visits.count() == 1
    assert reverse("site-visit-add", args=[application.pk]) not in text(detail(browser(applicant), application))


def test_the_officer_list_filters_by_call_state_kind_and_search():
    world = TwoInstitutions(state="submitted")
    other_call = CallFactory(title="Another call")
    other = make_application(other_call, world.inst_b, created_by=world.applicant_b, state="under_review",
                             title="Beta project")
    client = browser(officer())
    url = reverse("application-list")
    body = text(client.get(url))
    assert world.app_a.number in body and other.number in body
    body = text(client.get(url, {"state": "submitted"}))
    assert world.app_a.number in body and other.number not in body
    body = text(client.get(url, {"call": other_call.pk}))
    assert world.app_a.number not in body and other.number in body
    body = text(client.get(url, {"q": "Beta"}))
    assert world.app_a.number not in body and other.number in body
    body = text(client.get(url, {"kind": "poc_center"}))
    assert world.app_a.number not in body and other.number not in body


def test_a_user_without_a_role_sees_no_applications():
    world = TwoInstitutions()
    client = browser(UserFactory())
    assert world.app_a.number not in text(client.get(reverse("application-list")))
    assert detail(client, world.app_a).status_code == 404
