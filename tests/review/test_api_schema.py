"""The review endpoints are in the OpenAPI schema, with their transitions and error answers."""
import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_review_paths_are_documented():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in ["/api/v1/experts/", "/api/v1/experts/{id}/", "/api/v1/experts/me/", "/api/v1/assignments/",
                 "/api/v1/assignments/{id}/transitions/", "/api/v1/conflicts/", "/api/v1/reviews/{id}/",
                 "/api/v1/reviews/{id}/extend-deadline/", "/api/v1/calls/{id}/review-plan/",
                 "/api/v1/calls/{id}/ranking/", "/api/v1/calls/{id}/auto-assign/", "/api/v1/calls/{id}/random-draw/"]:
        assert path in paths, path
    for resource, names in (("assignments", {"unassign", "declare_conflict"}), ("reviews", {"submit", "reopen"})):
        run = paths[f"/api/v1/{resource}/{{id}}/transitions/{{transition_name}}/"]["post"]
        assert set(run["responses"]) == {"200", "400", "403", "404", "409"}
        param = next(p for p in run["parameters"] if p["name"] == "transition_name")
        assert set(param["schema"]["enum"]) == names
    assert set(paths["/api/v1/calls/{id}/review-plan/"]) >= {"get", "patch", "put"}
    assert set(paths["/api/v1/calls/{id}/auto-assign/"]["post"]["responses"]) >= {"200", "201", "409"}
