"""Use cases on 先用后转 licences: grant a trial, convert it to a paid transfer (landing), end it, remind."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.errors import BadInput, NotNow
from poc.models import InstitutionType
from poc.roles import SYSTEM
from poc.workflow import record_creation, run_transition

from ..models import OPEN_STAGES, EvidenceKind, Licence, LicenceReminder, LicenceState, Result, TransferMode
from ..notify import members_of, notify
from .common import validate
from .results import record_evidence

REMINDER_DAYS = (30, 7)


@transaction.atomic
def grant_licence(actor, result: Result, *, licensee, trial_starts_on, trial_ends_on, success_criteria: str,
                  fee_on_success) -> Licence:
    """The owner lets an enterprise use the result on trial (先用后转); it pays ``fee_on_success`` if it succeeds."""
    require(actor, "grant_licence", result)
    if TransferMode.USE_FIRST not in (result.transfer_modes or []):
        raise NotNow(_("The result does not offer “use first, pay later”."))
    if result.stage not in OPEN_STAGES:
        raise NotNow(_("A result that is “%(stage)s” cannot be licensed on trial.") % {"stage": result.get_stage_display()})
    if licensee.type != InstitutionType.ENTERPRISE or not licensee.verified:
        raise BadInput(_("The licensee must be a verified enterprise."), field_errors={"licensee": [_("Not a verified enterprise.")]})
    if trial_starts_on and trial_ends_on and trial_ends_on <= trial_starts_on:
        raise BadInput(_("The trial must end after it starts."), field_errors={"trial_ends_on": [_("Before the start.")]})
    licence = Licence(result=result, licensee=licensee, trial_starts_on=trial_starts_on, trial_ends_on=trial_ends_on,
                      success_criteria=(success_criteria or "").strip(), fee_on_success=fee_on_success,
                      created_by=actor)
    validate(licence, exclude=["state", "result", "licensee", "created_by"])
    licence.save()
    Result.objects.filter(pk=result.pk).update(last_transaction_on=trial_starts_on)
    record_creation(licence, actor)
    notify(members_of(licensee), kind="transfer_licence_granted", key=f"transfer:licence:{licence.pk}:granted",
           about=licence, link=f"/transfer/licences/{licence.pk}/",
           title=lambda: _("Trial licence for “%(result)s” until %(date)s")
           % {"result": result.title, "date": trial_ends_on.isoformat()}, body=lambda: licence.success_criteria)
    return licence


@transaction.atomic
def convert_licence(actor, licence: Licence, comment: str = "", *, contract_number: str = "", contract_amount=None,
                    registered_on=None) -> Licence:
    """The trial succeeded: a paid transfer with a registered technology contract, which lands the result."""
    licence = run_transition(licence, "convert", actor, comment, contract_number=contract_number,
                             contract_amount=contract_amount, registered_on=registered_on)
    record_evidence(SYSTEM, licence.result, kind=EvidenceKind.TECH_CONTRACT, reference=licence.contract_number,
                    counterparty=licence.licensee.name, amount=licence.contract_amount, dated_on=licence.converted_on,
                    licence=licence)
    return licence


def transition_licence(actor, licence: Licence, name: str, comment: str = "", **details) -> Licence:
    if name == "convert":
        return convert_licence(actor, licence, comment, **details)
    return run_transition(licence, name, actor, comment, **details)


def remind_trials_ending(today=None) -> int:
    """Daily: tell both sides 30 and 7 days before a trial ends. Once per licence and lead time."""
    today = today or timezone.localdate()
    sent = 0
    for days in REMINDER_DAYS:
        due = today + timedelta(days=days)
        for licence in Licence.objects.filter(state=LicenceState.TRIAL, trial_ends_on=due).select_related(
                "result__institution", "licensee"):
            with transaction.atomic():
                _reminder, created = LicenceReminder.objects.get_or_create(licence=licence, days_before=days)
                if not created:
                    continue
                users = members_of(licence.licensee) + members_of(licence.result.institution)
                notify(users, kind="transfer_trial_ending", key=f"transfer:licence:{licence.pk}:remind:{days}",
                       about=licence, link=f"/transfer/licences/{licence.pk}/",
                       title=lambda lic=licence, d=days: _("The trial of “%(result)s” ends in %(days)s days")
                       % {"result": lic.result.title, "days": d},
                       body=lambda lic=licence: _("Convert it to a paid transfer or end it by %(date)s.")
                       % {"date": lic.trial_ends_on.isoformat()})
                sent += 1
    return sent
