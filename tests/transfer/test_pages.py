"""The transfer pages: each role sees what the policy allows, confidential detail never leaks, steps run."""
import pytest
from django.test import Client

from tests.factories import InstitutionFactory, applicant_of, fund_manager, officer
from tests.poc.after_approval_factories import make_center
from transfer.models import Result

from .factories import enterprise_user, make_demand, make_licence, make_result, make_roadshow

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_page_answers_for_the_owner_and_the_officer():
    result = make_result()
    demand = make_demand()
    roadshow = make_roadshow([result])
    licence = make_licence(result)
    make_center()
    pages = ["/transfer/", f"/transfer/results/{result.pk}/", f"/transfer/results/{result.pk}/edit/",
             "/transfer/results/new/", "/transfer/results/import/", "/transfer/demands/",
             f"/transfer/demands/{demand.pk}/", "/transfer/roadshows/", f"/transfer/roadshows/{roadshow.pk}/",
             "/transfer/licences/", f"/transfer/licences/{licence.pk}/"]
    owner = client_for(result.created_by)
    for url in pages:
        assert owner.get(url).status_code == 200, url
    boss = client_for(officer())
    for url in ["/transfer/", f"/transfer/results/{result.pk}/", "/transfer/demands/", f"/transfer/demands/{demand.pk}/",
                f"/transfer/roadshows/{roadshow.pk}/", f"/transfer/licences/{licence.pk}/", "/transfer/board/"]:
        assert boss.get(url).status_code == 200, url
    assert owner.get("/transfer/board/").status_code == 403


def test_other_institutions_result_page_is_not_found():
    result = make_result(published=True)
    stranger = client_for(applicant_of(InstitutionFactory()))
    assert stranger.get(f"/transfer/results/{result.pk}/").status_code == 404
    assert result.title not in stranger.get("/transfer/").content.decode()
    assert stranger.post(f"/transfer/results/{result.pk}/steps/shelve/", {"comment": "x"}).status_code == 404
    result.refresh_from_db()
    assert result.stage == "collected"


def test_anonymous_is_sent_to_sign_in_but_the_catalogue_is_open():
    result = make_result(published=True)
    hidden = make_result(published=False, title="内部成果")
    make_demand(title="公开需求")
    make_demand(title="平台需求", disclosure="platform")
    anonymous = Client()
    assert anonymous.get("/transfer/").status_code == 302
    page = anonymous.get("/transfer/catalogue/?q=电池")
    body = page.content.decode()
    assert page.status_code == 200
    assert result.title in body and hidden.title not in body and "SECRET" not in body
    assert "公开需求" in body and "平台需求" not in body
    detail = anonymous.get(f"/transfer/catalogue/results/{result.pk}/")
    assert detail.status_code == 200 and "SECRET" not in detail.content.decode()
    assert anonymous.get(f"/transfer/catalogue/results/{hidden.pk}/").status_code == 404


def test_enterprise_sees_summary_not_detail_and_the_match_list_has_no_detail():
    result = make_result(published=True)
    demand = make_demand(keywords="电池")
    enterprise = client_for(demand.created_by)
    page = enterprise.get(f"/transfer/results/{result.pk}/").content.decode()
    assert result.public_summary in page and "SECRET" not in page
    matches = enterprise.get(f"/transfer/demands/{demand.pk}/").content.decode()
    assert result.title in matches and "SECRET" not in matches
    owner_page = client_for(result.created_by).get(f"/transfer/results/{result.pk}/").content.decode()
    assert "SECRET-FORMULA-42" in owner_page
    assert demand.title in owner_page  # the matching demand, shown to the result's owner


def test_request_grant_and_see_detail_through_pages():
    result = make_result(published=True)
    user = enterprise_user()
    client = client_for(user)
    client.post(f"/transfer/results/{result.pk}/request-detail/", {"purpose": "评估"})
    request = result.detail_requests.get()
    assert client.post(f"/transfer/detail-requests/{request.pk}/decide/", {"grant": "1"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "requested"  # the enterprise cannot grant itself
    client_for(result.created_by).post(f"/transfer/detail-requests/{request.pk}/decide/", {"grant": "1"})
    assert "SECRET-FORMULA-42" in client.get(f"/transfer/results/{result.pk}/").content.decode()


def test_steps_run_from_buttons_and_refusals_are_shown():
    result = make_result()
    owner = client_for(result.created_by)
    response = owner.post(f"/transfer/results/{result.pk}/steps/land/", follow=True)
    assert "Landing needs evidence" in response.content.decode() or "落地需要" in response.content.decode()
    owner.post(f"/transfer/results/{result.pk}/steps/shelve/", {"comment": "暂停"})
    assert Result.objects.get(pk=result.pk).stage == "shelved"
    assert owner.post(f"/transfer/nothing/{result.pk}/steps/shelve/").status_code == 404


def test_investor_registers_for_a_roadshow():
    roadshow = make_roadshow([make_result()])
    manager = fund_manager()
    client_for(manager).post(f"/transfer/roadshows/{roadshow.pk}/register/", {"organisation": "科创基金"})
    assert roadshow.registrations.get().participant == "investor"
    stranger = applicant_of(InstitutionFactory())
    client_for(stranger).post(f"/transfer/roadshows/{roadshow.pk}/register/")
    assert roadshow.registrations.count() == 1
