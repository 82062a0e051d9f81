"""Login lockout (django-axes): a few failures per account and per address lock sign-in, with a clear message
in both languages; an officer unlocks it; the token endpoint counts too and stays rate-limited."""
import pytest
from django.test import Client

from tests.factories import PASSWORD, InstitutionFactory, applicant_of, expert, officer

pytestmark = pytest.mark.django_db

LIMIT = 5
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT


@pytest.fixture(autouse=True)
def _token_rate(monkeypatch):
    """The configured token rate (DRF keeps rates on the throttle class, where another test may leave its own)."""
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "20/minute"})


@pytest.fixture
def applicant():
    return applicant_of(InstitutionFactory())


def sign_in(client, username, password, language="en", address="10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE=language,
                       REMOTE_ADDR=address)


def fail(times, username, address="10.0.0.7"):
    """``times`` wrong passwords: the form again with its error, and the lockout at the limit."""
    for n in range(1, times + 1):
        response = sign_in(Client(), username, "wrong-password", address=address)
        assert response.status_code == (429 if n >= LIMIT else 200)


def test_after_the_limit_even_the_right_password_is_refused_with_a_message(applicant):
    fail(LIMIT, applicant.username)

    response = sign_in(Client(), applicant.username, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in Client().session

    chinese = sign_in(Client(), applicant.username, PASSWORD, language="zh-hans")
    assert chinese.status_code == 429 and "登录失败次数过多" in chinese.content.decode()


def test_the_account_is_locked_from_any_address(applicant):
    fail(LIMIT, applicant.username, address="10.0.0.7")
    assert sign_in(Client(), applicant.username, PASSWORD, address="10.9.9.9").status_code == 429


def test_an_address_is_locked_whatever_account_it_tries(applicant):
    for n in range(LIMIT):
        sign_in(Client(), f"nobody{n}@example.org", "wrong", address="10.0.0.66")
    assert sign_in(Client(), applicant.username, PASSWORD, address="10.0.0.66").status_code == 429
    assert sign_in(Client(), applicant.username, PASSWORD, address="10.0.0.67").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(applicant):
    fail(LIMIT - 1, applicant.username)
    assert sign_in(Client(), applicant.username, PASSWORD).status_code == 302
    fail(LIMIT - 1, applicant.username)
    assert sign_in(Client(), applicant.username, PASSWORD).status_code == 302


def test_an_officer_unlocks_the_account(applicant):
    fail(LIMIT, applicant.username)
    staff = Client()
    staff.force_login(officer())
    page = staff.get("/accounts/lockouts/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and applicant.username in page.content.decode()

    assert staff.post("/accounts/lockouts/", {"username": applicant.username}).status_code == 302

    assert sign_in(Client(), applicant.username, PASSWORD, address="10.0.0.8").status_code == 302


def test_only_officers_see_the_lockouts_page(applicant):
    for user in (applicant, expert()):
        client = Client()
        client.force_login(user)
        assert client.get("/accounts/lockouts/").status_code == 403
        assert client.post("/accounts/lockouts/", {"username": "x"}).status_code == 403
    assert Client().get("/accounts/lockouts/").status_code == 302  # to the login page


def test_the_token_endpoint_counts_failures_and_refuses_a_locked_account(applicant):
    client = Client()
    for _ in range(LIMIT):
        response = client.post(TOKEN, {"username": applicant.username, "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 400
    response = client.post(TOKEN, {"username": applicant.username, "password": PASSWORD}, REMOTE_ADDR="10.1.1.2",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (400, 429) and "token" not in response.json()


def test_the_token_endpoint_stays_rate_limited(applicant, settings):
    settings.AXES_ENABLED = False  # the throttle alone
    client = Client()
    codes = [client.post(TOKEN, {"username": applicant.username, "password": PASSWORD}).status_code
             for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
