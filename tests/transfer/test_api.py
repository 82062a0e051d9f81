"""The transfer API: lists and details filtered by the access policy, transitions answering 200/403/409/400."""
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.factories import InstitutionFactory, UserFactory, applicant_of, officer
from transfer.models import DetailRequest, Licence, Result

from .factories import enterprise_user, make_demand, make_licence, make_result, make_roadshow

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_result_transition_statuses():
    result = make_result()
    owner = result.created_by
    url = f"/api/v1/results/{result.pk}/transitions/"
    # 409: landing needs evidence
    response = client_for(owner).post(url + "land/", {"comment": ""}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409, response.content
    assert "evidence" in response.json()["detail"]
    # 400: shelving needs a reason
    response = client_for(owner).post(url + "shelve/", {"comment": ""}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()["errors"]
    # 400: unknown step
    assert client_for(owner).post(url + "fly/", {}, format="json").status_code == 400
    # 403: only officers reopen / road-show
    response = client_for(owner).post(url + "roadshow/", {}, format="json")
    assert response.status_code == 403
    # 200
    response = client_for(owner).post(url + "shelve/", {"comment": "暂无市场"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "shelved"
    listed = client_for(owner).get(url).json()
    assert [t["name"] for t in listed] == []  # an applicant may not reopen
    assert [t["name"] for t in client_for(officer()).get(url).json()] == ["reopen"]


def test_other_institutions_results_are_not_found():
    result = make_result(published=False)
    stranger = applicant_of(InstitutionFactory())
    client = client_for(stranger)
    assert client.get("/api/v1/results/").json()["results"] == []
    assert client.get(f"/api/v1/results/{result.pk}/").status_code == 404
    assert client.post(f"/api/v1/results/{result.pk}/transitions/shelve/", {"comment": "x"},
                       format="json").status_code == 404
    assert client.patch(f"/api/v1/results/{result.pk}/", {"title": "x"}, format="json").status_code == 404
    # Published results are not in another institution's library either (they are in the public catalogue).
    make_result(published=True)
    assert client.get("/api/v1/results/").json()["results"] == []


def test_enterprise_sees_published_summaries_without_confidential_detail_until_granted():
    result = make_result(published=True)
    hidden = make_result(published=False, title="未公开成果")
    user = enterprise_user()
    client = client_for(user)
    listed = client.get("/api/v1/results/").json()["results"]
    assert [r["id"] for r in listed] == [result.pk]
    assert listed[0]["confidential_detail"] is None
    assert "SECRET" not in str(client.get(f"/api/v1/results/{result.pk}/").content)
    assert client.get(f"/api/v1/results/{hidden.pk}/").status_code == 404
    # Request, then the owner grants.
    response = client.post(f"/api/v1/results/{result.pk}/request-detail/", {"purpose": "评估"}, format="json")
    assert response.status_code == 201
    request_id = response.json()["id"]
    assert client.post(f"/api/v1/detail-requests/{request_id}/decide/", {"grant": True},
                       format="json").status_code == 403
    owner = client_for(result.created_by)
    assert owner.post(f"/api/v1/detail-requests/{request_id}/decide/", {"grant": True}, format="json").status_code == 200
    assert DetailRequest.objects.get().status == "granted"
    assert client.get(f"/api/v1/results/{result.pk}/").json()["confidential_detail"] == "SECRET-FORMULA-42"
    # Another enterprise still does not see it.
    other = client_for(enterprise_user())
    assert other.get(f"/api/v1/results/{result.pk}/").json()["confidential_detail"] is None


def test_unverified_enterprise_sees_nothing():
    from .factories import enterprise

    make_result(published=True)
    user = enterprise_user(enterprise(verified=False))
    client = client_for(user)
    assert client.get("/api/v1/results/").json()["results"] == []
    assert client.post("/api/v1/demands/", {"title": "t", "problem": "p"}, format="json").status_code == 403


def test_public_catalogue_and_matches_never_carry_confidential_detail():
    result = make_result(published=True, keywords="电池, 材料")
    make_result(published=False, title="内部成果")
    demand = make_demand(keywords="电池")
    anonymous = APIClient()
    body = anonymous.get("/api/v1/public/results/?q=电池").content.decode()
    assert "SECRET" not in body and "confidential" not in body
    assert "内部成果" not in anonymous.get("/api/v1/public/results/").content.decode()
    assert anonymous.get("/api/v1/results/").status_code in (401, 403)
    user = demand.created_by
    matches = client_for(user).get(f"/api/v1/matches/?demand={demand.pk}")
    assert matches.status_code == 200
    assert [m["id"] for m in matches.json()] == [result.pk]
    assert "SECRET" not in matches.content.decode()
    assert matches.json()[0]["reasons"]


def test_demand_workflow_over_the_api():
    user = enterprise_user()
    client = client_for(user)
    response = client.post("/api/v1/demands/", {"title": "需求", "problem": "问题", "keywords": "电池",
                                                "disciplines": ["ENG.MAT"], "budget_min": "100000.00",
                                                "budget_max": "500000.00"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    # 409: no deadline yet
    assert client.post(f"/api/v1/demands/{pk}/transitions/submit/", {}, format="json").status_code == 409
    assert client.patch(f"/api/v1/demands/{pk}/", {"deadline": "2027-01-31"}, format="json").status_code == 200
    assert client.post(f"/api/v1/demands/{pk}/transitions/submit/", {}, format="json").status_code == 200
    assert client.post(f"/api/v1/demands/{pk}/transitions/publish/", {}, format="json").status_code == 403
    response = client_for(officer()).post(f"/api/v1/demands/{pk}/transitions/publish/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "published"


def test_merge_needs_another_open_demand():
    first, second = make_demand(state="submitted"), make_demand(state="published")
    client = client_for(officer())
    url = f"/api/v1/demands/{first.pk}/transitions/merge/"
    assert client.post(url, {}, format="json").status_code == 400
    response = client.post(url, {"into": second.pk}, format="json")
    assert response.status_code == 200 and response.json()["merged_into"] == second.pk


def test_licence_conversion_over_the_api_lands_the_result():
    licence = make_licence()
    owner = client_for(licence.result.created_by)
    url = f"/api/v1/licences/{licence.pk}/transitions/convert/"
    assert owner.post(url, {}, format="json").status_code == 400
    assert client_for(enterprise_user(licence.licensee)).post(url, {"contract_number": "X", "contract_amount": "1"},
                                                              format="json").status_code == 403
    response = owner.post(url, {"contract_number": "330302X2026000999", "contract_amount": "800000.00"},
                          format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "converted"
    result = Result.objects.get(pk=licence.result_id)
    result.refresh_from_db()
    assert result.stage == "landed"
    evidence = result.evidence.get()
    assert evidence.kind == "tech_contract" and evidence.amount == Decimal("800000.00")
    # Ending a converted licence: 409.
    assert owner.post(f"/api/v1/licences/{licence.pk}/transitions/end/", {"comment": "x"},
                      format="json").status_code == 409


def test_licences_are_seen_by_the_two_sides_and_officers_only():
    licence = make_licence()
    assert client_for(enterprise_user(licence.licensee)).get("/api/v1/licences/").json()["results"][0]["id"] == licence.pk
    assert client_for(enterprise_user()).get("/api/v1/licences/").json()["results"] == []
    assert client_for(applicant_of(InstitutionFactory())).get(f"/api/v1/licences/{licence.pk}/").status_code == 404
    assert Licence.objects.count() == 1


def test_roadshow_hold_over_the_api():
    result = make_result()
    roadshow = make_roadshow([result])
    assert client_for(result.created_by).post(f"/api/v1/roadshows/{roadshow.pk}/transitions/hold/", {},
                                              format="json").status_code == 403
    response = client_for(officer()).post(f"/api/v1/roadshows/{roadshow.pk}/transitions/hold/", {}, format="json")
    assert response.status_code == 200
    result.refresh_from_db()
    assert result.stage == "roadshowed"


def test_board_is_for_officers():
    assert client_for(applicant_of(InstitutionFactory())).get("/api/v1/transfer-board/").status_code == 403
    make_result()
    body = client_for(officer()).get("/api/v1/transfer-board/").json()
    assert set(body) >= {"collected", "roadshowed", "validated", "landed", "year"}


def test_anonymous_user_gets_401_on_private_lists():
    assert APIClient().get("/api/v1/demands/").status_code == 401
    assert UserFactory() is not None
