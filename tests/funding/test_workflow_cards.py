"""Each workflow's detail page carries its diagram: the current state marked, the viewer's own steps named.

The application, the center, the project and the funding decision each show a "Workflow" card, in the
viewer's language, drawn from the same declarations as the help page (poc/diagrams.py)."""
import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import InstitutionFactory, applicant_of, make_application, officer
from tests.funding.factories import DecisionFactory, english_and_fast  # noqa: F401 (a fixture)
from tests.poc.after_approval_factories import make_center, make_project

pytestmark = pytest.mark.django_db


def page(user, url, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def marked_state(html):
    """The state the diagram marks as current (exactly one)."""
    assert html.count('aria-current="step"') == 1
    return html.split('aria-current="step"')[0].rsplit('data-state="', 1)[1].split('"')[0]


def test_the_applicant_sees_its_draft_and_the_step_it_may_take():
    institution = InstitutionFactory(verified=True)
    application = make_application(institution=institution)
    html = page(applicant_of(institution), reverse("application-detail", args=[application.pk]))
    assert 'class="card workflow"' in html
    assert marked_state(html) == "draft"
    assert "Steps you can take now are drawn in bold:" in html and "Submit" in html


def test_the_officer_reads_the_card_in_chinese_without_a_step_on_a_draft():
    institution = InstitutionFactory(verified=True)
    application = make_application(institution=institution)
    html = page(officer(), reverse("application-detail", args=[application.pk]), language="zh-hans")
    assert "工作流程" in html and marked_state(html) == "draft"
    assert "Steps you can take now" not in html


@pytest.mark.parametrize("kind", ["center", "project"])
def test_centers_and_projects_show_their_own_workflow(kind):
    institution = InstitutionFactory(verified=True)
    if kind == "center":
        subject, url = make_center(institution=institution), "center-detail"
        expected = "active"
    else:
        subject, url = make_project(institution=institution), "project-detail"
        expected = "contracting"
    html = page(officer(), reverse(url, args=[subject.pk]))
    assert 'class="card workflow"' in html and marked_state(html) == expected
    assert f'#poc-{kind}"' in html  # the link to this workflow on the help page


def test_the_funding_decision_shows_its_dual_approval_workflow():
    decision = DecisionFactory()
    html = page(officer(), reverse("funding:decision", args=[decision.pk]))
    assert marked_state(html) == str(decision.state)
    assert '#funding-fundingdecision"' in html
