"""The API of life after approval (DESIGN §4), through real requests with token authentication.

centers, evaluations (+ evidence), projects (+ agreement), milestones, change-requests, acceptances and the
public list of centers: what each role sees, what it may do, and the status codes: 200/201, 400 bad
input, 403 not this user, 404 another institution's object, 409 not now.
"""
import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from poc.centers.models import add_months
from poc.models import AnnualEvaluation, Center, ChangeRequest, EvaluationEvidence, Project, TransitionLog
from poc.projects import services as project_services
from poc.workflow import run_transition
from tests.factories import (
    InstitutionFactory,
    applicant_of,
    docx_bytes,
    expert,
    officer,
    pdf_bytes,
    png_bytes,
)
from tests.poc.after_approval_factories import (
    make_center,
    make_change,
    make_evaluation,
    make_project,
    scores_totalling,
)
from tests.poc.workflow_support import FAST_HASHERS

from .api_support import API, api_client, multipart_body

pytestmark = pytest.mark.django_db

BY_SCORING = ("This step follows from scoring the center's annual evaluation "
              "(evaluations/{id}/transitions/record_score/); it is not run by hand.")
BY_ACCEPTANCE = "This step follows from recording an acceptance review (POST acceptances/); it is not run by hand."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def url(resource, *rest) -> str:
    return "/".join([f"{API}/{resource}", *[str(getattr(r, "pk", r)) for r in rest]]) + "/"


def ids(response):
    body = response.json()
    return [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def world():
    """Two institutions, each with a center and a project; an officer."""
    a, b = InstitutionFactory(name="瓯江大学"), InstitutionFactory(name="Institution B")
    return {
        "a": a, "b": b, "user_a": applicant_of(a), "user_b": applicant_of(b), "officer": officer(),
        "center_a": make_center(None, a), "center_b": make_center(None, b),
        "project_a": make_project(None, a, state="in_progress"), "project_b": make_project(None, b),
    }


# ------------------------------------------------------------------------ centers

def test_officers_list_every_center_and_institutions_their_own(world):
    assert set(ids(api_client(world["officer"]).get(url("centers")))) == {world["center_a"].pk, world["center_b"].pk}
    assert ids(api_client(world["user_a"]).get(url("centers"))) == [world["center_a"].pk]
    assert ids(api_client(expert()).get(url("centers"))) == []
    assert api_client(None).get(url("centers")).status_code == 401


def test_a_center_shows_its_designation_and_evaluations(world):
    center = world["center_a"]
    make_evaluation(center, center.designated_on.year, state="scored", score=88)
    body = api_client(world["user_a"]).get(url("centers", center)).json()
    assert body["designation_number"] == center.designation_number
    assert body["institution"] == {"id": world["a"].pk, "name": "瓯江大学"}
    assert body["state"] == "active" and body["valid_until"] == center.valid_until.isoformat()
    assert body["services"] == ["secondary_development", "process_validation"]
    assert [(e["data_year"], e["score"], e["grade"]) for e in body["evaluations"]] == [
        (center.designated_on.year, "88.00", "good")]


def test_center_filters(world):
    revoked = make_center(state="revoked", kind="pilot_base")
    client = api_client(world["officer"])
    assert ids(client.get(url("centers") + "?state=revoked")) == [revoked.pk]
    assert ids(client.get(url("centers") + "?center_type=pilot_base")) == [revoked.pk]
    assert ids(client.get(url("centers") + f"?institution={world['b'].pk}")) == [world["center_b"].pk]


def test_center_transitions_fraud_by_hand_the_rest_by_the_system(world):
    center = world["center_a"]
    staff = api_client(world["officer"])
    assert [t["name"] for t in staff.get(url("centers", center, "transitions")).json()] == ["revoke_for_fraud"]
    assert api_client(world["user_a"]).get(url("centers", center, "transitions")).json() == []
    everything = {t["name"]: t for t in staff.get(url("centers", center, "transitions") + "?all=true").json()}
    assert set(everything) == {"order_rectification", "revoke_for_fraud", "expire"}
    assert everything["revoke_for_fraud"]["allowed"] is True and everything["revoke_for_fraud"]["needs_comment"]
    assert everything["order_rectification"] == {
        "name": "order_rectification", "label": "Order rectification", "needs_comment": False,
        "target": "rectifying", "allowed": False, "status": 403, "reasons": [BY_SCORING]}
    assert everything["expire"]["reasons"] == [
        "The nightly job expires a designation once its validity is over; it is not run by hand."]

    # Even when its conditions hold, a system step is not run by hand.
    Center.objects.filter(pk=center.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    response = staff.post(url("centers", center, "transitions", "expire"), {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == ("The nightly job expires a designation once its validity is over; "
                                         "it is not run by hand.")
    assert staff.post(url("centers", center, "transitions", "order_rectification"), {},
                      format="json").status_code == 403
    assert fresh(center).state == "active" and not TransitionLog.objects.for_object(center).exists()


def test_revoke_for_fraud_over_the_api(world):
    center = world["center_a"]
    staff = api_client(world["officer"])
    fraud = url("centers", center, "transitions", "revoke_for_fraud")
    refused = api_client(world["user_a"]).post(fraud, {"comment": "x"}, format="json")
    assert (refused.status_code, refused.json()["detail"]) == (
        403, "Only bureau officers can revoke a designation for fraud.")
    no_reason = staff.post(fraud, {"comment": ""}, format="json")
    assert no_reason.status_code == 400 and "comment" in no_reason.json()["errors"]
    response = staff.post(fraud, {"comment": "Forged contracts."}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["subsidy_recovery"], body["revoked_on"]) == (
        "revoked", True, timezone.localdate().isoformat())
    again = staff.post(fraud, {"comment": "Again."}, format="json")
    assert (again.status_code, again.json()["detail"]) == (
        409, "“Revoke for fraud” is not possible while the center is “Revoked”.")
    assert api_client(world["user_b"]).post(fraud, {"comment": "x"}, format="json").status_code == 404


# ------------------------------------------------------------------ public centers

def test_the_public_list_needs_no_sign_in_and_shows_public_facts_only(world):
    rectifying = make_center(state="rectifying", kind="pilot_base", subsidy_recovery=False)
    make_center(state="revoked")
    make_center(state="expired")
    make_evaluation(world["center_a"], 2025, state="scored", score=40)
    client = api_client(None)
    response = client.get(url("public/centers"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {r["id"] for r in rows} == {world["center_a"].pk, world["center_b"].pk, rectifying.pk}
    row = next(r for r in rows if r["id"] == world["center_a"].pk)
    assert set(row) == {"id", "designation_number", "name", "center_type", "center_type_display",
                        "institution_name", "district", "designated_on", "valid_until", "services",
                        "service_labels"}
    assert row["institution_name"] == "瓯江大学"
    text = response.content.decode()
    for private in ("state", "rectifying", "score", "grade", "subsidy", "contact", "张老师", "0577",
                    world["a"].credit_code, "application"):
        assert private not in text, private
    assert ids(client.get(url("public/centers") + "?center_type=pilot_base")) == [rectifying.pk]
    assert client.get(url("public/centers", world["center_a"])).json()["name"] == world["center_a"].name


def test_the_public_list_ignores_credentials_and_hides_centers_not_in_force(world):
    revoked = make_center(state="revoked")
    client = api_client(None)
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)  # a bogus token is not even looked at
    assert client.get(url("public/centers")).status_code == 200
    assert client.get(url("public/centers", revoked)).status_code == 404
    assert client.post(url("public/centers"), {}, format="json").status_code == 405


# --------------------------------------------------------------------- evaluations

def test_an_institution_opens_fills_documents_and_files_its_evaluation(world):
    center, owner = world["center_a"], world["user_a"]
    client = api_client(owner)
    year = timezone.localdate().year - 1
    created = client.post(url("evaluations"), {"center": center.pk, "data_year": year}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["center"], body["data_year"], body["state"]) == (center.pk, year, "draft")
    assert body["missing_items"] == ["User satisfaction is missing.", "Describe at least one typical case.",
                                     "The plan for next year is missing.", "Attach at least one evidence file."]
    evaluation = url("evaluations", body["id"])

    again = client.post(url("evaluations"), {"center": center.pk, "data_year": year}, format="json")
    assert (again.status_code, again.json()["detail"]) == (
        409, f"The evaluation for {year} already exists; one evaluation per center per data year.")

    patched = client.patch(evaluation, {"projects_validated": 12, "follow_on_financing": "8000000.00",
                                        "user_satisfaction": "91.5", "cases": "隔膜工艺验证。",
                                        "next_year_plan": "两条中试线。", "state": "scored", "score": "99"},
                           format="json")
    assert patched.status_code == 200, patched.json()
    body = patched.json()
    assert (body["projects_validated"], body["follow_on_financing"], body["user_satisfaction"]) == (
        12, "8000000.00", "91.50")
    assert (body["state"], body["score"]) == ("draft", None)  # never patched
    assert body["missing_items"] == ["Attach at least one evidence file."]

    bad = client.patch(evaluation, {"user_satisfaction": "100.5"}, format="json")
    assert bad.status_code == 400 and "user_satisfaction" in bad.json()["errors"]

    not_yet = client.post(evaluation + "transitions/file/", {}, format="json")
    assert (not_yet.status_code, not_yet.json()["detail"]) == (409, "Attach at least one evidence file.")

    content = pdf_bytes()
    uploaded = client.post(evaluation + "evidence/", {
        "title": "年度审计报告", "file": SimpleUploadedFile("审计报告.pdf", content, content_type="application/pdf"),
    }, format="multipart")
    assert uploaded.status_code == 201, uploaded.json()
    evidence = uploaded.json()
    assert (evidence["title"], evidence["original_name"], evidence["size"]) == ("年度审计报告", "审计报告.pdf", len(content))
    assert evidence["sha256"] == hashlib.sha256(content).hexdigest()
    assert [e["id"] for e in client.get(evaluation + "evidence/").json()] == [evidence["id"]]
    download = client.get(evidence["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert download["Cache-Control"] == "private, no-store"
    assert 'filename*=' in download["Content-Disposition"] or "filename=" in download["Content-Disposition"]

    assert [t["name"] for t in client.get(evaluation + "transitions/").json()] == ["file"]
    filed = client.post(evaluation + "transitions/file/", {}, format="json")
    assert filed.status_code == 200
    assert (filed.json()["state"], filed.json()["missing_items"]) == ("filed", [])
    late_edit = client.patch(evaluation, {"cases": "Changed."}, format="json")
    assert (late_edit.status_code, late_edit.json()["detail"]) == (
        409, "The evaluation data have been filed and can no longer be edited.")
    late_upload = client.post(evaluation + "evidence/", {
        "title": "x", "file": SimpleUploadedFile("x.pdf", content)}, format="multipart")
    assert late_upload.status_code == 409


def test_evaluation_creation_refusals(world):
    year = timezone.localdate().year - 1
    as_officer = api_client(world["officer"]).post(url("evaluations"), {"center": world["center_a"].pk,
                                                                        "data_year": year}, format="json")
    assert (as_officer.status_code, as_officer.json()["detail"]) == (
        403, "Only members of the center's institution can file its evaluation.")
    foreign = api_client(world["user_b"]).post(url("evaluations"), {"center": world["center_a"].pk,
                                                                    "data_year": year}, format="json")
    assert foreign.status_code == 400 and list(foreign.json()["errors"]) == ["center"]
    future = api_client(world["user_a"]).post(url("evaluations"), {"center": world["center_a"].pk,
                                                                   "data_year": year + 1}, format="json")
    assert future.status_code == 400
    assert not AnnualEvaluation.objects.exists()


def test_evidence_is_checked_by_content_and_only_the_institution_uploads(world):
    evaluation = make_evaluation(world["center_a"], complete=False)
    target = url("evaluations", evaluation, "evidence")
    fake = api_client(world["user_a"]).post(target, {
        "title": "Fake", "file": SimpleUploadedFile("report.pdf", png_bytes())}, format="multipart")
    assert (fake.status_code, fake.json()["detail"]) == (
        400, "“report.pdf” is not a real .pdf file (its content does not match its name).")
    body, content_type = multipart_body({"title": "Sneaky"}, filename="../../etc/report.pdf", content=pdf_bytes())
    sneaky = api_client(world["user_a"]).post(target, data=body, content_type=content_type)
    assert sneaky.status_code == 400
    by_officer = api_client(world["officer"]).post(target, {
        "title": "Officer", "file": SimpleUploadedFile("a.docx", docx_bytes())}, format="multipart")
    assert (by_officer.status_code, by_officer.json()["detail"]) == (
        403, "Only members of the center's institution can edit its evaluation data.")
    no_title = api_client(world["user_a"]).post(target, {"file": SimpleUploadedFile("a.pdf", pdf_bytes())},
                                                format="multipart")
    assert no_title.status_code == 400 and "title" in no_title.json()["errors"]
    assert not EvaluationEvidence.objects.exists()


def test_an_officer_scores_a_filed_evaluation_and_the_center_moves(world):
    center = world["center_a"]
    filed = make_evaluation(center, state="filed")
    target = url("evaluations", filed, "transitions", "record_score")
    staff = api_client(world["officer"])
    names = [t["name"] for t in staff.get(url("evaluations", filed, "transitions")).json()]
    assert names == ["return_data", "record_score"]

    refused = api_client(world["user_a"]).post(target, {"score": "95"}, format="json")
    assert (refused.status_code, refused.json()["detail"]) == (403, "Only bureau officers can score an evaluation.")
    for bad, message in [("100.01", "The score must be between 0 and 100; 100.01 is out of range."),
                         ("-1", "The score must be between 0 and 100; -1.00 is out of range.")]:
        response = staff.post(target, {"score": bad}, format="json")
        assert response.status_code == 400 and response.json()["detail"] == message
        assert "score" in response.json()["errors"]
    for bad in ({}, {"score": "eighty"}, {"score": "59.995"}, {"score": "NaN"}):
        response = staff.post(target, bad, format="json")
        assert response.status_code == 400, bad
        assert "score" in response.json()["errors"], bad
    assert fresh(filed).state == "filed" and fresh(filed).score is None
    assert fresh(center).state == "active"

    scored = staff.post(target, {"score": "59.99", "comment": "Service revenue fell by half."}, format="json")
    assert scored.status_code == 200, scored.json()
    body = scored.json()
    assert (body["state"], body["score"], body["grade"], body["grade_display"]) == ("scored", "59.99", "fail", "Fail")
    assert body["center_state"] == "rectifying"
    after = fresh(center)
    assert after.state == "rectifying"
    assert after.rectification_due == add_months(timezone.localdate(), 12)
    again = staff.post(target, {"score": "70"}, format="json")
    assert (again.status_code, again.json()["detail"]) == (
        409, "“Score” is not possible while the annual evaluation is “Scored”.")


def test_an_officer_returns_filed_data_with_a_reason(world):
    filed = make_evaluation(world["center_a"], state="filed")
    target = url("evaluations", filed, "transitions", "return_data")
    staff = api_client(world["officer"])
    assert staff.post(target, {}, format="json").status_code == 400
    response = staff.post(target, {"comment": "Attach the audit of service revenue."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "draft"


def test_evaluation_lists_follow_the_same_visibility(world):
    mine = make_evaluation(world["center_a"])
    theirs = make_evaluation(world["center_b"])
    assert ids(api_client(world["user_a"]).get(url("evaluations"))) == [mine.pk]
    assert set(ids(api_client(world["officer"]).get(url("evaluations")))) == {mine.pk, theirs.pk}
    assert ids(api_client(world["officer"]).get(url("evaluations") + f"?center={world['center_b'].pk}")) == [theirs.pk]
    assert ids(api_client(expert()).get(url("evaluations"))) == []


# ------------------------------------------------------------------------ projects

def test_a_project_shows_its_obligation_due_dates_and_milestones(world):
    project = world["project_a"]
    body = api_client(world["user_a"]).get(url("projects", project)).json()
    assert body["project_number"] == project.project_number
    assert body["state"] == "in_progress"
    assert body["obligation"] == ("Transfer or put into use the project's results (technology contract registered) "
                                  "within 12 months of approval.")
    assert body["obligation_due_on"] == add_months(project.approved_on, 12).isoformat()
    assert body["due_on"] == project.due_on.isoformat() == body["approved_deadline"]
    assert body["days_late"] == 0 and body["late_beyond_tolerance"] is False and body["is_major"] is False
    (milestone,) = body["milestones"]
    assert (milestone["month"], milestone["title"], milestone["is_overdue"]) == (6, "Prototype", True)
    assert milestone["due_on"] == add_months(project.signed_on, 6).isoformat()
    assert body["has_agreement"] is True and body["agreement_url"].endswith(url("projects", project, "agreement"))
    assert ids(api_client(world["user_a"]).get(url("projects"))) == [project.pk]
    assert set(ids(api_client(world["officer"]).get(url("projects")))) == {project.pk, world["project_b"].pk}
    assert ids(api_client(world["officer"]).get(url("projects") + "?state=contracting")) == [world["project_b"].pk]


def test_the_signed_agreement_is_uploaded_downloaded_and_confirmed(world):
    project, client = world["project_b"], api_client(world["user_b"])
    agreement = url("projects", project, "agreement")
    assert client.get(agreement).status_code == 404  # none yet
    wrong = client.post(agreement, {"file": SimpleUploadedFile("agreement.docx", docx_bytes())}, format="multipart")
    assert (wrong.status_code, wrong.json()["detail"]) == (400, "The signed task agreement must be a PDF.")
    missing = client.post(agreement, {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]

    staff = api_client(world["officer"])
    early = staff.post(url("projects", project, "transitions", "sign"), {}, format="json")
    assert (early.status_code, early.json()["detail"]) == (
        409, "Upload the task agreement (任务书) signed by both sides first.")

    uploaded = client.post(agreement, {"file": SimpleUploadedFile("任务书.pdf", pdf_bytes())}, format="multipart")
    assert uploaded.status_code == 200, uploaded.json()
    assert uploaded.json()["has_agreement"] is True
    download = staff.get(agreement)
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"

    assert api_client(world["user_b"]).post(url("projects", project, "transitions", "sign"), {},
                                            format="json").status_code == 403
    assert [t["name"] for t in staff.get(url("projects", project, "transitions")).json()] == ["sign", "terminate"]
    signed = staff.post(url("projects", project, "transitions", "sign"), {}, format="json")
    assert signed.status_code == 200
    body = signed.json()
    today = timezone.localdate()
    assert (body["state"], body["signed_on"]) == ("in_progress", today.isoformat())
    assert body["due_on"] == add_months(today, 18).isoformat()
    assert body["milestones"][0]["due_on"] == add_months(today, 6).isoformat()
    after = client.post(agreement, {"file": SimpleUploadedFile("任务书.pdf", pdf_bytes())}, format="multipart")
    assert (after.status_code, after.json()["detail"]) == (
        409, "The agreement is uploaded while the project is being contracted.")


def test_project_transitions_acceptance_steps_are_not_run_by_hand(world):
    project = make_project(None, world["a"], state="acceptance", reported=True)
    staff = api_client(world["officer"])
    assert [t["name"] for t in staff.get(url("projects", project, "transitions")).json()] == ["terminate"]
    everything = {t["name"]: t for t in staff.get(url("projects", project, "transitions") + "?all=true").json()}
    assert everything["pass_acceptance"]["reasons"] == [BY_ACCEPTANCE]
    response = staff.post(url("projects", project, "transitions", "pass_acceptance"), {}, format="json")
    assert (response.status_code, response.json()["detail"]) == (403, BY_ACCEPTANCE)
    no_reason = staff.post(url("projects", project, "transitions", "terminate"), {}, format="json")
    assert no_reason.status_code == 400
    terminated = staff.post(url("projects", project, "transitions", "terminate"), {"comment": "Team dissolved."},
                            format="json")
    assert terminated.status_code == 200 and terminated.json()["state"] == "terminated"


# ---------------------------------------------------------------------- milestones

def test_milestones_are_reported_with_optional_evidence_and_then_acceptance_is_requested(world):
    project = make_project(None, world["a"], state="in_progress", milestones=[(3, "样机"), (9, "中试")],
                           signed_on=add_months(timezone.localdate(), -4))
    client = api_client(world["user_a"])
    listed = client.get(url("milestones") + f"?project={project.pk}").json()["results"]
    assert [(m["month"], m["title"], m["is_overdue"]) for m in listed] == [(3, "样机", True), (9, "中试", False)]
    first, second = listed

    early = client.post(url("projects", project, "transitions", "request_acceptance"), {}, format="json")
    assert (early.status_code, early.json()["detail"]) == (
        409, "Report progress on every milestone first; missing: 样机、中试.")

    empty = client.post(url("milestones", first["id"], "report"), {"report": " "}, format="json")
    assert empty.status_code == 400
    text_only = client.post(url("milestones", first["id"], "report"), {"report": "样机完成。"}, format="json")
    assert text_only.status_code == 200, text_only.json()
    assert (text_only.json()["report"], text_only.json()["is_overdue"], text_only.json()["evidence_url"]) == (
        "样机完成。", False, None)
    with_file = client.post(url("milestones", second["id"], "report"), {
        "report": "中试线运行。", "evidence": SimpleUploadedFile("照片.png", png_bytes())}, format="multipart")
    assert with_file.status_code == 200, with_file.json()
    body = with_file.json()
    assert body["evidence_name"] == "照片.png"
    download = client.get(body["evidence_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    assert download["Content-Type"] == "image/png"
    assert client.get(url("milestones", first["id"], "evidence")).status_code == 404  # none attached

    as_officer = api_client(world["officer"]).post(url("milestones", first["id"], "report"), {"report": "x"},
                                                   format="json")
    assert (as_officer.status_code, as_officer.json()["detail"]) == (
        403, "Only the project's institution can report progress.")
    requested = client.post(url("projects", project, "transitions", "request_acceptance"), {}, format="json")
    assert requested.status_code == 200 and requested.json()["state"] == "acceptance"
    closed = client.post(url("milestones", first["id"], "report"), {"report": "More."}, format="json")
    assert (closed.status_code, closed.json()["detail"]) == (
        409, "Progress is reported while the project is in progress.")


# -------------------------------------------------------------- change requests

def test_change_requests_are_made_by_the_institution_and_decided_by_officers(world):
    project = world["project_a"]
    client, staff = api_client(world["user_a"]), api_client(world["officer"])
    no_date = client.post(url("change-requests"), {"project": project.pk, "kind": "deadline",
                                                   "description": "Supplier delay."}, format="json")
    assert no_date.status_code == 400 and "new_due_on" in no_date.json()["errors"]
    new_due = project.due_on + timedelta(days=90)
    created = client.post(url("change-requests"), {"project": project.pk, "kind": "deadline",
                                                   "description": "Supplier delay.",
                                                   "new_due_on": new_due.isoformat()}, format="json")
    assert created.status_code == 201, created.json()
    change = created.json()
    assert (change["state"], change["kind"], change["new_due_on"]) == ("pending", "deadline", new_due.isoformat())
    by_officer = staff.post(url("change-requests"), {"project": project.pk, "kind": "team",
                                                     "description": "x"}, format="json")
    assert by_officer.status_code == 403
    foreign = api_client(world["user_b"]).post(url("change-requests"), {"project": project.pk, "kind": "team",
                                                                        "description": "x"}, format="json")
    assert foreign.status_code == 400 and list(foreign.json()["errors"]) == ["project"]

    decide = url("change-requests", change["id"], "transitions", "approve")
    assert client.post(decide, {}, format="json").status_code == 403
    assert [t["name"] for t in staff.get(url("change-requests", change["id"], "transitions")).json()] == [
        "approve", "reject"]
    approved = staff.post(decide, {}, format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert api_client(world["user_a"]).get(url("projects", project)).json()["approved_deadline"] == new_due.isoformat()
    assert staff.post(decide, {}, format="json").status_code == 409

    target = make_change(project, "target")
    assert staff.post(url("change-requests", target, "transitions", "reject"), {}, format="json").status_code == 400
    rejected = staff.post(url("change-requests", target, "transitions", "reject"), {"comment": "Keep the targets."},
                          format="json")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert ids(client.get(url("change-requests") + "?state=rejected")) == [target.pk]
    assert ids(api_client(world["user_b"]).get(url("change-requests"))) == []


# --------------------------------------------------------------------- acceptance

def acceptance_payload(project, total="85", **over):
    data = {"project": project.pk, **{k: str(v) for k, v in scores_totalling(total).items()},
            "tasks_done_percent": "95", "opinion": "完成任务书约定的主要指标。"}
    data.update(over)
    return data


def test_recording_an_acceptance_shows_total_outcome_and_reasons(world):
    project = make_project(None, world["a"], state="acceptance", reported=True)
    staff = api_client(world["officer"])
    response = staff.post(url("acceptances"), acceptance_payload(project, "92.5"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["attempt"], body["total"], body["outcome"], body["outcome_display"]) == (1, "92.50", "passed", "Passed")
    assert (body["auto_fail_reasons"], body["days_late"], body["project_state"]) == ([], 0, "completed")
    assert (body["obligation_met"], body["obligation_overdue"]) == (False, False)  # derived: not due yet

    mine = api_client(world["user_a"])
    assert ids(mine.get(url("acceptances"))) == [body["id"]]
    assert mine.get(url("acceptances", body["id"])).json()["opinion"] == "完成任务书约定的主要指标。"
    assert "reviewed_by" not in body  # the reviewing officer is not named
    assert api_client(world["user_b"]).get(url("acceptances", body["id"])).status_code == 404


def test_an_automatic_fail_over_the_api(world):
    project = make_project(None, world["a"], state="acceptance", reported=True)
    make_change(project, "target")
    response = api_client(world["officer"]).post(
        url("acceptances"), acceptance_payload(project, "95", tasks_done_percent="79.99", false_data=True),
        format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "failed" and body["project_state"] == "failed"
    assert body["auto_fail_reasons"] == ["Less than 80% of the tasks are done (79.99%).",
                                         "Data were found to be false.", "Targets were changed without approval."]
    assert body["unapproved_change"] is True


def test_rectification_then_second_attempt_over_the_api(world):
    project = make_project(None, world["a"], state="acceptance", reported=True)
    staff = api_client(world["officer"])
    first = staff.post(url("acceptances"), acceptance_payload(project, "70"), format="json").json()
    assert (first["outcome"], first["project_state"]) == ("rectify", "rectifying")
    assert api_client(world["user_a"]).get(url("projects", project)).json()["rectification_due"] == add_months(
        timezone.localdate(), 3).isoformat()
    second = staff.post(url("acceptances"), acceptance_payload(project, "79.99"), format="json").json()
    assert (second["attempt"], second["outcome"], second["project_state"]) == (2, "failed", "failed")


def test_acceptance_refusals(world):
    project = make_project(None, world["a"], state="acceptance", reported=True)
    as_owner = api_client(world["user_a"]).post(url("acceptances"), acceptance_payload(project), format="json")
    assert (as_owner.status_code, as_owner.json()["detail"]) == (
        403, "Only bureau officers can record an acceptance review.")
    staff = api_client(world["officer"])
    too_high = staff.post(url("acceptances"), acceptance_payload(project, content_score="20.5"), format="json")
    assert (too_high.status_code, too_high.json()["detail"]) == (
        400, "Score “task content (max 20)” must be between 0 and 20.")
    no_opinion = staff.post(url("acceptances"), acceptance_payload(project, opinion=""), format="json")
    assert no_opinion.status_code == 400 and "opinion" in no_opinion.json()["errors"]
    missing = staff.post(url("acceptances"), {"project": project.pk}, format="json")
    assert missing.status_code == 400
    assert {"content_score", "tasks_done_percent"} <= set(missing.json()["errors"])
    not_requested = staff.post(url("acceptances"), acceptance_payload(world["project_a"]), format="json")
    assert (not_requested.status_code, not_requested.json()["detail"]) == (
        409, "Acceptance is reviewed once the institution has requested it.")
    assert fresh(project).state == "acceptance" and not project.acceptances.exists()


# ------------------------------------------------------------------ isolation

def a_urls(w, evidence, milestone, change, acceptance):
    center, project = w["center_a"], w["project_a"]
    evaluation = evidence.evaluation
    return [
        url("centers", center), url("centers", center, "transitions"),
        url("evaluations", evaluation), url("evaluations", evaluation, "transitions"),
        url("evaluations", evaluation, "evidence"), url("evaluations", evaluation, "evidence", evidence),
        url("evaluations", evaluation, "evidence", evidence, "download"),
        url("projects", project), url("projects", project, "transitions"), url("projects", project, "agreement"),
        url("milestones", milestone), url("milestones", milestone, "evidence"),
        url("change-requests", change), url("change-requests", change, "transitions"),
        url("acceptances", acceptance),
    ]


@pytest.fixture
def a_records(world):
    evaluation = make_evaluation(world["center_a"])
    evidence = evaluation.evidence.get()
    milestone = world["project_a"].milestones.get()
    project_services.report_milestone(world["user_a"], milestone, "Prototype built.",
                                      SimpleUploadedFile("photo.png", png_bytes()))
    change = make_change(world["project_a"], "budget")
    done = make_project(None, world["a"], state="acceptance", reported=True)
    acceptance = project_services.record_acceptance(world["officer"], done, scores=scores_totalling("90"),
                                                    tasks_done_percent=Decimal("100"), opinion="Good.")
    return evidence, milestone, change, acceptance


def test_another_institution_gets_404_on_everything_and_sees_nothing_in_lists(world, a_records):
    client = api_client(world["user_b"])
    for target in a_urls(world, *a_records):
        response = client.get(target)
        assert response.status_code == 404, target
        assert response.json() == {"detail": "Not found."}, target
    for resource in ("evaluations", "change-requests", "acceptances"):
        assert ids(client.get(url(resource))) == [], resource
    assert ids(client.get(url("centers"))) == [world["center_b"].pk]
    assert ids(client.get(url("projects"))) == [world["project_b"].pk]
    assert {m["project"] for m in client.get(url("milestones")).json()["results"]} == {world["project_b"].pk}
    # The officer and the owner see them.
    for user in (world["officer"], world["user_a"]):
        for target in a_urls(world, *a_records):
            assert api_client(user).get(target).status_code == 200, (user, target)


def test_another_institution_cannot_act_and_nothing_changes(world, a_records):
    evidence, milestone, change, _acceptance = a_records
    evaluation = evidence.evaluation
    client = api_client(world["user_b"])
    logs = TransitionLog.objects.count()
    attempts = [
        client.post(url("centers", world["center_a"], "transitions", "revoke_for_fraud"), {"comment": "x"},
                    format="json"),
        client.patch(url("evaluations", evaluation), {"cases": "Mine now."}, format="json"),
        client.post(url("evaluations", evaluation, "transitions", "file"), {}, format="json"),
        client.post(url("evaluations", evaluation, "evidence"), {
            "title": "x", "file": SimpleUploadedFile("x.pdf", pdf_bytes())}, format="multipart"),
        client.post(url("projects", world["project_a"], "agreement"), {
            "file": SimpleUploadedFile("x.pdf", pdf_bytes())}, format="multipart"),
        client.post(url("projects", world["project_a"], "transitions", "request_acceptance"), {}, format="json"),
        client.post(url("milestones", milestone, "report"), {"report": "Not mine."}, format="json"),
        client.post(url("change-requests", change, "transitions", "approve"), {}, format="json"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert TransitionLog.objects.count() == logs
    assert fresh(evaluation).cases == evaluation.cases and fresh(milestone).report == "Prototype built."
    assert EvaluationEvidence.objects.filter(evaluation=evaluation).count() == 1
    assert ChangeRequest.objects.get(pk=change.pk).state == "pending"


@pytest.mark.parametrize("resource", ["centers", "evaluations", "projects", "milestones", "change-requests",
                                      "acceptances", "public/centers"])
def test_list_queries_do_not_grow_with_the_rows(world, resource):
    def count():
        client = api_client(None if resource.startswith("public") else world["officer"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(resource))
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    def more():
        center = make_center()
        make_evaluation(center, state="filed")
        project = make_project(state="acceptance", reported=True)
        make_change(project, "deadline", state="approved", new_due_on=project.due_on + timedelta(days=30))
        project_services.record_acceptance(world["officer"], project, scores=scores_totalling("70"),
                                           tasks_done_percent=Decimal("90"), opinion="Rectify.")

    more()
    few, rows_few = count()
    for _ in range(3):
        more()
    many, rows_many = count()
    assert rows_many > rows_few
    assert many == few, (resource, few, many)


# ---------------------------------------------------------------------- schema

def test_the_schema_documents_the_after_approval_api():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in ["/api/v1/centers/", "/api/v1/centers/{id}/transitions/{transition_name}/", "/api/v1/evaluations/",
                 "/api/v1/evaluations/{evaluation_pk}/evidence/{id}/download/", "/api/v1/projects/{id}/agreement/",
                 "/api/v1/milestones/{id}/report/", "/api/v1/change-requests/{id}/transitions/",
                 "/api/v1/acceptances/", "/api/v1/public/centers/"]:
        assert path in paths, path
    run = paths["/api/v1/centers/{id}/transitions/{transition_name}/"]["post"]
    name_param = next(p for p in run["parameters"] if p["name"] == "transition_name")
    assert name_param["schema"]["enum"] == ["revoke_for_fraud"]
    project_run = paths["/api/v1/projects/{id}/transitions/{transition_name}/"]["post"]
    assert set(next(p for p in project_run["parameters"] if p["name"] == "transition_name")["schema"]["enum"]) == {
        "sign", "request_acceptance", "terminate"}
    assert set(paths["/api/v1/acceptances/"]["post"]["responses"]) == {"201", "400", "403", "409"}
    assert paths["/api/v1/public/centers/"]["get"].get("security") in (None, [])
    assert set(paths["/api/v1/projects/{id}/agreement/"]) == {"get", "post"}



def test_lateness_on_a_project_is_what_the_acceptance_will_count(world):
    project = make_project(None, world["a"], state="in_progress", reported=True)
    deadline = timezone.localdate() - timedelta(days=10)
    Project.objects.filter(pk=project.pk).update(due_on=deadline)
    client = api_client(world["user_a"])
    assert client.get(url("projects", project)).json()["days_late"] == 10
    run_transition(fresh(project), "request_acceptance", world["user_a"])
    later = timezone.now() + timedelta(days=200)
    with time_machine.travel(later, tick=False):
        body = client.get(url("projects", project)).json()
    assert (body["days_late"], body["late_beyond_tolerance"]) == (10, False)  # frozen on the request day
