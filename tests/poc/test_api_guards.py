"""The API's edges: unknown URLs answer JSON, and password guessing on the token endpoint is throttled."""
import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, officer

pytestmark = pytest.mark.django_db


def test_an_unknown_api_url_answers_json_404():
    response = APIClient().get("/api/v1/no-such-resource/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_answers_html_404():
    response = APIClient().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_token_endpoint_throttles_repeated_attempts(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"auth": "3/minute"}}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    api_settings.reload()
    ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        user = officer()
        client = APIClient()
        codes = [client.post("/api/v1/auth/token/", {"username": user.username, "password": "wrong"}).status_code
                 for _ in range(3)]
        assert codes == [400, 400, 400]
        blocked = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
        assert blocked.status_code == 429
    finally:
        api_settings.reload()
        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
