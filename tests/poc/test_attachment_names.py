"""A file name with a path or a NUL byte is refused the same way on the editor page and over the API: the
reason is shown (400), and nothing is stored. Both go through one check (poc.attachment_checks) on the name
as the client sent it; Django's parser would otherwise cut ``../../tmp/evil.pdf`` down to ``evil.pdf``."""
import pytest
from django.test import Client
from django.urls import reverse

from poc.models import Attachment
from tests.factories import CallFactory, InstitutionFactory, applicant_of, make_application, pdf_bytes

from .api_support import api_client, app_url, multipart_body
from .test_api_attachments import stored_files

pytestmark = pytest.mark.django_db

NAMES = ["../../../../tmp/evil.pdf", "..\\..\\evil.pdf", "evil\x00.pdf", "..", "&#46;&#46;&#47;evil.pdf"]
REASON = "must not contain a path"


@pytest.fixture
def draft():
    inst = InstitutionFactory()
    user = applicant_of(inst)
    app = make_application(CallFactory(), inst, created_by=user, complete=False)
    return app, user


def _body(filename):
    return multipart_body({"attachment_type": "application_form"}, filename=filename, content=pdf_bytes())


def post_on_the_page(app, user, filename):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    body, content_type = _body(filename)
    return client.post(reverse("editor-attachments", args=[app.pk]), data=body, content_type=content_type)


def post_to_the_api(app, user, filename):
    body, content_type = _body(filename)
    return api_client(user).post(app_url(app, "attachments"), data=body, content_type=content_type)


@pytest.mark.parametrize("filename", NAMES)
def test_the_editor_page_refuses_the_name_and_says_why(draft, settings, filename):
    app, user = draft
    response = post_on_the_page(app, user, filename)
    assert response.status_code == 400
    assert REASON in response.content.decode()
    assert not Attachment.objects.filter(application=app).exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("filename", NAMES)
def test_the_api_refuses_the_name_and_says_why(draft, settings, filename):
    app, user = draft
    response = post_to_the_api(app, user, filename)
    assert response.status_code == 400
    assert REASON in response.json()["detail"]
    assert not Attachment.objects.filter(application=app).exists()
    assert stored_files(settings) == []


def test_the_page_reason_is_in_the_applicants_language(draft):
    app, user = draft
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    body, content_type = _body("../evil.pdf")
    response = client.post(reverse("editor-attachments", args=[app.pk]), data=body, content_type=content_type)
    assert response.status_code == 400
    assert "路径" in response.content.decode()


@pytest.mark.parametrize("post", [post_on_the_page, post_to_the_api], ids=["page", "api"])
def test_a_plain_name_is_stored_as_sent(draft, post):
    app, user = draft
    response = post(app, user, "申报书（盖章）.pdf")
    assert response.status_code in (201, 302), response.content[:300]
    assert Attachment.objects.get(application=app).original_name == "申报书（盖章）.pdf"
