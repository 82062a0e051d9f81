"""Pages: who may open what, isolation between institutions, accounts, institutions, calls, language."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from poc.models import Application, Call, Institution, Membership
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    UserFactory,
    applicant_of,
    assign_expert,
    expert,
    fund_manager,
    make_application,
    make_credit_code,
    officer,
)

from .pages_support import TwoInstitutions, browser, messages_of, text

pytestmark = pytest.mark.django_db
User = get_user_model()


# ------------------------------------------------------------------ access

SIGNED_IN_PAGES = ["home", "call-list", "application-list", "password_change", "institution-mine",
                   "membership-requests", "institution-list", "call-create", "institution-start",
                   "institution-register", "institution-join"]


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(name):
    response = browser().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_anonymous_visitors_never_reach_an_application_or_its_files():
    world = TwoInstitutions()
    attachment = world.app_a.attachments.first()
    for url in (reverse("application-detail", args=[world.app_a.pk]), reverse("editor", args=[world.app_a.pk]),
                reverse("attachment-download", args=[world.app_a.pk, attachment.pk])):
        response = browser().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "name, allowed",
    [
        ("institution-list", {"officer"}),
        ("call-create", {"officer"}),
        ("institution-register", {"applicant"}),
        ("institution-join", {"applicant"}),
        ("institution-start", {"applicant"}),
        ("membership-requests", {"officer", "applicant"}),  # the applicant here administers an institution
        ("call-list", {"officer", "applicant", "expert", "fund_manager"}),
        ("application-list", {"officer", "applicant", "expert", "fund_manager"}),
        ("password_change", {"officer", "applicant", "expert", "fund_manager"}),
    ],
)
def test_role_pages_render_for_their_roles_and_refuse_others(name, allowed):
    users = {
        "officer": officer(),
        "applicant": UserFactory(roles=["applicant"]),
        "expert": expert(),
        "fund_manager": fund_manager(),
    }
    if name == "membership-requests":
        users["applicant"] = applicant_of(InstitutionFactory())  # an institution administrator
    for role, user in users.items():
        response = browser(user).get(reverse(name))
        if role in allowed:
            assert response.status_code == 200, (role, name)
        else:
            assert response.status_code == 403, (role, name)


# --------------------------------------------------------------- isolation

def test_an_applicant_of_another_institution_gets_404_everywhere_for_it():
    world = TwoInstitutions()
    attachment = world.app_a.attachments.first()
    line = world.app_a.budget_lines.first()
    client = browser(world.applicant_b)
    pk = world.app_a.pk
    for url in (
        reverse("application-detail", args=[pk]),
        reverse("editor", args=[pk]),
        reverse("editor-basics", args=[pk]),
        reverse("editor-details", args=[pk]),
        reverse("editor-attachments", args=[pk]),
        reverse("editor-rows", args=[pk, "budget_lines"]),
        reverse("editor-row-edit", args=[pk, "budget_lines", line.pk]),
        reverse("attachment-download", args=[pk, attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # Writes are refused the same way, and change nothing.
    assert client.post(reverse("editor-basics", args=[pk]), {"title": "Hijacked"}).status_code == 404
    assert client.post(reverse("application-transition", args=[pk, "withdraw"])).status_code == 404
    assert client.post(reverse("attachment-delete", args=[pk, attachment.pk])).status_code == 404
    assert client.post(reverse("editor-row-delete", args=[pk, "budget_lines", line.pk])).status_code == 404
    world.app_a.refresh_from_db()
    assert world.app_a.title == "Alpha secret project" and world.app_a.state == "draft"
    assert world.app_a.attachments.filter(pk=attachment.pk).exists()
    assert world.app_a.budget_lines.filter(pk=line.pk).exists()


def test_lists_and_home_never_show_another_institutions_application():
    world = TwoInstitutions()
    own = make_application(world.call, world.inst_b, created_by=world.applicant_b, title="Beta own project")
    client = browser(world.applicant_b)
    for url in (reverse("home"), reverse("application-list"), reverse("application-list") + "?q=Alpha",
                reverse("call-detail", args=[world.call.pk]),
                reverse("institution-detail", args=[world.inst_b.pk])):
        body = text(client.get(url))
        assert "Alpha secret project" not in body, url
        assert world.app_a.number not in body, url
    assert own.number in text(client.get(reverse("application-list")))
    # Another institution's page itself is not found.
    assert client.get(reverse("institution-detail", args=[world.inst_a.pk])).status_code == 404


def test_an_expert_sees_only_the_applications_granted_to_them():
    world = TwoInstitutions(state="under_review")
    other = make_application(world.call, world.inst_b, created_by=world.applicant_b, state="under_review",
                             title="Not assigned")
    reviewer = expert()
    assign_expert(reviewer, world.app_a)
    client = browser(reviewer)
    listed = text(client.get(reverse("application-list")))
    assert "Alpha secret project" in listed and "Not assigned" not in listed
    assert client.get(reverse("application-detail", args=[world.app_a.pk])).status_code == 200
    assert client.get(reverse("application-detail", args=[other.pk])).status_code == 404
    # An expert may read, not edit.
    assert client.get(reverse("editor", args=[world.app_a.pk])).status_code == 403


# -------------------------------------------------------------------- homes

def test_applicant_home_shows_the_institution_applications_with_next_step_and_open_calls():
    world = TwoInstitutions(state="returned")
    closed = CallFactory(title="Closed call", opens_at=timezone.now() - timedelta(days=30),
                         closes_at=timezone.now() - timedelta(days=1))
    body = text(browser(world.applicant_a).get(reverse("home")))
    assert "Alpha University" in body
    assert world.app_a.number in body and "Returned for revision" in body
    assert "Revise the application and resubmit it by" in body
    assert world.call.title in body and closed.title not in body


def test_applicant_without_institution_is_offered_to_register_or_join():
    user = UserFactory(roles=["applicant"])
    body = text(browser(user).get(reverse("home")))
    assert reverse("institution-register") in body and reverse("institution-join") in body


def test_officer_home_is_an_inbox_per_call_and_state_with_pending_work():
    world = TwoInstitutions(state="submitted")
    make_application(world.call, world.inst_b, created_by=world.applicant_b, state="submitted")
    unverified = InstitutionFactory(name="Gamma Lab", verified=False)
    waiting = UserFactory(roles=["applicant"], username="newcomer@example.org")
    Membership.objects.create(user=waiting, institution=world.inst_a)
    body = text(browser(officer()).get(reverse("home")))
    link = f'{reverse("application-list")}?call={world.call.pk}&amp;state=submitted'
    assert link in body
    assert "Submitted <b>2</b>" in body
    assert unverified.name in body
    assert "newcomer@example.org" in body


def test_fund_manager_home_is_the_funding_home():
    # Named by URL only, as for experts (poc never imports funding).
    response = browser(fund_manager()).get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("funding:home")


def test_expert_home_is_the_review_queue():
    # The expert's landing page is the review app's queue; poc names it by URL only (it never imports review).
    response = browser(expert()).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("review:queue")


def test_a_user_without_role_gets_a_plain_page():
    response = browser(UserFactory()).get(reverse("home"))
    assert response.status_code == 200 and "no role yet" in text(response)


def test_the_header_shows_role_names_and_the_role_navigation():
    body = text(browser(officer()).get(reverse("home")))
    nav_link = f'href="{reverse("institution-list")}"'
    assert "Bureau officer" in body and nav_link in body
    body = text(browser(applicant_of(InstitutionFactory())).get(reverse("home")))
    assert ">Applicant<" in body and nav_link not in body


# ----------------------------------------------------------------- language

def test_the_default_language_is_chinese_and_the_switch_shows_english():
    client = browser(language=None)
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE", None)
    body = text(client.get(reverse("login")))
    assert '<html lang="zh-hans">' in body
    assert "密码" in body and "Password" not in body
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    body = text(client.get(reverse("login")))
    assert '<html lang="en">' in body
    assert "Password" in body and "密码" not in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")})
    assert "密码" in text(client.get(reverse("login")))


# ----------------------------------------------------------------- accounts

def test_login_and_logout():
    user = UserFactory(roles=["applicant"], username="li@example.org")
    client = browser()
    response = client.post(reverse("login"), {"username": "li@example.org", "password": "pochub-test-pw-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # logging out is a POST
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
    assert user.pk


def test_wrong_password_is_refused_with_a_message():
    UserFactory(username="li@example.org")
    response = browser().post(reverse("login"), {"username": "li@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct" in text(response)


def test_password_change():
    user = UserFactory(roles=["applicant"])
    client = browser(user)
    response = client.post(reverse("password_change"), {
        "old_password": "pochub-test-pw-2026", "new_password1": "a-new-long-pass-2026",
        "new_password2": "a-new-long-pass-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("a-new-long-pass-2026")


def test_self_registration_creates_an_applicant_and_leads_to_the_institution_step():
    client = browser()
    response = client.post(reverse("register"), {"email": "Wang@Example.org", "name": "王老师",
                                                 "password": "wenzhou-poc-2026", "password_again": "wenzhou-poc-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("institution-start")
    user = User.objects.get(username="wang@example.org")
    assert user.groups.filter(name="applicant").exists()
    assert client.get(reverse("institution-start")).status_code == 200


def test_self_registration_refuses_a_taken_email_and_a_weak_password():
    UserFactory(username="taken@example.org")
    response = browser().post(reverse("register"), {"email": "taken@example.org", "password": "wenzhou-poc-2026",
                                                    "password_again": "wenzhou-poc-2026"})
    assert response.status_code == 200
    assert "An account with this email address already exists." in text(response)
    response = browser().post(reverse("register"), {"email": "new@example.org", "password": "12345678",
                                                    "password_again": "12345678"})
    assert "This password is entirely numeric." in text(response)
    assert not User.objects.filter(username="new@example.org").exists()


# ------------------------------------------------------------- institutions

def institution_post(**overrides):
    data = {"name": "温州测试大学", "credit_code": make_credit_code(9001), "type": "university",
            "district": "鹿城区", "address": "学院路 1 号", "contact_name": "张老师", "contact_phone": "0577-1",
            "contact_email": "zhang@example.org"}
    data.update(overrides)
    return data


def test_registering_an_institution_with_a_wrong_check_character_says_which_one():
    user = UserFactory(roles=["applicant"])
    good = make_credit_code(9001)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    response = browser(user).post(reverse("institution-register"), institution_post(credit_code=wrong))
    assert response.status_code == 200
    assert f"the last character should be {good[17]}" in text(response)
    assert not Institution.objects.filter(name="温州测试大学").exists()
    response = browser(user).post(reverse("institution-register"), institution_post(credit_code="123"))
    assert "exactly 18 characters" in text(response)


def test_registering_an_institution_makes_the_user_its_administrator():
    user = UserFactory(roles=["applicant"])
    code = make_credit_code(9001)
    # Spaces and lower case are typing slips, accepted.
    response = browser(user).post(reverse("institution-register"),
                                  institution_post(credit_code=" ".join([code[:9].lower(), code[9:]])))
    assert response.status_code == 302
    institution = Institution.objects.get(credit_code=code)
    assert not institution.verified
    assert Membership.objects.get(user=user, institution=institution).is_admin


def test_registering_an_existing_credit_code_says_to_join_instead():
    existing = InstitutionFactory()
    user = UserFactory(roles=["applicant"])
    response = browser(user).post(reverse("institution-register"), institution_post(credit_code=existing.credit_code))
    assert response.status_code == 200
    assert "already registered; ask to join it" in text(response)


def test_joining_an_institution_by_search_then_its_administrator_accepts():
    institution = InstitutionFactory(name="温州理工大学")
    admin = applicant_of(institution)
    newcomer = UserFactory(roles=["applicant"], username="newcomer@example.org")
    client = browser(newcomer)
    assert "温州理工大学" in text(client.get(reverse("institution-join"), {"q": "理工"}))
    assert "温州理工大学" in text(client.get(reverse("institution-join"), {"q": institution.credit_code.lower()}))
    assert "温州理工大学" not in text(client.get(reverse("institution-join"), {"q": "x"}))
    response = client.post(reverse("institution-join"), {"institution": institution.pk}, follow=True)
    assert "Your request to join “温州理工大学” was sent" in text(response)
    membership = Membership.objects.get(user=newcomer, institution=institution)
    assert membership.status == "pending"

    # Someone who administers another institution cannot decide it.
    outsider = applicant_of(InstitutionFactory())
    assert browser(outsider).post(reverse("membership-decide", args=[membership.pk]),
                                  {"decision": "accept"}).status_code == 404
    body = text(browser(admin).get(reverse("membership-requests")))
    assert "newcomer@example.org" in body
    browser(admin).post(reverse("membership-decide", args=[membership.pk]), {"decision": "accept"})
    membership.refresh_from_db()
    assert membership.status == "active"
    assert newcomer.groups.filter(pk=institution.group_id).exists()


def test_an_officer_declines_a_join_request():
    institution = InstitutionFactory()
    newcomer = UserFactory(roles=["applicant"])
    membership = Membership.objects.create(user=newcomer, institution=institution)
    browser(officer()).post(reverse("membership-decide", args=[membership.pk]), {"decision": "decline"})
    membership.refresh_from_db()
    assert membership.status == "declined"


def test_officers_verify_institutions_and_applicants_cannot():
    institution = InstitutionFactory(name="Gamma Lab", verified=False)
    applicant = applicant_of(institution)
    assert browser(applicant).post(reverse("institution-verify", args=[institution.pk])).status_code == 403
    institution.refresh_from_db()
    assert not institution.verified

    client = browser(officer())
    listing = text(client.get(reverse("institution-list"), {"verified": "no"}))
    assert "Gamma Lab" in listing and reverse("institution-verify", args=[institution.pk]) in listing
    response = client.post(reverse("institution-verify", args=[institution.pk]), follow=True)
    assert "“Gamma Lab” is verified." in text(response)
    institution.refresh_from_db()
    assert institution.verified and institution.verified_by is not None
    assert "Gamma Lab" not in text(client.get(reverse("institution-list"), {"verified": "no"}))


def test_an_institution_administrator_edits_it_but_not_its_credit_code():
    institution = InstitutionFactory(name="Old name")
    admin = applicant_of(institution)
    code = institution.credit_code
    response = browser(admin).post(reverse("institution-edit", args=[institution.pk]),
                                   institution_post(name="New name", credit_code=make_credit_code(7777)))
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.name == "New name" and institution.credit_code == code
    member = UserFactory(roles=["applicant"])
    Membership.objects.create(user=member, institution=institution, status="active", is_admin=False)
    member.groups.add(institution.group)
    assert browser(member).get(reverse("institution-edit", args=[institution.pk])).status_code == 403


# --------------------------------------------------------------------- calls

def call_post(**overrides):
    data = {"kind": "poc_project", "round": "2027", "title": "2027 PoC projects", "guideline": "Apply.",
            "opens_at": "2027-01-01T09:00", "closes_at": "2027-03-31T17:00", "budget": "5000000.00",
            "eligible_institution_types": ["university", "enterprise"],
            "required_attachment_types": ["application_form", "integrity_pledge"],
            "max_applications_per_institution": "2", "min_reviews": "3", "notice_days": "7",
            "notice_day_kind": "working", "revision_days": "10", "validity_years": "3", "grade_excellent_from": "90",
            "grade_good_from": "70", "grade_pass_from": "60", "center_rectification_months": "12",
            "conversion_deadline_months": "12", "acceptance_pass_from": "80", "acceptance_rectify_from": "60",
            "project_rectification_months": "3"}
    data.update(overrides)
    return data


def test_applicants_see_published_calls_only_and_officers_see_drafts_too():
    published = CallFactory(title="Published call")
    draft = CallFactory(title="Draft call", published=False)
    applicant = applicant_of(InstitutionFactory())
    body = text(browser(applicant).get(reverse("call-list")))
    assert published.title in body and draft.title not in body
    assert browser(applicant).get(reverse("call-detail", args=[draft.pk])).status_code == 404
    body = text(browser(officer()).get(reverse("call-list")))
    assert published.title in body and draft.title in body
    assert browser(officer()).get(reverse("call-detail", args=[draft.pk])).status_code == 200


def test_an_officer_creates_edits_and_publishes_a_call():
    client = browser(officer())
    response = client.post(reverse("call-create"), call_post())
    call = Call.objects.get(title="2027 PoC projects")
    assert response.status_code == 302 and response["Location"] == reverse("call-detail", args=[call.pk])
    assert call.eligible_institution_types == ["university", "enterprise"]
    assert call.required_attachment_types == ["application_form", "integrity_pledge"]
    assert timezone.localtime(call.opens_at).hour == 9 and not call.published
    assert call.max_applications_per_institution == 2

    client.post(reverse("call-edit", args=[call.pk]), call_post(title="2027 PoC projects, batch 1"))
    call.refresh_from_db()
    assert call.title == "2027 PoC projects, batch 1"
    client.post(reverse("call-publish", args=[call.pk]), {"published": "1"})
    call.refresh_from_db()
    assert call.published
    client.post(reverse("call-publish", args=[call.pk]), {"published": "0"})
    call.refresh_from_db()
    assert not call.published


def test_the_call_form_explains_bad_input_and_saves_nothing():
    client = browser(officer())
    response = client.post(reverse("call-create"), call_post(closes_at="2026-12-01T09:00",
                                                             eligible_institution_types=[]))
    assert response.status_code == 200
    body = text(response)
    assert "A call must close after it opens." in body
    assert "This field is required." in body
    assert not Call.objects.filter(title="2027 PoC projects").exists()


def test_applicants_cannot_create_or_publish_calls():
    call = CallFactory(published=False)
    applicant = applicant_of(InstitutionFactory())
    assert browser(applicant).post(reverse("call-create"), call_post()).status_code == 403
    assert browser(applicant).post(reverse("call-publish", args=[call.pk]), {"published": "1"}).status_code == 403
    call.refresh_from_db()
    assert not call.published and not Call.objects.filter(title="2027 PoC projects").exists()


def test_an_applicant_applies_to_an_open_call_and_lands_in_the_editor():
    call = CallFactory()
    applicant = applicant_of(InstitutionFactory())
    client = browser(applicant)
    assert reverse("call-apply", args=[call.pk]) in text(client.get(reverse("call-detail", args=[call.pk])))
    response = client.post(reverse("call-apply", args=[call.pk]), {"title": "钙钛矿概念验证"})
    application = Application.objects.get(title="钙钛矿概念验证")
    assert response["Location"] == reverse("editor", args=[application.pk])
    assert application.state == "draft" and application.call == call


def test_applying_to_a_closed_call_is_refused_with_the_reason():
    call = CallFactory(title="Old call", opens_at=timezone.now() - timedelta(days=30),
                       closes_at=timezone.now() - timedelta(days=1))
    applicant = applicant_of(InstitutionFactory())
    response = browser(applicant).post(reverse("call-apply", args=[call.pk]), {"title": "Late"}, follow=True)
    assert "The call “Old call” is not open for applications." in text(response)
    assert not Application.objects.filter(title="Late").exists()


def test_an_applicant_without_institution_cannot_apply():
    call = CallFactory()
    user = UserFactory(roles=["applicant"])
    response = browser(user).post(reverse("call-apply", args=[call.pk]), {"title": "Mine"}, follow=True)
    assert "Register your institution, or join one, before applying." in messages_of(response)
    assert not Application.objects.exists()


def test_institution_pages_are_for_its_members_and_officers():
    institution = InstitutionFactory(name="Delta College")
    admin = applicant_of(institution)
    member = UserFactory(roles=["applicant"])
    Membership.objects.create(user=member, institution=institution, status="active", is_admin=False)
    member.groups.add(institution.group)
    url = reverse("institution-detail", args=[institution.pk])
    for user in (admin, member, officer()):
        assert "Delta College" in text(browser(user).get(url))
    assert browser(applicant_of(InstitutionFactory())).get(url).status_code == 404
    assert browser(expert()).get(url).status_code == 404
    # Only administrators (and officers) decide join requests.
    assert browser(member).get(reverse("membership-requests")).status_code == 403
    assert browser(member).get(reverse("institution-mine"))["Location"] == url
