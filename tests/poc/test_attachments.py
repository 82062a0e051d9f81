"""Uploading attachments (services.add_attachment): real files only, checked by content, stored
privately; a refusal stores nothing, neither a row nor a file."""
import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from poc.applications import services
from poc.errors import BadInput, NotAllowed, NotNow
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
    xlsx_bytes,
)
from tests.poc.workflow_support import rules_environment, storage_root, stored_files

pytestmark = pytest.mark.django_db

MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.fixture(autouse=True)
def _environment():
    with rules_environment():
        yield


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format="JPEG")
    return buf.getvalue()


@pytest.fixture
def draft():
    institution = InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(CallFactory(), institution, created_by=owner, complete=False)
    return app, owner


def refused_and_nothing_stored(app, user, upload, attachment_type="application_form", error=BadInput):
    rows_before = list(Attachment.objects.values_list("id", flat=True))
    files_before = stored_files()
    with pytest.raises(error) as refused:
        services.add_attachment(user, app, attachment_type, upload)
    assert list(Attachment.objects.values_list("id", flat=True)) == rows_before
    assert stored_files() == files_before
    return refused.value


# ------------------------------------------------------------------ accepted


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("申报书.pdf", pdf_bytes()),
        ("site-photo.png", png_bytes()),
        ("site-photo.jpg", jpeg_bytes()),
        ("site-photo.JPEG", jpeg_bytes()),
        ("自查表.docx", docx_bytes()),
        ("budget.xlsx", xlsx_bytes()),
    ],
)
def test_real_files_are_accepted_and_stored_privately(draft, name, content):
    app, owner = draft
    attachment = services.add_attachment(owner, app, "application_form", SimpleUploadedFile(name, content))
    extension = name.rsplit(".", 1)[1].lower()
    assert attachment.original_name == name
    assert attachment.extension == extension
    assert attachment.content_type == MIME[extension]
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == owner
    # Stored under a random name of the application's folder, never the user's name.
    assert attachment.file.name.startswith(f"applications/{app.pk}/")
    assert name.rsplit(".", 1)[0] not in attachment.file.name
    assert (storage_root() / attachment.file.name).read_bytes() == content


def test_a_returned_application_accepts_attachments(draft):
    app, owner = draft
    app = make_application(app.call, app.institution, created_by=owner, state="returned", complete=False)
    services.add_attachment(owner, app, "audited_spend", SimpleUploadedFile("audit.pdf", pdf_bytes()))
    assert app.attachments.filter(attachment_type="audited_spend").count() == 1


# ------------------------------------------------------------------ content


def test_a_png_named_pdf_is_refused(draft):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("scan.pdf", png_bytes()))
    assert error.messages == ["“scan.pdf” is not a real .pdf file (its content does not match its name)."]


def test_a_text_file_named_docx_is_refused(draft):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("notes.docx", b"just some text\n"))
    assert error.messages == ["“notes.docx” is not a real .docx file (its content does not match its name)."]


def test_a_workbook_named_docx_is_refused(draft):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("form.docx", xlsx_bytes()))
    assert error.messages == ["“form.docx” is not a real .docx file (its content does not match its name)."]


def test_a_plain_zip_named_xlsx_is_refused(draft):
    app, owner = draft
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")  # no [Content_Types].xml
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("budget.xlsx", buf.getvalue()))
    assert error.messages == ["“budget.xlsx” is not a real .xlsx file (its content does not match its name)."]


def test_a_pdf_named_jpg_is_refused(draft):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("photo.jpg", pdf_bytes()))
    assert error.messages == ["“photo.jpg” is not a real .jpg file (its content does not match its name)."]


@pytest.mark.parametrize(("name", "ext"), [("setup.exe", "exe"), ("申报书.pdf.exe", "exe"), ("macro.docm", "docm"),
                                           ("README", "?")])
def test_types_not_on_the_list_are_refused(draft, name, ext):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 60))
    assert error.messages == [f"Files of type “.{ext}” are not accepted; use PDF, DOCX, XLSX, PNG or JPEG."]


def test_an_empty_file_is_refused(draft):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("empty.pdf", b""))
    assert error.messages == ["The file is empty."]


# -------------------------------------------------------------------- size


def test_an_oversized_file_is_refused(draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    app, owner = draft
    big = pdf_bytes() + b"%" * (3 * 512 * 1024)  # 1.5 MB
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("big.pdf", big))
    assert error.messages == ["The file is 1.5 MB; the limit is 1 MB."]


def test_an_oversized_stream_without_a_declared_size_is_refused_after_reading_the_limit(draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    app, owner = draft
    stream = io.BytesIO(pdf_bytes() + b"%" * (2 * 1024 * 1024))
    stream.name = "big.pdf"
    error = refused_and_nothing_stored(app, owner, stream)
    assert error.messages == ["The file is larger than the limit of 1 MB."]


def test_a_file_exactly_at_the_limit_is_accepted(draft, settings):
    app, owner = draft
    content = pdf_bytes() + b"%" * 1000
    settings.ATTACHMENT_MAX_BYTES = len(content)
    attachment = services.add_attachment(owner, app, "application_form", SimpleUploadedFile("edge.pdf", content))
    assert attachment.size == len(content)


# -------------------------------------------------------------------- names


@pytest.mark.parametrize("name", ["../申报书.pdf", "../../etc/passwd.pdf", "sub/申报书.pdf", "/tmp/x.pdf",
                                  "..\\申报书.pdf", "C:\\Users\\x.pdf", "申报书\x00.pdf", "a.pdf\x00.exe"])
def test_names_with_a_path_are_refused(draft, name):
    """Django's own upload handlers strip directories; the service must not rely on that."""
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, ContentFile(pdf_bytes(), name=name))
    assert error.messages == [f"The file name “{name}” is not allowed: it must not contain a path."]


@pytest.mark.parametrize("name", ["", "   "])
def test_a_file_without_a_name_is_refused(draft, name):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, ContentFile(pdf_bytes(), name=name))
    assert error.messages == ["The file has no name."]


def test_a_very_long_name_is_refused(draft):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("x" * 197 + ".pdf", pdf_bytes()))
    assert error.messages == ["The file name is too long (at most 200 characters)."]


def test_an_unknown_attachment_type_is_refused(draft):
    app, owner = draft
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("a.pdf", pdf_bytes()),
                                       attachment_type="selfie")
    assert error.messages == ["Unknown attachment type “selfie”."]


# ---------------------------------------------------------- who and when


@pytest.mark.parametrize(("state", "label"), [("submitted", "Submitted"), ("under_review", "Under expert review"),
                                              ("approved", "Approved"), ("withdrawn", "Withdrawn")])
def test_only_a_draft_or_returned_application_takes_attachments(state, label):
    institution = InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(CallFactory(), institution, created_by=owner, state=state)
    error = refused_and_nothing_stored(app, owner, SimpleUploadedFile("late.pdf", pdf_bytes()), error=NotNow)
    assert error.status == 409
    assert error.messages == [f"The application can no longer be edited: it is “{label}”."]


def test_an_applicant_of_another_institution_cannot_attach(draft):
    app, _owner = draft
    stranger = applicant_of(InstitutionFactory())
    error = refused_and_nothing_stored(app, stranger, SimpleUploadedFile("a.pdf", pdf_bytes()), error=NotAllowed)
    assert error.status == 403
    assert error.messages == ["Only members of the applicant institution can edit this application."]


def test_an_officer_cannot_attach_to_an_applicants_draft(draft):
    app, _owner = draft
    error = refused_and_nothing_stored(app, officer(), SimpleUploadedFile("a.pdf", pdf_bytes()), error=NotAllowed)
    assert error.messages == ["Only members of the applicant institution can edit this application."]
