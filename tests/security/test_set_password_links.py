"""Set-password links by email: the password reset, and the invitation of an expert imported into the pool.

A link works once and for a limited time, only for the account it was made for; asking for a reset tells
nothing about who has an account; each email is written in the recipient's language; an invitation is an
officer's action, audited on the expert.
"""
import re
import time

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from poc.models import NotificationPreference, TransitionLog
from tests.factories import PASSWORD, InstitutionFactory, applicant_of, officer
from tests.review.factories import ExpertFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"
NEW_PASSWORD = "Wenzhou-PoC-2026!"
LINK = re.compile(r"https?://\S+/accounts/(?:password-reset|invitation)/[^/\s]+/[^/\s]+/")


def path_of(url):
    return "/" + url.split("/", 3)[3]


def link_in(message):
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    return path_of(found[0])


def set_password_through(link, password=NEW_PASSWORD, client=None):
    """Open the link (Django swaps the token for a session and redirects), then post the new password."""
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(link, follow=True)
    if b"This link no longer works" in page.content:
        return page
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def signs_in(user, password) -> bool:
    return Client().login(username=user.username, password=password)


@pytest.fixture
def applicant():
    return applicant_of(InstitutionFactory())


@pytest.fixture
def imported_expert():
    """As review.importing makes them: an account with no usable password."""
    expert = ExpertFactory(name="张教授")
    expert.user.set_unusable_password()
    expert.user.save()
    return expert


def prefer(user, language):
    NotificationPreference.objects.update_or_create(user=user, defaults={"language": language})


def ask_reset(email, address="10.0.0.9", language="en"):
    return Client(HTTP_ACCEPT_LANGUAGE=language).post(RESET, {"email": email}, REMOTE_ADDR=address)


# ------------------------------------------------------------------ password reset

def test_a_reset_link_sets_a_new_password_once(applicant):
    response = ask_reset(applicant.email)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password-reset-sent")
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    link = link_in(mail.outbox[0])

    done = set_password_through(link)
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password-set")
    assert signs_in(applicant, NEW_PASSWORD) and not signs_in(applicant, PASSWORD)

    again = set_password_through(link, password="Another-Password-99")
    assert b"This link no longer works" in again.content
    assert signs_in(applicant, NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_email(applicant):
    known, unknown = ask_reset(applicant.email), ask_reset("nobody@example.org")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    sent = Client(HTTP_ACCEPT_LANGUAGE="en").get(known["Location"])
    assert applicant.email not in sent.content.decode()


def test_the_email_names_only_its_recipient(applicant):
    other = applicant_of(InstitutionFactory())
    ask_reset(applicant.email)
    body = mail.outbox[0].body
    assert applicant.username in body
    assert other.username not in body and other.email not in body


def test_a_link_expires(applicant):
    ask_reset(applicant.email)
    link = link_in(mail.outbox[0])
    with time_machine.travel(time.time() + settings.PASSWORD_RESET_TIMEOUT + 60):
        expired = set_password_through(link)
    assert b"This link no longer works" in expired.content
    assert signs_in(applicant, PASSWORD)


@pytest.mark.parametrize("tamper", ["wrong token", "another account"])
def test_a_wrong_or_borrowed_token_is_refused(applicant, tamper):
    other = applicant_of(InstitutionFactory())
    ask_reset(applicant.email)
    link = link_in(mail.outbox[0])
    _, _, _, uid, token, _ = link.split("/")
    if tamper == "wrong token":
        link = f"/accounts/password-reset/{uid}/{token[:-2]}zz/"
    else:  # applicant's token on the other account
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        link = f"/accounts/password-reset/{urlsafe_base64_encode(force_bytes(other.pk))}/{token}/"
    refused = set_password_through(link)
    assert b"This link no longer works" in refused.content
    assert signs_in(applicant, PASSWORD) and signs_in(other, PASSWORD)


def test_the_reset_email_is_in_the_recipients_language(applicant):
    other = applicant_of(InstitutionFactory())
    prefer(other, "en")
    ask_reset(applicant.email, language="en")  # the requester's browser does not choose the language
    ask_reset(other.email, language="zh-hans", address="10.0.0.10")
    chinese, english = mail.outbox
    assert chinese.subject == "PoC Hub：重置密码" and "请打开以下链接设置新密码" in chinese.body
    assert english.subject == "PoC Hub: reset your password" and "Open this link to choose a new password" in english.body


def test_reset_requests_are_rate_limited_per_address_and_per_email(applicant, settings):
    settings.PASSWORD_RESET_RATE = "2/hour"
    other = applicant_of(InstitutionFactory())
    assert [ask_reset(applicant.email).status_code for _ in range(3)] == [302, 302, 429]
    # the same email from another address: its count is spent; another email from there is not
    limited = ask_reset(applicant.email, address="10.0.0.20")
    assert limited.status_code == 429
    assert "Too many requests for a password reset" in limited.content.decode()
    assert ask_reset(other.email, address="10.0.0.20").status_code == 302
    assert [m.to for m in mail.outbox] == [[applicant.email]] * 2 + [[other.email]]


# ------------------------------------------------------------------ invitations of imported experts

def invite(user, expert):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.post(reverse("review:expert-invite", args=[expert.pk]), follow=True)


def test_an_officer_invites_an_imported_expert_who_then_sets_a_password(imported_expert, django_capture_on_commit_callbacks):
    staff = officer()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(staff, imported_expert)
    assert "The invitation is on its way" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[imported_expert.user.email]]
    log = TransitionLog.objects.for_object(imported_expert).get(transition="invite")
    assert log.actor == staff and imported_expert.user.email in log.comment

    link = link_in(mail.outbox[0])
    assert link.startswith("/accounts/invitation/")
    done = set_password_through(link)
    assert done.status_code == 302
    user = get_user_model().objects.get(pk=imported_expert.user.pk)
    assert user.has_usable_password() and signs_in(user, NEW_PASSWORD)
    assert b"This link no longer works" in set_password_through(link, password="Another-Password-99").content


def test_an_invitation_expires_after_its_days(imported_expert, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(officer(), imported_expert)
    link = link_in(mail.outbox[0])
    with time_machine.travel(time.time() + settings.INVITATION_TIMEOUT + 60):
        assert b"This link no longer works" in set_password_through(link).content
    imported_expert.user.refresh_from_db()
    assert not imported_expert.user.has_usable_password()


def test_a_reset_token_is_no_invitation(applicant):
    ask_reset(applicant.email)
    _, _, _, uid, token, _ = link_in(mail.outbox[0]).split("/")
    assert b"This link no longer works" in set_password_through(f"/accounts/invitation/{uid}/{token}/").content


@pytest.mark.parametrize("role", ["applicant", "expert", "fund_manager"])
def test_only_officers_invite(imported_expert, role, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(UserFactory(roles=[role]), imported_expert)
    assert response.status_code == 403
    assert mail.outbox == []
    assert not TransitionLog.objects.for_object(imported_expert).exists()


def test_an_expert_with_a_password_is_not_invited(django_capture_on_commit_callbacks):
    expert = ExpertFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(officer(), expert)
    assert "has already set a password" in response.content.decode()
    assert mail.outbox == []
    assert not TransitionLog.objects.for_object(expert).exists()


@pytest.mark.parametrize(("language", "subject"), [("zh-hans", "PoC Hub：邀请您加入专家库"),
                                                   ("en", "PoC Hub: you are invited to the expert pool")])
def test_the_invitation_is_in_the_experts_language(imported_expert, language, subject,
                                                   django_capture_on_commit_callbacks):
    prefer(imported_expert.user, language)
    with django_capture_on_commit_callbacks(execute=True):
        invite(officer(), imported_expert)
    assert mail.outbox[0].subject == subject
    assert imported_expert.user.username in mail.outbox[0].body


def test_the_pool_page_offers_the_invitation_only_while_it_is_needed(imported_expert):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer())
    page = client.get(reverse("review:expert", args=[imported_expert.pk])).content.decode()
    assert "No password yet" in page and reverse("review:expert-invite", args=[imported_expert.pk]) in page
    with_password = ExpertFactory()
    page = client.get(reverse("review:expert", args=[with_password.pk])).content.decode()
    assert reverse("review:expert-invite", args=[with_password.pk]) not in page
