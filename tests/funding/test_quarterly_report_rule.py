"""One rule for quarterly reports, asked by the service, the API and the pages: a report is filed on an
approved funding decision only (a proposed or rejected one has nothing to report on yet)."""
import pytest
from django.urls import reverse

from funding import monitoring_services
from funding.models import DecisionState, FundingDecision, QuarterlyReport
from poc.errors import NotNow
from poc.models import TransitionLog
from tests.factories import InstitutionFactory, applicant_of, officer
from tests.funding.api_support import api_client, url
from tests.funding.factories import (
    DecisionFactory,
    FundFactory,
    approve,
    english_and_fast,  # noqa: F401 (a fixture)
    manager_of,
    project_application,
)
from tests.poc.pages_support import browser, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

REPORT = {"year": 2026, "quarter": 2, "revenue": "1200000.00", "rd_spend": "800000.00", "headcount": 23,
          "milestone_progress": "Pilot line running."}
FORM_ACTION = "funding:report-add"


class Scene:
    def __init__(self, state):
        self.fund = FundFactory()
        self.manager = manager_of(self.fund)
        self.institution = InstitutionFactory()
        self.applicant = applicant_of(self.institution)
        self.officer = officer()
        self.decision = DecisionFactory(application=project_application(self.institution), fund=self.fund)
        if state == DecisionState.APPROVED:
            self.decision = approve(self.decision)
        elif state == DecisionState.REJECTED:
            FundingDecision.objects.filter(pk=self.decision.pk).update(state=DecisionState.REJECTED)
            self.decision = FundingDecision.objects.get(pk=self.decision.pk)


@pytest.mark.parametrize("state", [DecisionState.PROPOSED, DecisionState.REJECTED])
def test_the_service_refuses_a_report_on_a_decision_that_is_not_approved(state):
    scene = Scene(state)
    logs = TransitionLog.objects.count()
    with pytest.raises(NotNow) as refused:
        monitoring_services.file_quarterly_report(scene.applicant, scene.decision, **REPORT)
    assert str(refused.value) == (f"A quarterly report is filed on an approved funding decision; this one is "
                                  f"“{scene.decision.get_state_display()}”.")
    assert not QuarterlyReport.objects.exists()
    assert TransitionLog.objects.count() == logs


def test_the_service_still_files_a_report_on_an_approved_decision():
    scene = Scene(DecisionState.APPROVED)
    report = monitoring_services.file_quarterly_report(scene.applicant, scene.decision, **REPORT)
    assert report.decision == scene.decision


def test_who_may_not_report_is_refused_before_when():
    """403 before 409: a stranger learns nothing about the decision's state."""
    from poc.errors import NotAllowed

    scene = Scene(DecisionState.PROPOSED)
    with pytest.raises(NotAllowed):
        monitoring_services.file_quarterly_report(scene.officer, scene.decision, **REPORT)


@pytest.mark.parametrize("language, reason", [
    ("en", "A quarterly report is filed on an approved funding decision; this one is “Proposed”."),
    ("zh-hans", "季度报告仅针对已批准的资金支持决策报送；该决策当前为“已提议”。"),
])
def test_the_api_answers_409_with_the_reason(language, reason):
    scene = Scene(DecisionState.PROPOSED)
    response = api_client(scene.applicant, language=language).post(
        url("reports"), {"decision": scene.decision.pk, **REPORT}, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["detail"] == reason
    assert not QuarterlyReport.objects.exists()


def _form_shown(scene, user) -> bool:
    """The investee files from the decision page, the fund's managers from the monitoring page."""
    page = "funding:decision" if user == scene.applicant else "funding:monitoring"
    body = browser(user).get(reverse(page, args=[scene.decision.pk])).content.decode()
    return reverse(FORM_ACTION, args=[scene.decision.pk]) in body


def _service_accepts(scene, user) -> bool:
    try:
        monitoring_services.file_quarterly_report(user, scene.decision, **REPORT)
    except Exception:  # noqa: BLE001 (any refusal)
        return False
    QuarterlyReport.objects.all().delete()
    return True


@pytest.mark.parametrize("state", [DecisionState.PROPOSED, DecisionState.APPROVED, DecisionState.REJECTED])
@pytest.mark.parametrize("who", ["applicant", "manager"])
def test_the_page_shows_the_form_exactly_when_the_service_accepts(state, who):
    scene = Scene(state)
    user = getattr(scene, who)
    assert _form_shown(scene, user) == _service_accepts(scene, user) == (state == DecisionState.APPROVED)
    assert monitoring_services.may_file_quarterly_report(user, scene.decision) == (state == DecisionState.APPROVED)


def test_the_decision_page_hides_the_form_from_the_investee_of_a_proposed_decision():
    scene = Scene(DecisionState.PROPOSED)
    body = text(browser(scene.applicant).get(reverse("funding:decision", args=[scene.decision.pk])))
    assert "File a quarterly report" not in body
