"""投拨结合 funding decisions: a grant part (拨) and an equity part (投) decided together, with dual approval."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from funding import rules

from .funds import Fund, money, percent


class Instrument(models.TextChoices):
    GRANT = "grant", _("Grant only")  # 拨
    EQUITY = "equity", _("Equity only")  # 投
    GRANT_EQUITY = "grant_equity", _("Grant + equity (投拨结合)")
    CONVERTIBLE = "convertible", _("Convertible grant (拨投结合 / 先投后股)")


class DecisionState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExitMethod(models.TextChoices):
    BUYBACK = "buyback", _("Founder buyback at principal plus simple interest")
    SALE = "sale", _("Sale (later round, M&A or IPO)")


class FundingDecision(ConcurrentTransitionMixin, models.Model):
    application = models.OneToOneField("poc.Application", on_delete=models.PROTECT, related_name="funding_decision")
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    grant_amount = models.DecimalField(_("grant (yuan)"), default=Decimal("0"), **money)
    grant_programme = models.CharField(_("grant programme"), max_length=200, blank=True)
    equity_amount = models.DecimalField(_("investment (yuan)"), default=Decimal("0"), **money)
    fund = models.ForeignKey(Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions",
                             verbose_name=_("fund"))
    pre_money_valuation = models.DecimalField(_("expected pre-money valuation (yuan)"), null=True, blank=True,
                                              **money)
    # Convertible grant (拨投结合 / 先投后股) terms, fixed at the start.
    qualifying_round_minimum = models.DecimalField(_("qualifying round: minimum raised (yuan)"), null=True,
                                                   blank=True, **money)
    conversion_discount = models.DecimalField(_("conversion discount (%)"), null=True, blank=True, **percent)
    valuation_cap = models.DecimalField(_("valuation cap (yuan)"), null=True, blank=True, **money)
    conversion_deadline = models.DateField(_("convert by"), null=True, blank=True,
                                           help_text=_("With no qualifying round by then, the grant closes as a grant "
                                                       "(结项免责)."))
    exit_method = models.CharField(_("exit"), max_length=16, choices=ExitMethod.choices, blank=True)
    buyback_rate = models.DecimalField(_("buyback simple annual interest (%)"), null=True, blank=True,
                                       max_digits=7, decimal_places=4,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])
    rationale = models.TextField(_("rationale"), blank=True)
    state = FSMField(_("state"), default=DecisionState.PROPOSED, choices=DecisionState.choices, protected=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    grant_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    grant_approved_at = models.DateTimeField(null=True, blank=True)
    equity_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    equity_approved_at = models.DateTimeField(null=True, blank=True)
    rejected_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("funding decision")
        verbose_name_plural = _("funding decisions")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(grant_amount__gte=0, equity_amount__gte=0),
                                   name="decision_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_instrument_display()}"

    @property
    def has_grant_part(self) -> bool:
        """The grant part: a grant, or a convertible grant (approved by the bureau)."""
        return self.instrument in (Instrument.GRANT, Instrument.GRANT_EQUITY, Instrument.CONVERTIBLE)

    @property
    def has_equity_part(self) -> bool:
        """The equity part: an investment, or the fund's side of a convertible grant (approved by its manager)."""
        return self.instrument in (Instrument.EQUITY, Instrument.GRANT_EQUITY, Instrument.CONVERTIBLE)

    def _all_parts_approved(self) -> bool:
        return ((not self.has_grant_part or self.grant_approved_at is not None)
                and (not self.has_equity_part or self.equity_approved_at is not None))

    def _next_state(self):
        return DecisionState.APPROVED if self._all_parts_approved() else DecisionState.PROPOSED

    @transition(
        field=state, source=DecisionState.PROPOSED,
        target=RETURN_VALUE(DecisionState.PROPOSED, DecisionState.APPROVED),
        permission=rules.officer_only(_("Only bureau officers can approve the grant part.")),
        conditions=[rules.has_grant_part, rules.within_caps, rules.within_grant_ceiling, rules.meets_entry_rules],
        custom={"label": _("Approve grant part"), "style": "primary"},
    )
    def approve_grant(self, by=None, comment=""):
        self.grant_approved_by, self.grant_approved_at = by, timezone.now()
        return self._next_state()

    @transition(
        field=state, source=DecisionState.PROPOSED,
        target=RETURN_VALUE(DecisionState.PROPOSED, DecisionState.APPROVED),
        permission=rules.fund_manager_of_decision(_("Only a manager of this decision's fund can approve the equity "
                                                    "part.")),
        conditions=[rules.has_equity_part, rules.within_caps, rules.within_grant_ceiling, rules.meets_entry_rules],
        custom={"label": _("Approve equity part"), "style": "primary"},
    )
    def approve_equity(self, by=None, comment=""):
        self.equity_approved_by, self.equity_approved_at = by, timezone.now()
        return self._next_state()

    @transition(
        field=state, source=DecisionState.PROPOSED, target=DecisionState.REJECTED,
        permission=rules.officer_or_fund_manager(_("Only bureau officers or a manager of this decision's fund can "
                                                   "reject it.")),
        custom={"label": _("Reject"), "comment_required": True, "style": "danger"},
    )
    def reject(self, by=None, comment=""):
        self.rejected_reason = comment

    @transition(
        field=state, source=DecisionState.REJECTED, target=DecisionState.PROPOSED,
        permission=rules.officer_only(_("Only bureau officers can propose a rejected decision again.")),
        conditions=[rules.within_caps, rules.within_grant_ceiling, rules.meets_entry_rules],
        custom={"label": _("Propose again"), "comment_required": True},
    )
    def propose_again(self, by=None, comment=""):
        """A rejected decision is proposed again with revised terms (the rejection stays in the audit trail);
        every approval starts over."""
        self.grant_approved_by = self.grant_approved_at = None
        self.equity_approved_by = self.equity_approved_at = None
        self.rejected_reason = ""
