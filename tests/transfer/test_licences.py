"""先用后转 licences: granting, the end-of-trial paths (convert = landing + technology contract; end = rights
returned, only once the trial is over) and the reminders before the end."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Notification
from poc.rules import check_transition
from tests.factories import InstitutionFactory, applicant_of, officer
from transfer.models import Licence, LicenceReminder, Result
from transfer.services import licences as services

from .factories import enterprise, enterprise_user, make_licence, make_result

pytestmark = pytest.mark.django_db


def grant(result, licensee, **kw):
    today = timezone.localdate()
    fields = dict(licensee=licensee, trial_starts_on=today, trial_ends_on=today + timedelta(days=90),
                  success_criteria="良品率 ≥ 95%", fee_on_success=Decimal("500000.00"))
    fields.update(kw)
    return services.grant_licence(result.created_by, result, **fields)


def test_grant_needs_the_mode_a_verified_enterprise_and_an_ordered_trial():
    result = make_result(transfer_modes=["licence"])
    with pytest.raises(NotNow):
        grant(result, enterprise())
    result = make_result(transfer_modes=["use_first"])
    with pytest.raises(BadInput):
        grant(result, enterprise(verified=False))
    with pytest.raises(BadInput):
        grant(result, InstitutionFactory())  # a university is no licensee
    with pytest.raises(BadInput):
        grant(result, enterprise(), trial_ends_on=timezone.localdate())
    with pytest.raises(NotAllowed):
        services.grant_licence(applicant_of(InstitutionFactory()), result, licensee=enterprise(),
                               trial_starts_on=timezone.localdate(),
                               trial_ends_on=timezone.localdate() + timedelta(days=9), success_criteria="x",
                               fee_on_success=Decimal("1"))
    licensee = enterprise()
    user = enterprise_user(licensee)
    licence = grant(result, licensee)
    assert licence.state == "trial"
    result.refresh_from_db()
    assert result.last_transaction_on == timezone.localdate()  # no longer dormant
    assert Notification.objects.filter(recipient=user, kind="transfer_licence_granted").exists()


def test_conversion_lands_the_result_on_a_registered_contract():
    licence = make_licence()
    services.convert_licence(licence.result.created_by, licence, "达标", contract_number="330302X2026000555",
                             contract_amount=Decimal("800000.00"))
    licence.refresh_from_db()
    result = Result.objects.get(pk=licence.result_id)
    assert licence.state == "converted" and licence.converted_on == timezone.localdate()
    assert result.stage == "landed"
    evidence = result.evidence.get()
    assert (evidence.kind, evidence.reference, evidence.amount, evidence.licence_id) == (
        "tech_contract", "330302X2026000555", Decimal("800000.00"), licence.pk)


def test_conversion_without_a_contract_changes_nothing():
    licence = make_licence()
    with pytest.raises(BadInput) as exc:
        services.convert_licence(licence.result.created_by, licence, contract_number=" ", contract_amount=None)
    assert set(exc.value.field_errors) == {"contract_number", "contract_amount"}
    licence.refresh_from_db()
    assert licence.state == "trial" and not licence.result.evidence.exists()


def test_conversion_of_an_already_landed_result_keeps_it_landed():
    licence = make_licence(make_result(stage="landed"))
    services.convert_licence(officer(), licence, contract_number="C-1", contract_amount=Decimal("1.00"))
    assert Result.objects.get(pk=licence.result_id).stage == "landed"


def test_ending_waits_for_the_end_of_the_trial_and_needs_a_reason():
    licence = make_licence(ends_in_days=10)
    user = enterprise_user(licence.licensee)
    check = check_transition(licence, "end", user)
    assert check.status == 409 and licence.trial_ends_on.isoformat() in check.reason
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        with pytest.raises(BadInput):
            services.transition_licence(user, licence, "end", "")
        licence = services.transition_licence(user, licence, "end", "未达到良品率")
    assert licence.state == "ended" and licence.ended_on is not None
    result = Result.objects.get(pk=licence.result_id)
    assert result.stage == "collected" and not result.evidence.exists()  # the rights return; nothing landed


def test_who_may_convert_or_end():
    licence = make_licence(ends_in_days=-1)
    licensee_user = enterprise_user(licence.licensee)
    assert check_transition(licence, "convert", licensee_user).status == 403
    assert check_transition(licence, "end", licensee_user).allowed
    assert check_transition(licence, "end", enterprise_user()).status == 403
    assert check_transition(licence, "convert", licence.result.created_by).allowed
    assert check_transition(licence, "convert", applicant_of(InstitutionFactory())).status == 403


def test_reminders_go_30_and_7_days_before_the_end_once_each():
    licence = make_licence(ends_in_days=30)
    owner = licence.result.created_by
    user = enterprise_user(licence.licensee)
    assert services.remind_trials_ending() == 1
    assert services.remind_trials_ending() == 0  # idempotent
    assert Notification.objects.filter(kind="transfer_trial_ending", recipient__in=[owner, user]).count() == 2
    with time_machine.travel(timezone.now() + timedelta(days=23)):
        assert services.remind_trials_ending() == 1
    assert sorted(LicenceReminder.objects.values_list("days_before", flat=True)) == [7, 30]
    Licence.objects.filter(pk=licence.pk).update(state="converted")
    with time_machine.travel(timezone.now() + timedelta(days=23)):
        assert services.remind_trials_ending() == 0
