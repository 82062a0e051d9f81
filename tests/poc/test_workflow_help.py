"""The workflows help page shows every workflow, in both languages, and a detail page can show its own."""
import pytest
from django.test import Client
from django.urls import reverse

from poc.diagrams import workflow_models
from tests.factories import InstitutionFactory, applicant_of, make_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, expected", [("zh-hans", "工作流程"), ("en", "Workflows")])
def test_every_workflow_is_on_the_help_page(language, expected):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(applicant_of(InstitutionFactory()))
    page = client.get(reverse("workflow-help")).content.decode()
    assert expected in page
    for model in workflow_models():
        assert f'id="{model._meta.label_lower.replace(".", "-")}"' in page
    assert page.count("<svg") == len(workflow_models())


def test_the_help_page_asks_to_sign_in():
    response = Client().get(reverse("workflow-help"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_diagram_tag_highlights_the_state_and_the_viewers_steps(rf):
    from django.template import Context, Template

    institution = InstitutionFactory(verified=True)
    application = make_application(institution=institution)
    request = rf.get("/")
    request.user = applicant_of(institution)
    html = Template("{% load workflow_ui %}{% workflow_diagram obj %}").render(
        Context({"request": request, "obj": application}))
    assert 'data-state="draft" aria-current="step"' in html
    assert 'stroke-width="2.6"' in html  # the applicant may submit or withdraw the draft
