"""先用后转 licences: an enterprise uses a result on trial and pays for the transfer only if it succeeds.

trial ──convert──▶ converted (a paid transfer: it records the registered technology contract, which is the
result's landing evidence) | ──end──▶ ended (the trial is over, the rights return to the owner; a reason is
required). Reminders go to both sides before the trial ends (:mod:`transfer.tasks`).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from poc.access import member_of, officer

from .. import rules
from ..relations import enterprise_of
from .results import money


class LicenceState(models.TextChoices):
    TRIAL = "trial", _("On trial")
    CONVERTED = "converted", _("Converted to a paid transfer")
    ENDED = "ended", _("Ended, rights returned")


result_owner = member_of("result__institution")
licensee_enterprise = enterprise_of("licensee")


class Licence(ConcurrentTransitionMixin, models.Model):
    result = models.ForeignKey("transfer.Result", on_delete=models.PROTECT, related_name="licences")
    licensee = models.ForeignKey("poc.Institution", on_delete=models.PROTECT, related_name="trial_licences",
                                 verbose_name=_("licensee"))
    trial_starts_on = models.DateField(_("trial starts on"))
    trial_ends_on = models.DateField(_("trial ends on"))
    success_criteria = models.TextField(_("success criteria"))
    fee_on_success = models.DecimalField(_("fee on success (yuan)"), **money)
    state = FSMField(_("state"), default=LicenceState.TRIAL, choices=LicenceState.choices, protected=True)
    contract_number = models.CharField(_("technology contract registration number"), max_length=64, blank=True)
    contract_amount = models.DecimalField(_("contract amount (yuan)"), null=True, blank=True, **money)
    converted_on = models.DateField(_("converted on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("use-first licence")
        verbose_name_plural = _("use-first licences")
        ordering = ["-trial_ends_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(trial_ends_on__gt=models.F("trial_starts_on")),
                                   name="licence_trial_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.result} → {self.licensee}"

    @transition(
        field=state, source=LicenceState.TRIAL, target=LicenceState.CONVERTED,
        permission=(officer | result_owner).refusing(
            _("Only the result's owner or an officer can record the conversion.")),
        custom={"label": _("Convert to a paid transfer"), "style": "primary"},
    )
    def convert(self, by=None, comment="", contract_number="", contract_amount=None, registered_on=None):
        from django.utils import timezone

        from poc.errors import BadInput

        errors = {}
        if not (contract_number or "").strip():
            errors["contract_number"] = [_("The registered technology contract's number is required.")]
        if contract_amount is None or contract_amount <= 0:
            errors["contract_amount"] = [_("The contract amount must be above zero.")]
        if errors:
            raise BadInput(_("A conversion is evidenced by its registered technology contract."), field_errors=errors)
        self.contract_number = contract_number.strip()
        self.contract_amount = contract_amount
        self.converted_on = registered_on or timezone.localdate()

    @transition(
        field=state, source=LicenceState.TRIAL, target=LicenceState.ENDED,
        permission=(officer | result_owner | licensee_enterprise).refusing(
            _("Only the owner, the licensee or an officer can end the trial.")),
        conditions=[rules.trial_over],
        custom={"label": _("End, rights returned"), "comment_required": True, "style": "danger"},
    )
    def end(self, by=None, comment=""):
        from django.utils import timezone

        self.ended_on = timezone.localdate()


class LicenceReminder(models.Model):
    """A reminder sent before a trial ends (one per licence and lead time: the job is idempotent)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["licence", "days_before"], name="one_reminder_per_lead_time")]

    def __str__(self) -> str:
        return f"{self.licence} −{self.days_before}d"
