"""The REST API of poc (DESIGN §4), through real requests with token authentication."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from poc.models import (
    Application,
    Call,
    CenterDetails,
    Institution,
    IPItem,
    Membership,
    Objection,
    ProjectDetails,
    TransitionLog,
)
from tests.factories import (
    PASSWORD,
    CallFactory,
    InstitutionFactory,
    UserFactory,
    applicant_of,
    expert,
    make_application,
    make_credit_code,
    officer,
    pdf_bytes,
)

from .api_support import API, api_client, app_url

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ token auth

def test_token_for_good_credentials_authenticates_later_requests():
    user = applicant_of(InstitutionFactory())
    client = api_client(None)
    response = client.post(f"{API}/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert key == Token.objects.get(user=user).key

    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    listed = client.get(f"{API}/institutions/")
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json()["results"]] == [user.memberships.get().institution_id]


def test_bad_credentials_get_no_token():
    user = applicant_of(InstitutionFactory())
    client = api_client(None)
    response = client.post(f"{API}/auth/token/", {"username": user.username, "password": "wrong-password"},
                           format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert response.json()["detail"] == "Unable to log in with provided credentials."
    assert not Token.objects.filter(user=user).exists()

    inactive = UserFactory(roles=["applicant"], is_active=False)
    response = client.post(f"{API}/auth/token/", {"username": inactive.username, "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert not Token.objects.filter(user=inactive).exists()


def test_requests_without_or_with_a_bogus_token_are_refused():
    anonymous = api_client(None).get(f"{API}/applications/")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    client = api_client(None)
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(f"{API}/applications/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


# ---------------------------------------------------------------- institutions

def institution_payload(n=900, **over):
    data = {
        "name": "温州大学概念验证中心", "credit_code": make_credit_code(n), "type": "university", "district": "瓯海区",
        "address": "温州市瓯海区茶山街道", "contact_name": "王老师", "contact_phone": "0577-86689999",
        "contact_email": "poc@example.edu.cn",
    }
    data.update(over)
    return data


def test_applicant_registers_an_institution_and_becomes_its_administrator():
    user = UserFactory(roles=["applicant"])
    client = api_client(user)
    response = client.post(f"{API}/institutions/", institution_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "温州大学概念验证中心"
    assert body["verified"] is False
    membership = Membership.objects.get(user=user)
    assert membership.institution_id == body["id"] and membership.is_admin and membership.status == "active"

    again = client.post(f"{API}/institutions/", institution_payload(901), format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "You already belong to an institution."


def test_institution_registration_refusals_are_400_with_field_errors():
    existing = InstitutionFactory()
    client = api_client(UserFactory(roles=["applicant"]))
    taken = client.post(f"{API}/institutions/", institution_payload(credit_code=existing.credit_code), format="json")
    assert taken.status_code == 400
    assert "credit_code" in taken.json()["errors"]
    assert "already registered" in taken.json()["detail"]

    bad_code = client.post(f"{API}/institutions/", institution_payload(credit_code="91330300MA00000000"),
                           format="json")
    assert bad_code.status_code == 400
    assert list(bad_code.json()["errors"]) == ["credit_code"]

    missing = client.post(f"{API}/institutions/", {"name": "x"}, format="json")
    assert missing.status_code == 400
    assert {"credit_code", "type", "contact_email"} <= set(missing.json()["errors"])
    assert Institution.objects.count() == 1


def test_officer_cannot_register_an_institution():
    response = api_client(officer()).post(f"{API}/institutions/", institution_payload(), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only applicants can register an institution."


def test_institution_admin_edits_but_cannot_change_the_credit_code():
    inst = InstitutionFactory()
    client = api_client(applicant_of(inst))
    response = client.patch(f"{API}/institutions/{inst.pk}/", {"contact_phone": "0577-11112222"}, format="json")
    assert response.status_code == 200
    inst.refresh_from_db()
    assert inst.contact_phone == "0577-11112222"

    response = client.patch(f"{API}/institutions/{inst.pk}/", {"credit_code": make_credit_code(555)}, format="json")
    assert response.status_code == 400
    assert "credit_code" in response.json()["errors"]
    assert client.put(f"{API}/institutions/{inst.pk}/", institution_payload(), format="json").status_code == 405


def test_only_officers_verify_institutions_and_only_once():
    inst = InstitutionFactory(verified=False)
    applicant = applicant_of(inst)
    url = f"{API}/institutions/{inst.pk}/verify/"
    assert api_client(applicant).post(url).status_code == 403
    off = officer()
    response = api_client(off).post(url)
    assert response.status_code == 200
    assert response.json()["verified"] is True
    inst.refresh_from_db()
    assert inst.verified and inst.verified_by == off
    again = api_client(off).post(url)
    assert again.status_code == 409


def test_joining_an_institution_by_id_or_by_credit_code():
    inst = InstitutionFactory()
    newcomer = UserFactory(roles=["applicant"])
    client = api_client(newcomer)
    # Not a member yet: the institution itself is not visible...
    assert client.get(f"{API}/institutions/{inst.pk}/").status_code == 404
    # ...but it can be asked to join.
    response = client.post(f"{API}/institutions/{inst.pk}/join/")
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["institution"] == inst.pk
    again = client.post(f"{API}/institutions/join/", {"credit_code": inst.credit_code}, format="json")
    assert again.status_code == 409
    assert Membership.objects.filter(user=newcomer, institution=inst, status="pending").count() == 1

    other = UserFactory(roles=["applicant"])
    by_code = api_client(other).post(f"{API}/institutions/join/", {"credit_code": inst.credit_code.lower()},
                                     format="json")
    assert by_code.status_code == 201
    assert api_client(other).post(f"{API}/institutions/999999/join/").status_code == 404
    assert api_client(other).post(f"{API}/institutions/join/", {"credit_code": make_credit_code(4242)},
                                  format="json").status_code == 404


def test_an_institution_admin_decides_join_requests():
    inst = InstitutionFactory()
    admin = applicant_of(inst)
    outsider = applicant_of(InstitutionFactory())  # belongs elsewhere: may not decide for inst
    newcomer, refused = UserFactory(roles=["applicant"]), UserFactory(roles=["applicant"])
    for user in (newcomer, refused):
        assert api_client(user).post(f"{API}/institutions/{inst.pk}/join/").status_code == 201

    pending = api_client(admin).get(f"{API}/memberships/").json()
    assert {m["username"] for m in pending} == {newcomer.username, refused.username}
    assert api_client(outsider).get(f"{API}/memberships/").json() == []
    by_user = {m["username"]: m["id"] for m in pending}
    assert api_client(outsider).post(f"{API}/memberships/{by_user[newcomer.username]}/accept/").status_code == 404

    accepted = api_client(admin).post(f"{API}/memberships/{by_user[newcomer.username]}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    declined = api_client(admin).post(f"{API}/memberships/{by_user[refused.username]}/decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert [i["id"] for i in api_client(newcomer).get(f"{API}/institutions/").json()["results"]] == [inst.pk]
    assert api_client(refused).get(f"{API}/institutions/").json()["results"] == []
    assert api_client(admin).get(f"{API}/memberships/").json() == []


def test_institution_lists_own_for_applicants_all_for_officers():
    a, b = InstitutionFactory(), InstitutionFactory()
    response = api_client(applicant_of(a)).get(f"{API}/institutions/")
    assert [i["id"] for i in response.json()["results"]] == [a.pk]
    response = api_client(officer()).get(f"{API}/institutions/")
    assert {i["id"] for i in response.json()["results"]} == {a.pk, b.pk}
    response = api_client(officer()).get(f"{API}/institutions/?verified=false")
    assert response.json()["results"] == []


# ----------------------------------------------------------------------- calls

def call_payload(**over):
    now = timezone.now()
    data = {
        "kind": "poc_project", "round": "2026", "title": "2026 PoC projects", "guideline": "…",
        "opens_at": (now - timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=30)).isoformat(),
        "budget": "3000000.00", "eligible_institution_types": ["university", "research_institute"],
        "required_attachment_types": ["application_form", "integrity_pledge"],
    }
    data.update(over)
    return data


def test_officer_creates_edits_publishes_and_unpublishes_a_call():
    client = api_client(officer())
    response = client.post(f"{API}/calls/", call_payload(), format="json")
    assert response.status_code == 201, response.json()
    call_id = response.json()["id"]
    assert response.json()["published"] is False
    assert response.json()["is_open"] is False

    response = client.patch(f"{API}/calls/{call_id}/", {"budget": "4500000.50", "notice_days": 5}, format="json")
    assert response.status_code == 200
    call = Call.objects.get(pk=call_id)
    assert call.budget == Decimal("4500000.50") and call.notice_days == 5

    response = client.post(f"{API}/calls/{call_id}/publish/")
    assert response.status_code == 200 and response.json()["published"] is True and response.json()["is_open"]
    response = client.post(f"{API}/calls/{call_id}/unpublish/")
    assert response.status_code == 200 and response.json()["published"] is False


def test_call_validation_and_permissions():
    client = api_client(officer())
    now = timezone.now()
    response = client.post(f"{API}/calls/", call_payload(opens_at=now.isoformat(),
                                                         closes_at=(now - timedelta(days=1)).isoformat()),
                           format="json")
    assert response.status_code == 400
    assert "closes_at" in response.json()["errors"]
    response = client.post(f"{API}/calls/", call_payload(eligible_institution_types=["bank"]), format="json")
    assert response.status_code == 400
    assert "eligible_institution_types.0" in response.json()["errors"]

    applicant = applicant_of(InstitutionFactory())
    response = api_client(applicant).post(f"{API}/calls/", call_payload(), format="json")
    assert response.status_code == 403
    call = CallFactory()
    assert api_client(applicant).post(f"{API}/calls/{call.pk}/unpublish/").status_code == 403
    assert Call.objects.get(pk=call.pk).published is True


def test_applicants_see_published_calls_only():
    published, draft = CallFactory(), CallFactory(published=False)
    client = api_client(applicant_of(InstitutionFactory()))
    assert [c["id"] for c in client.get(f"{API}/calls/").json()["results"]] == [published.pk]
    assert client.get(f"{API}/calls/{draft.pk}/").status_code == 404
    assert {c["id"] for c in api_client(officer()).get(f"{API}/calls/").json()["results"]} == {published.pk, draft.pk}


# ---------------------------------------------------------------- applications

def test_applicant_starts_a_project_application():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    call = CallFactory()
    client = api_client(user)
    response = client.post(f"{API}/applications/", {"call": call.pk, "title": "固态电池隔膜概念验证"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft"
    assert body["kind"] == "poc_project"
    assert body["title"] == "固态电池隔膜概念验证"
    assert body["call"]["id"] == call.pk
    assert body["institution"] == {"id": inst.pk, "name": inst.name}
    assert body["center_details"] is None
    assert body["project_details"]["trl_now"] is None
    assert "Summary is missing." in body["missing_items"]
    assert "Duration is missing." in body["missing_items"]
    application = Application.objects.get(pk=body["id"])
    assert application.institution == inst and application.created_by == user
    assert TransitionLog.objects.filter(object_id=application.pk, transition="create").exists()


def test_applicant_fills_project_details():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    client = api_client(user)
    app_id = client.post(f"{API}/applications/", {"call": CallFactory().pk, "title": "隔膜"}, format="json").json()["id"]
    response = client.patch(app_url(app_id), {
        "summary": "A separator that does not burn.",
        "project_details": {"trl_now": 3, "trl_target": 5, "duration_months": 12, "requested_grant": "400000.00",
                            "self_funded": "100000.00", "market_analysis": "Batteries."},
    }, format="json")
    assert response.status_code == 200, response.json()
    details = ProjectDetails.objects.get(application_id=app_id)
    assert (details.trl_now, details.trl_target, details.duration_months) == (3, 5, 12)
    assert details.requested_grant == Decimal("400000.00")
    assert Application.objects.get(pk=app_id).summary == "A separator that does not burn."
    assert response.json()["project_details"]["total_budget"] == "500000.00"
    assert "Summary is missing." not in response.json()["missing_items"]
    assert "Duration is missing." not in response.json()["missing_items"]

    refused = client.patch(app_url(app_id), {"project_details": {"trl_now": 6, "trl_target": 5}}, format="json")
    assert refused.status_code == 400
    assert "trl_target" in refused.json()["errors"]
    assert ProjectDetails.objects.get(application_id=app_id).trl_now == 3

    wrong_kind = client.patch(app_url(app_id), {"center_details": {"pipeline_size": 3}}, format="json")
    assert wrong_kind.status_code == 400
    assert "pipeline_size" in wrong_kind.json()["detail"]


def test_applicant_fills_center_details():
    inst = InstitutionFactory()
    client = api_client(applicant_of(inst))
    call = CallFactory(kind="poc_center")
    app_id = client.post(f"{API}/applications/", {"call": call.pk, "title": "PoC center"}, format="json").json()["id"]
    response = client.patch(app_url(app_id), {"center_details": {"services": ["testing", "ip_services"],
                                                                 "site_area_m2": "800.50"}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["center_details"]["services"] == ["testing", "ip_services"]
    assert response.json()["project_details"] is None
    assert CenterDetails.objects.get(application_id=app_id).site_area_m2 == Decimal("800.50")


def test_center_details_input_is_parsed_and_center_applications_have_no_project_rows():
    inst = InstitutionFactory()
    client = api_client(applicant_of(inst))
    call = CallFactory(kind="poc_center")
    created = client.post(f"{API}/applications/", {"call": call.pk, "title": "PoC center"}, format="json").json()
    assert created["project_details"] is None
    assert created["center_details"]["services"] == []
    app_id = created["id"]
    bad = client.patch(app_url(app_id), {"center_details": {"services": ["juggling"]}}, format="json")
    assert bad.status_code == 400
    assert "center_details.services.0" in bad.json()["errors"]
    row = client.post(app_url(app_id, "ip-items"), {"number": "ZL1", "title": "t", "ip_type": "invention_patent",
                                                    "owner": "o", "status": "granted"}, format="json")
    assert row.status_code == 400
    assert not IPItem.objects.filter(application_id=app_id).exists()


def test_starting_an_application_refusals():
    inst = InstitutionFactory()
    client = api_client(applicant_of(inst))
    closed = CallFactory(opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1))
    response = client.post(f"{API}/applications/", {"call": closed.pk, "title": "Late"}, format="json")
    assert response.status_code == 409
    assert "is not open for applications" in response.json()["detail"]

    unpublished = CallFactory(published=False)
    response = client.post(f"{API}/applications/", {"call": unpublished.pk, "title": "Early"}, format="json")
    assert response.status_code == 400
    assert "call" in response.json()["errors"]

    response = api_client(officer()).post(f"{API}/applications/", {"call": CallFactory().pk, "title": "x"},
                                          format="json")
    assert response.status_code == 403
    homeless = UserFactory(roles=["applicant"])
    response = api_client(homeless).post(f"{API}/applications/", {"call": CallFactory().pk, "title": "x"},
                                         format="json")
    assert response.status_code == 409
    assert Application.objects.count() == 0


def test_only_the_applicant_edits_and_only_in_draft_or_returned():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user)
    response = api_client(officer()).patch(app_url(app), {"title": "Officer's title"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only members of the applicant institution can edit this application."
    submitted = make_application(CallFactory(), inst, created_by=user, state="submitted")
    response = api_client(user).patch(app_url(submitted), {"title": "Too late"}, format="json")
    assert response.status_code == 409
    assert "can no longer be edited" in response.json()["detail"]
    assert Application.objects.get(pk=submitted.pk).title != "Too late"


def test_the_state_cannot_be_patched():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user)
    response = api_client(user).patch(app_url(app), {"state": "approved", "number": "X-1", "title": "New title"},
                                      format="json")
    assert response.status_code == 200
    app.refresh_from_db()
    assert (app.state, app.title) == ("draft", "New title")
    assert app.number != "X-1"


def test_application_list_filters():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    call_a, call_b = CallFactory(), CallFactory(kind="pilot_project")
    a1 = make_application(call_a, inst, created_by=user)
    a2 = make_application(call_b, inst, created_by=user, state="submitted")
    client = api_client(officer())

    def ids(query):
        response = client.get(f"{API}/applications/{query}")
        assert response.status_code == 200
        return {r["id"] for r in response.json()["results"]}

    assert ids("") == {a1.pk, a2.pk}
    assert ids(f"?call={call_a.pk}") == {a1.pk}
    assert ids("?state=submitted") == {a2.pk}
    assert ids("?kind=pilot_project") == {a2.pk}
    assert ids(f"?institution={inst.pk}") == {a1.pk, a2.pk}
    assert ids(f"?institution={inst.pk + 1000}") == set()
    assert client.get(f"{API}/applications/?state=flying").status_code == 400


def test_rows_list_create_update_delete():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user)
    client = api_client(user)
    url = app_url(app, "team-members")
    before = client.get(url).json()
    assert [m["name"] for m in before] == ["李教授"]

    created = client.post(url, {"name": "陈工", "role": "工艺", "title": "高级工程师"}, format="json")
    assert created.status_code == 201
    row_id = created.json()["id"]
    updated = client.patch(f"{url}{row_id}/", {"role": "中试工艺"}, format="json")
    assert updated.status_code == 200 and updated.json()["role"] == "中试工艺"
    assert app.team_members.get(pk=row_id).role == "中试工艺"
    assert client.delete(f"{url}{row_id}/").status_code == 204
    assert not app.team_members.filter(pk=row_id).exists()

    line = client.post(app_url(app, "budget-lines"), {"category": "测试费", "source": "grant", "amount": "-5"},
                       format="json")
    assert line.status_code == 400
    assert "amount" in line.json()["errors"]
    milestone = client.post(app_url(app, "milestones"), {"month": 30, "title": "t", "deliverables": "d"},
                            format="json")
    assert milestone.status_code == 400

    # A row is found only under its own application.
    other = make_application(CallFactory(), inst, created_by=user)
    foreign_row = other.ip_items.get()
    assert client.get(f"{app_url(app, 'ip-items')}{foreign_row.pk}/").status_code == 404
    assert client.delete(f"{app_url(app, 'ip-items')}{foreign_row.pk}/").status_code == 404
    assert IPItem.objects.filter(pk=foreign_row.pk).exists()


def test_rows_cannot_change_once_submitted():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user, state="submitted")
    client = api_client(user)
    item = app.ip_items.get()
    assert client.patch(f"{app_url(app, 'ip-items')}{item.pk}/", {"title": "x"}, format="json").status_code == 409
    assert client.delete(f"{app_url(app, 'ip-items')}{item.pk}/").status_code == 409
    assert app.ip_items.get().title == "A method"


def test_pledges_are_confirmed_and_withdrawn():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user, complete=False)
    client = api_client(user)
    response = client.post(app_url(app, "pledges"), {"integrity": True, "ip_compliance": True}, format="json")
    assert response.status_code == 200
    app.refresh_from_db()
    assert app.integrity_pledged_by == user and app.ip_pledged_by == user
    assert "The research-integrity pledge has not been confirmed." not in response.json()["missing_items"]
    response = client.post(app_url(app, "pledges"), {"integrity": False, "ip_compliance": True}, format="json")
    assert "The research-integrity pledge has not been confirmed." in response.json()["missing_items"]
    assert client.post(app_url(app, "pledges"), {"integrity": True}, format="json").status_code == 400


# ----------------------------------------------------------------- transitions

def test_transitions_list_shows_what_the_caller_may_run_now():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user)
    response = api_client(user).get(app_url(app, "transitions"))
    assert response.status_code == 200
    by_name = {t["name"]: t for t in response.json()}
    assert set(by_name) == {"submit", "withdraw"}
    assert by_name["submit"] == {"name": "submit", "label": "Submit", "needs_comment": False, "target": "submitted",
                                 "allowed": True, "status": 200, "reasons": []}

    # An officer may run nothing on a draft.
    assert api_client(officer()).get(app_url(app, "transitions")).json() == []

    submitted = make_application(CallFactory(), inst, created_by=user, state="submitted")
    names = {t["name"]: t for t in api_client(officer()).get(app_url(submitted, "transitions")).json()}
    assert set(names) == {"accept_for_review", "return_for_revision", "reject_formally"}
    assert names["return_for_revision"]["needs_comment"] is True

    # ?all=true: every step leaving the state, with the reason it is refused.
    everything = {t["name"]: t for t in api_client(user).get(app_url(submitted, "transitions") + "?all=true").json()}
    assert everything["withdraw"]["allowed"] is True
    assert everything["accept_for_review"]["status"] == 403
    assert everything["accept_for_review"]["reasons"] == ["Only bureau officers can pass the formal check."]


def test_transition_status_codes():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    off = officer()
    app = make_application(CallFactory(), inst, created_by=user, state="submitted")

    # 403: not this user.
    response = api_client(user).post(app_url(app, "transitions", "accept_for_review"), {}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only bureau officers can pass the formal check."}

    # 400: unknown step; missing required comment.
    response = api_client(off).post(app_url(app, "transitions", "teleport"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Unknown step “teleport”."
    response = api_client(off).post(app_url(app, "transitions", "return_for_revision"), {"comment": "  "},
                                    format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"comment": ["A reason is required."]}
    assert "needs a reason" in response.json()["detail"]

    # 409: not possible from this state.
    response = api_client(off).post(app_url(app, "transitions", "close_review"), {}, format="json")
    assert response.status_code == 409
    assert "is not possible while the application is “Submitted”" in response.json()["detail"]
    assert Application.objects.get(pk=app.pk).state == "submitted"
    assert not TransitionLog.objects.filter(object_id=app.pk).exclude(transition="create").exists()

    # 200 with the object.
    response = api_client(off).post(app_url(app, "transitions", "return_for_revision"),
                                    {"comment": "The budget sheet is unsigned."}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "returned"
    assert response.json()["id"] == app.pk
    assert response.json()["revision_due"] == (timezone.localdate() + timedelta(days=10)).isoformat()
    log = TransitionLog.objects.get(object_id=app.pk, transition="return_for_revision")
    assert (log.source, log.target, log.actor, log.comment) == ("submitted", "returned", off,
                                                                 "The budget sheet is unsigned.")


def test_submit_of_an_incomplete_application_is_409_with_what_is_missing():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user, complete=False)
    response = api_client(user).post(app_url(app, "transitions", "submit"), {}, format="json")
    assert response.status_code == 409
    assert "Duration is missing." in response.json()["detail"]
    assert "Attachment missing: Signed application form." in response.json()["detail"]
    assert Application.objects.get(pk=app.pk).state == "draft"


def test_full_walk_draft_submitted_under_review_through_the_api():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    off = officer()
    app = make_application(CallFactory(), inst, created_by=user)
    applicant_api, officer_api = api_client(user), api_client(off)

    response = applicant_api.post(app_url(app, "transitions", "submit"), {"comment": ""}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "submitted"
    assert response.json()["submitted_at"]
    # Submitted: the applicant can no longer edit, and officers see it in their inbox.
    assert applicant_api.patch(app_url(app), {"title": "x"}, format="json").status_code == 409
    inbox = officer_api.get(f"{API}/applications/?state=submitted").json()["results"]
    assert [a["id"] for a in inbox] == [app.pk]

    response = officer_api.post(app_url(app, "transitions", "accept_for_review"), {"comment": "Formal check ok"},
                                format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "under_review"
    assert Application.objects.get(pk=app.pk).state == "under_review"

    history = applicant_api.get(app_url(app, "history")).json()
    assert [(h["transition"], h["target_label"]) for h in history] == [
        ("submit", "Submitted"), ("accept_for_review", "Under expert review")]
    assert history[1]["comment"] == "Formal check ok"
    assert [(log.transition, log.source, log.target, log.actor) for log in
            TransitionLog.objects.filter(object_id=app.pk).order_by("id")] == [
        ("submit", "draft", "submitted", user), ("accept_for_review", "submitted", "under_review", off)]
    # Under review, the applicant has no step left to take.
    assert applicant_api.get(app_url(app, "transitions")).json() == []


def test_record_objection_takes_its_details():
    inst = InstitutionFactory()
    app = make_application(CallFactory(), inst, state="public_notice")
    off = officer()
    today = timezone.localdate().isoformat()
    response = api_client(off).post(app_url(app, "transitions", "record_objection"), {
        "comment": "The IP list omits a co-owner.", "objector": "某某公司", "contact": "0577-88886666",
        "received_on": today,
    }, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "objection"
    objection = Objection.objects.get(application=app)
    assert objection.objector == "某某公司"
    assert objection.received_on.isoformat() == today and objection.contact == "0577-88886666"
    assert objection.content == "The IP list omits a co-owner."
    assert objection.recorded_by == off

    bad_date = api_client(off).post(app_url(app, "transitions", "dismiss_objection"),
                                    {"comment": "x", "received_on": "yesterday"}, format="json")
    assert bad_date.status_code == 400
    assert "received_on" in bad_date.json()["errors"]


def test_history_hides_officer_names_from_applicants():
    inst = InstitutionFactory()
    user = applicant_of(inst, first_name="")
    off = officer(username="officer.zhang@kjj.wenzhou.gov.cn")
    app = make_application(CallFactory(), inst, created_by=user)
    api_client(user).post(app_url(app, "transitions", "submit"), {}, format="json")
    api_client(off).post(app_url(app, "transitions", "return_for_revision"), {"comment": "Sign the form."},
                         format="json")

    as_applicant = api_client(user).get(app_url(app, "history"))
    assert as_applicant.status_code == 200
    rows = {h["transition"]: h for h in as_applicant.json()}
    assert rows["return_for_revision"]["actor"] == "Bureau officer"
    assert rows["return_for_revision"]["comment"] == "Sign the form."
    assert rows["return_for_revision"]["target_label"] == "Returned for revision"
    assert rows["submit"]["actor"] == user.username
    assert off.username not in as_applicant.content.decode()

    as_officer = {h["transition"]: h for h in api_client(off).get(app_url(app, "history")).json()}
    assert as_officer["return_for_revision"]["actor"] == off.username


# ------------------------------------------------------------------- language

def test_errors_follow_accept_language_english():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user, state="submitted")
    response = api_client(user, language="en").post(app_url(app, "transitions", "accept_for_review"), {},
                                                    format="json")
    assert response.status_code == 403
    assert response["Content-Language"] == "en"
    assert response.json()["detail"] == "Only bureau officers can pass the formal check."

    chinese = api_client(user, language="zh-hans").post(app_url(app, "transitions", "accept_for_review"), {},
                                                        format="json")
    assert chinese.status_code == 403
    assert chinese["Content-Language"] == "zh-hans"
    assert chinese.json()["detail"]


# ------------------------------------------------------------ reference, lists

def test_disciplines_are_listed_and_shown_on_applications():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    client = api_client(user)
    disciplines = client.get(f"{API}/disciplines/").json()
    by_code = {d["code"]: d for d in disciplines}
    assert by_code["ENG.MAT"] == {"code": "ENG.MAT", "name_zh": "新材料", "name_en": "New materials", "parent": "ENG"}
    assert client.get(f"{API}/disciplines/ENG.MAT/").json()["name_en"] == "New materials"
    app = make_application(CallFactory(), inst, created_by=user)
    assert client.get(app_url(app)).json()["disciplines"] == ["ENG.MAT"]


def test_application_list_queries_do_not_grow_with_the_number_of_applications(django_assert_max_num_queries):
    inst = InstitutionFactory()
    user = applicant_of(inst)
    client = api_client(user)
    make_application(CallFactory(), inst, created_by=user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{API}/applications/").json()["count"] == 1
    for _ in range(5):
        make_application(CallFactory(), inst, created_by=user)
    with django_assert_max_num_queries(len(one)):
        assert client.get(f"{API}/applications/").json()["count"] == 6


def test_review_preferences_and_who_sees_the_excluded_experts():
    from tests.factories import assign_expert

    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user)
    client = api_client(user)
    response = client.put(app_url(app, "review-preferences"),
                          {"disciplines": ["ICT.AI", "ENG.MAT"], "excluded_experts": ["张三", " 李四 "]}, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["disciplines"]) == ["ENG.MAT", "ICT.AI"]
    assert response.json()["excluded_experts"] == ["张三", "李四"]
    assert sorted(app.disciplines.values_list("code", flat=True)) == ["ENG.MAT", "ICT.AI"]

    too_many = client.put(app_url(app, "review-preferences"),
                          {"disciplines": ["ICT.AI"], "excluded_experts": ["a", "b", "c", "d"]}, format="json")
    assert too_many.status_code == 400 and "excluded_experts" in too_many.json()["errors"]
    unknown = client.put(app_url(app, "review-preferences"), {"disciplines": ["ASTROLOGY"]}, format="json")
    assert unknown.status_code == 400 and "disciplines" in unknown.json()["errors"]
    assert sorted(app.disciplines.values_list("code", flat=True)) == ["ENG.MAT", "ICT.AI"]

    assert api_client(officer()).get(app_url(app)).json()["excluded_experts"] == ["张三", "李四"]
    reviewer = expert()
    assign_expert(reviewer, app)
    as_expert = api_client(reviewer).get(app_url(app))
    assert as_expert.status_code == 200
    assert as_expert.json()["excluded_experts"] is None
    assert "张三" not in as_expert.content.decode()
    assert api_client(reviewer).put(app_url(app, "review-preferences"), {"disciplines": []},
                                    format="json").status_code == 403


def test_an_application_made_entirely_through_the_api_goes_to_expert_review():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    call = CallFactory(required_attachment_types=["application_form", "integrity_pledge"])
    client = api_client(user)

    app_id = client.post(f"{API}/applications/", {"call": call.pk, "title": "耐高温隔膜中试"},
                         format="json").json()["id"]
    steps = [
        client.patch(app_url(app_id), {"summary": "A separator that does not burn.", "keywords": "电池, 隔膜",
                                       "project_details": {"trl_now": 3, "trl_target": 5, "duration_months": 12,
                                                           "requested_grant": "400000.00", "self_funded": "100000.00",
                                                           "market_analysis": "Batteries."}}, format="json"),
        client.put(app_url(app_id, "review-preferences"), {"disciplines": ["ENG.MAT"]}, format="json"),
        client.post(app_url(app_id, "ip-items"), {"number": "ZL202310000001.1", "title": "隔膜制备方法",
                                                  "ip_type": "invention_patent", "owner": inst.name,
                                                  "status": "granted"}, format="json"),
        client.post(app_url(app_id, "team-members"), {"name": "李教授", "role": "负责人", "is_lead": True},
                    format="json"),
        client.post(app_url(app_id, "budget-lines"), {"category": "设备费", "source": "grant", "amount": "400000.00"},
                    format="json"),
        client.post(app_url(app_id, "budget-lines"), {"category": "材料费", "source": "self", "amount": "100000.00"},
                    format="json"),
        client.post(app_url(app_id, "milestones"), {"month": 6, "title": "样机", "deliverables": "一台样机"},
                    format="json"),
        client.post(app_url(app_id, "pledges"), {"integrity": True, "ip_compliance": True}, format="json"),
    ]
    assert [r.status_code for r in steps] == [200, 200, 201, 201, 201, 201, 201, 200], [r.json() for r in steps]
    missing = client.get(app_url(app_id)).json()["missing_items"]
    assert missing == ["Attachment missing: Signed application form.",
                       "Attachment missing: Research-integrity pledge."]
    assert client.post(app_url(app_id, "transitions", "submit"), {}, format="json").status_code == 409

    for attachment_type in ("application_form", "integrity_pledge"):
        response = client.post(app_url(app_id, "attachments"), {
            "attachment_type": attachment_type,
            "file": SimpleUploadedFile(f"{attachment_type}.pdf", pdf_bytes(), content_type="application/pdf"),
        }, format="multipart")
        assert response.status_code == 201
    assert client.get(app_url(app_id)).json()["missing_items"] == []
    assert [t["name"] for t in client.get(app_url(app_id, "transitions")).json()] == ["submit", "withdraw"]

    submitted = client.post(app_url(app_id, "transitions", "submit"), {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    accepted = api_client(officer()).post(app_url(app_id, "transitions", "accept_for_review"), {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "under_review"
    assert Application.objects.get(pk=app_id).state == "under_review"
