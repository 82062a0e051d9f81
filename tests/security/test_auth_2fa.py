"""The second factor (TOTP): required for officers, fund managers and superusers, optional for applicants and
experts; recovery codes; API tokens for the required roles only after it; a setting turns it off (the demo)."""
import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import (
    PASSWORD,
    InstitutionFactory,
    UserFactory,
    applicant_of,
    district_officer_of,
    expert,
    fund_manager,
    officer,
)

pytestmark = pytest.mark.django_db

SETUP, CODE, TOKEN_PAGE = "/accounts/two-factor/", "/accounts/two-factor/code/", "/accounts/two-factor/token/"
TOKEN_API = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.REQUIRE_SECOND_FACTOR = True
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _token_rate(monkeypatch):
    """The configured token rate (DRF keeps rates on the throttle class, where another test may leave its own)."""
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "20/minute"})


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def through(client, path="/") -> bool:
    """The page answers for itself: not a detour to the second-factor pages."""
    response = client.get(path)
    return not (response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/"))


def code_of(device) -> str:
    device.refresh_from_db()
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(device.digits)


def fresh(device):
    """The next code may be the same as the last (same 30-second step); a test does not wait for the next one."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)


def set_up(client, user) -> list[str]:
    page = client.get(SETUP)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(SETUP, {"code": code_of(device), "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([^<]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    return codes


@pytest.mark.parametrize("make", [officer, fund_manager, district_officer_of,
                                  lambda: UserFactory(is_superuser=True, is_staff=True)],
                         ids=["officer", "fund manager", "district officer", "superuser"])
def test_the_required_roles_set_up_an_authenticator_before_anything_else(make):
    user = make()
    client = signed_in(user)

    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(SETUP)
    api = client.get("/api/v1/applications/")
    assert api.status_code == 403 and "second factor" in api.json()["detail"]

    set_up(client, user)
    assert through(client)
    assert client.get("/api/v1/applications/").status_code == 200


def test_next_time_the_code_is_asked_after_the_password_and_a_wrong_one_is_refused():
    user = officer()
    set_up(signed_in(user), user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    fresh(device)

    client = signed_in(user)
    asked = client.get("/funding/")
    assert asked.status_code == 302 and asked["Location"].startswith(CODE)
    wrong = client.post(CODE, {"code": "000000", "next": "/funding/"})
    assert wrong.status_code == 200 and "This code is not right" in wrong.content.decode()
    fresh(device)
    right = client.post(CODE, {"code": code_of(device), "next": "/funding/"})
    assert right.status_code == 302 and right["Location"] == "/funding/"
    assert through(client)


def test_a_recovery_code_works_once():
    user = officer()
    codes = set_up(signed_in(user), user)

    client = signed_in(user)
    assert client.post(CODE, {"code": codes[0], "next": "/"}).status_code == 302
    assert through(client)

    again = signed_in(user)
    assert again.post(CODE, {"code": codes[0], "next": "/"}).status_code == 200  # refused: used
    assert not through(again)


def test_applicants_and_experts_may_sign_in_without_one_and_are_asked_once_they_set_one_up():
    applicant = applicant_of(InstitutionFactory())
    for user in (applicant, expert()):
        assert through(signed_in(user))

    client = signed_in(applicant)
    set_up(client, applicant)  # by choice
    assert signed_in(applicant).get("/")["Location"].startswith(CODE)


def test_api_tokens_for_the_required_roles_only_after_the_second_factor():
    staff = officer()
    refused = Client().post(TOKEN_API, {"username": staff.username, "password": PASSWORD},
                            HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403 and "token" not in refused.json()
    assert "second factor" in refused.json()["detail"]

    applicant = applicant_of(InstitutionFactory())
    assert Client().post(TOKEN_API, {"username": applicant.username, "password": PASSWORD}).status_code == 200

    client = signed_in(staff)
    assert client.get(TOKEN_PAGE)["Location"].startswith(CODE)
    set_up(client, staff)
    page = client.post(TOKEN_PAGE)
    key = re.search(r"<code>([0-9a-f]{40})</code>", page.content.decode()).group(1)
    api = Client().get("/api/v1/applications/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 200


def test_with_the_setting_off_nobody_is_asked(settings):
    settings.REQUIRE_SECOND_FACTOR = False
    staff = officer()
    assert through(signed_in(staff))
    assert Client().post(TOKEN_API, {"username": staff.username, "password": PASSWORD}).status_code == 200


def test_a_deploy_check_warns_when_it_is_off_in_production(settings):
    settings.REQUIRE_SECOND_FACTOR = False
    settings.DEBUG = False
    with pytest.raises(SystemCheckError, match="accounts.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
    settings.REQUIRE_SECOND_FACTOR = True
    from accounts.checks import second_factor_required

    assert second_factor_required() == []
