"""The 四个一批 pipeline's rules: roadshow, validation (a linked, pre-filled application), landing (evidence only),
shelving (a reason), each through run_transition with its audit row."""
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Application, TransitionLog
from poc.roles import SYSTEM
from poc.rules import check_transition
from poc.workflow import run_transition
from tests.factories import CallFactory, InstitutionFactory, applicant_of, officer
from tests.poc.after_approval_factories import make_center
from transfer.models import LandingEvidence, Stage
from transfer.services import results as services
from transfer.services import roadshows

from .factories import make_result, make_roadshow

pytestmark = pytest.mark.django_db


def test_no_landing_without_evidence():
    result = make_result()
    owner = result.created_by
    with translation.override("en"):
        check = check_transition(result, "land", owner)
    assert check.status == 409
    assert "Landing needs evidence" in check.reason
    with pytest.raises(NotNow):
        run_transition(result, "land", owner)
    result.refresh_from_db()
    assert result.stage == Stage.COLLECTED


def test_evidence_lands_the_result_with_an_audit_row():
    result = make_result(stage="roadshowed")
    services.record_evidence(result.created_by, result, kind="tech_contract", reference="330302X2026000123",
                             counterparty="温州某公司", amount=Decimal("2500000.00"), dated_on=date(2026, 3, 1))
    result.refresh_from_db()
    assert result.stage == Stage.LANDED
    assert result.last_transaction_on == date(2026, 3, 1)
    log = TransitionLog.objects.for_object(result).get(transition="land") if hasattr(
        TransitionLog.objects, "for_object") else TransitionLog.objects.get(object_id=result.pk, transition="land")
    assert log.source == "roadshowed" and log.target == "landed"


@pytest.mark.parametrize("kind, fields, missing", [
    ("tech_contract", {"reference": "", "amount": Decimal("10")}, "reference"),
    ("tech_contract", {"reference": "R-1", "amount": None}, "amount"),
    ("company", {"reference": "not-a-credit-code"}, "reference"),
    ("investment", {"amount": Decimal("0")}, "amount"),
])
def test_incomplete_evidence_is_refused(kind, fields, missing):
    result = make_result()
    with pytest.raises(BadInput) as exc:
        services.record_evidence(result.created_by, result, kind=kind, counterparty="X", dated_on=date(2026, 1, 1),
                                 **fields)
    assert missing in exc.value.field_errors
    assert not LandingEvidence.objects.exists()
    result.refresh_from_db()
    assert result.stage == Stage.COLLECTED


def test_shelving_needs_a_reason():
    result = make_result()
    with pytest.raises(BadInput):
        run_transition(result, "shelve", result.created_by, "  ")
    result = run_transition(result, "shelve", result.created_by, "市场前景不明")
    assert result.stage == Stage.SHELVED and result.shelved_reason == "市场前景不明"


def test_roadshow_needs_a_held_roadshow_and_holding_moves_collected_results():
    first, second = make_result(), make_result(stage="in_validation")
    officer_user = officer()
    assert check_transition(first, "roadshow", officer_user).status == 409
    roadshow = make_roadshow([first, second], created_by=officer_user)
    roadshows.hold_roadshow(officer_user, roadshow)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.stage == Stage.ROADSHOWED
    assert second.stage == Stage.IN_VALIDATION  # already past the roadshow: unchanged


def test_only_officers_roadshow():
    result = make_result()
    check = check_transition(result, "roadshow", result.created_by)
    assert check.status == 403


def test_validation_creates_a_linked_prefilled_application():
    result = make_result(stage="roadshowed", trl=4, keywords="电池, 固态")
    center = make_center()
    call = CallFactory(kind="poc_project")
    application = services.start_validation(result.created_by, result, call=call, center=center)
    result.refresh_from_db()
    assert result.stage == Stage.IN_VALIDATION
    assert result.validation_application_id == application.pk
    application = Application.objects.get(pk=application.pk)
    assert application.title == result.title
    assert application.institution_id == result.institution_id
    assert application.summary == result.public_summary
    assert application.keywords == "电池, 固态"
    assert application.project_details.trl_now == 4
    assert application.project_details.hosting_center_id == center.pk
    assert set(application.disciplines.values_list("code", flat=True)) == {"ENG.MAT"}
    assert application.ip_items.get().number == result.registration_number
    assert application.state == "draft"


def test_validation_without_an_application_is_refused():
    result = make_result()
    with translation.override("en"):
        check = check_transition(result, "start_validation", result.created_by)
    assert check.status == 409 and "application" in check.reason


def test_validation_by_another_institution_is_refused():
    result = make_result()
    stranger = applicant_of(InstitutionFactory())
    with pytest.raises(NotAllowed):
        services.start_validation(stranger, result, call=CallFactory(kind="poc_project"))
    assert not Application.objects.exists()


def test_validation_needs_a_project_call():
    result = make_result()
    with pytest.raises(BadInput):
        services.start_validation(result.created_by, result, call=CallFactory(kind="poc_center"))


def test_system_may_land_with_evidence():
    result = make_result(stage="in_validation")
    services.record_evidence(SYSTEM, result, kind="company", reference=InstitutionFactory.build().credit_code,
                             counterparty="新公司", dated_on=date(2026, 2, 2))
    result.refresh_from_db()
    assert result.stage == Stage.LANDED
