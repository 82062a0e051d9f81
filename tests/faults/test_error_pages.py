"""The database failing inside a request: 503 (JSON under /api/, a bilingual page elsewhere), never a hang or
Django's bare 500; any other failure under /api/ answers JSON too."""
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN = {"HTTP_AUTHORIZATION": "Token " + "0" * 40, "HTTP_ACCEPT_LANGUAGE": "en"}


def failing(exc):
    return mock.patch("rest_framework.authentication.TokenAuthentication.authenticate_credentials",
                      side_effect=exc)


def test_the_api_answers_503_json_when_the_database_fails():
    with failing(OperationalError("connection timeout expired")):
        response = Client(raise_request_exception=False).get("/api/v1/applications/", **TOKEN)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {"detail": "The service is briefly unavailable. Please try again in a few minutes."}


def test_the_api_answers_500_json_on_any_other_failure():
    with failing(RuntimeError("a bug")):
        response = Client(raise_request_exception=False).get("/api/v1/applications/", **TOKEN)
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side; please try again later."}


def test_a_page_answers_a_bilingual_503_page_when_the_database_fails():
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load",
                    side_effect=OperationalError("connection timeout expired")):
        client = Client(raise_request_exception=False)
        client.cookies["sessionid"] = "x" * 32
        response = client.get("/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode() and "Service briefly unavailable" in response.content.decode()
