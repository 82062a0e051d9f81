"""The funding resources are in the OpenAPI schema, with the transition endpoints' answers."""
import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_funding_resources_are_in_the_schema():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/funds/", "/api/v1/funds/{id}/", "/api/v1/funds/{id}/managers/",
                 "/api/v1/funding-decisions/", "/api/v1/funding-decisions/{id}/transitions/",
                 "/api/v1/funding-decisions/{id}/transitions/{transition_name}/", "/api/v1/investments/",
                 "/api/v1/investments/{id}/agreement/", "/api/v1/investments/{investment_pk}/marks/",
                 "/api/v1/exits/", "/api/v1/tranches/", "/api/v1/tranches/{id}/transitions/{transition_name}/",
                 "/api/v1/financing-rounds/", "/api/v1/reports/", "/api/v1/material-events/", "/api/v1/risks/",
                 "/api/v1/risks/{id}/transitions/{transition_name}/", "/api/v1/insurance-policies/",
                 "/api/v1/obligations/", "/api/v1/obligations/{id}/", "/api/v1/tech-contracts/",
                 "/api/v1/tech-contracts/{contract_pk}/payments/"]:
        assert path in paths, path
    assert "post" not in paths["/api/v1/obligations/"]
    run = paths["/api/v1/funding-decisions/{id}/transitions/{transition_name}/"]["post"]
    assert set(run["responses"]) == {"200", "400", "403", "404", "409"}
    name = next(p for p in run["parameters"] if p["name"] == "transition_name")
    assert set(name["schema"]["enum"]) == {"approve_grant", "approve_equity", "reject", "propose_again"}
    tranche = paths["/api/v1/tranches/{id}/transitions/{transition_name}/"]["post"]
    assert {"release", "pay"} == set(next(p for p in tranche["parameters"]
                                          if p["name"] == "transition_name")["schema"]["enum"])
