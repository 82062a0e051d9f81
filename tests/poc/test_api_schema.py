"""The OpenAPI schema generates cleanly and the docs page loads everything from our own static files."""
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_endpoint_answers_with_the_api():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in ["/api/v1/auth/token/", "/api/v1/institutions/", "/api/v1/institutions/{id}/join/",
                 "/api/v1/calls/{id}/publish/", "/api/v1/applications/", "/api/v1/applications/{id}/history/",
                 "/api/v1/applications/{id}/transitions/", "/api/v1/applications/{id}/transitions/{transition_name}/",
                 "/api/v1/applications/{application_pk}/attachments/{id}/download/",
                 "/api/v1/applications/{application_pk}/ip-items/"]:
        assert path in paths, path
    run = paths["/api/v1/applications/{id}/transitions/{transition_name}/"]["post"]
    assert set(run["responses"]) == {"200", "400", "403", "404", "409"}
    name_param = next(p for p in run["parameters"] if p["name"] == "transition_name")
    assert {"submit", "accept_for_review", "record_objection", "approve"} <= set(name_param["schema"]["enum"])


def test_schema_generates_without_errors_or_warnings(tmp_path):
    # The same check as `manage.py spectacular --validate --fail-on-warn` (it raises on any warning).
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/applications/{id}/transitions/{transition_name}/" in target.read_text()


def test_docs_load_assets_from_our_static_files_only():
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"""['"]([^'"]+\.(?:js|css))['"]""", html)
    assert assets, html
    for asset in assets:
        assert not re.match(r"^(https?:)?//", asset), f"external asset: {asset}"
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert '"validatorUrl": null' in html  # no call to the public online validator
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")
