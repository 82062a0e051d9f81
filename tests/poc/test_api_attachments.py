"""Attachments over the API: upload checks (name, size, content), permission-checked download, delete."""
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from poc.models import Attachment
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    docx_bytes,
    make_application,
    officer,
    pdf_bytes,
    png_bytes,
)

from .api_support import api_client, app_url, multipart_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user, complete=False)
    return app, user


def stored_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(client, app, filename, content, attachment_type="application_form", content_type="application/pdf"):
    body, multipart_type = multipart_body({"attachment_type": attachment_type}, filename=filename, content=content,
                                          content_type=content_type)
    return client.post(app_url(app, "attachments"), data=body, content_type=multipart_type)


def test_upload_list_download_delete(draft, settings, django_capture_on_commit_callbacks):
    app, user = draft
    client = api_client(user)
    content = pdf_bytes()
    response = client.post(app_url(app, "attachments"), {
        "attachment_type": "application_form",
        "file": SimpleUploadedFile("申报书（盖章）.pdf", content, content_type="application/pdf"),
    }, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["original_name"] == "申报书（盖章）.pdf"
    assert body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["content_type"] == "application/pdf"
    assert body["download_url"].endswith(app_url(app, "attachments", body["id"], "download"))
    assert "Attachment missing: Signed application form." not in client.get(app_url(app)).json()["missing_items"]

    listed = client.get(app_url(app, "attachments")).json()
    assert [a["id"] for a in listed] == [body["id"]]
    # The stored name is random and says nothing of the user's file name.
    [stored] = stored_files(settings)
    assert "申报书" not in stored.name and stored.read_bytes() == content

    download = client.get(body["download_url"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.delete(app_url(app, "attachments", body["id"]))
    assert deleted.status_code == 204
    assert not Attachment.objects.filter(pk=body["id"]).exists()
    assert stored_files(settings) == []


def test_docx_is_accepted_by_its_content(draft):
    app, user = draft
    response = upload(api_client(user), app, "budget.docx", docx_bytes(), attachment_type="budget_sheet",
                      content_type="application/octet-stream")
    assert response.status_code == 201
    assert response.json()["content_type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@pytest.mark.parametrize("filename", [
    "../evil.pdf",
    "../../etc/passwd.pdf",
    "dir/evil.pdf",
    "/abs/evil.pdf",
    "..&#47;evil.pdf",  # an HTML-escaped slash, which Django would unescape
])
def test_names_with_a_path_are_refused_and_nothing_is_stored(draft, settings, filename):
    app, user = draft
    before = stored_files(settings)
    response = upload(api_client(user), app, filename, pdf_bytes())
    assert response.status_code == 400, response.content
    assert "must not contain a path" in response.json()["detail"]
    assert not Attachment.objects.filter(application=app).exists()
    assert stored_files(settings) == before


def test_a_png_named_pdf_is_refused_and_nothing_is_stored(draft, settings):
    app, user = draft
    response = upload(api_client(user), app, "form.pdf", png_bytes())
    assert response.status_code == 400
    assert response.json()["detail"] == "“form.pdf” is not a real .pdf file (its content does not match its name)."
    assert not Attachment.objects.filter(application=app).exists()
    assert stored_files(settings) == []


def test_an_oversized_file_is_refused_and_nothing_is_stored(draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    app, user = draft
    big = pdf_bytes() + b"%" + b"x" * 2000 + b"\n"
    response = upload(api_client(user), app, "big.pdf", big)
    assert response.status_code == 400
    assert "limit" in response.json()["detail"]
    assert not Attachment.objects.filter(application=app).exists()
    assert stored_files(settings) == []

    # Far beyond the limit: refused from the Content-Length, before the body is read.
    huge = pdf_bytes() + b"x" * (1000 + 70 * 1024)
    response = upload(api_client(user), app, "huge.pdf", huge)
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["Too large."]}
    assert stored_files(settings) == []

    # Just under the limit passes.
    small = pdf_bytes() + b"%" + b"x" * 100 + b"\n"
    assert upload(api_client(user), app, "small.pdf", small).status_code == 201


def test_other_upload_refusals(draft, settings):
    app, user = draft
    client = api_client(user)
    assert upload(client, app, "run.exe", b"MZ\x90\x00").status_code == 400
    assert upload(client, app, "empty.pdf", b"").status_code == 400
    unknown_type = upload(client, app, "form.pdf", pdf_bytes(), attachment_type="selfie")
    assert unknown_type.status_code == 400
    assert "attachment_type" in unknown_type.json()["errors"]
    no_file = client.post(app_url(app, "attachments"), {"attachment_type": "other"}, format="multipart")
    assert no_file.status_code == 400
    assert "file" in no_file.json()["errors"]
    assert not Attachment.objects.filter(application=app).exists()
    assert stored_files(settings) == []


def test_only_the_applicant_uploads_and_only_while_editable(settings):
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user, complete=False)
    response = upload(api_client(officer()), app, "form.pdf", pdf_bytes())
    assert response.status_code == 403
    submitted = make_application(CallFactory(), inst, created_by=user, state="submitted")
    count = Attachment.objects.count()
    response = upload(api_client(user), submitted, "form.pdf", pdf_bytes())
    assert response.status_code == 409
    existing = submitted.attachments.first()
    assert api_client(user).delete(app_url(submitted, "attachments", existing.pk)).status_code == 409
    assert Attachment.objects.count() == count
    # Officers may read and download what they may not change.
    download = api_client(officer()).get(app_url(submitted, "attachments", existing.pk, "download"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
