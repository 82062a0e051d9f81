"""Investments, tranches (分期拨付), financing rounds, conversions (先投后股) and exits."""
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from funding import rules
from poc.validators import validate_credit_code

from .decisions import FundingDecision
from .funds import Fund, money, percent

STAKE_QUANTUM = Decimal("0.0001")


def stake_percent(amount: Decimal, pre_money: Decimal) -> Decimal:
    """Equity stake in % = amount / post-money, post-money = pre-money + amount; 4 decimals, half up."""
    post = pre_money + amount
    if post <= 0:
        return Decimal("0")
    return (amount / post * 100).quantize(STAKE_QUANTUM, rounding=ROUND_HALF_UP)


def agreement_path(instance, filename):
    return f"investments/{uuid.uuid4().hex}.pdf"


class Investment(models.Model):
    """An equity investment recorded by the fund manager (投)."""

    decision = models.ForeignKey(FundingDecision, on_delete=models.PROTECT, related_name="investments")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="investments")
    investee_name = models.CharField(_("investee company"), max_length=200)
    investee_credit_code = models.CharField(_("investee unified social credit code"), max_length=18,
                                            validators=[validate_credit_code])
    amount = models.DecimalField(_("amount (yuan)"), **money)
    pre_money_valuation = models.DecimalField(_("pre-money valuation (yuan)"), **money)
    stake = models.DecimalField(_("equity stake (%)"), **percent)
    invested_on = models.DateField(_("date"))
    agreement = models.FileField(_("signed agreement"), upload_to=agreement_path, blank=True, max_length=300)
    is_conversion = models.BooleanField(_("from a converted grant"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        ordering = ["-invested_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="investment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.investee_name} {self.amount}"

    @property
    def post_money_valuation(self) -> Decimal:
        return self.pre_money_valuation + self.amount


class TranchePart(models.TextChoices):
    GRANT = "grant", _("Grant")
    EQUITY = "equity", _("Investment")


class TrancheState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RELEASED = "released", _("Released")
    PAID = "paid", _("Paid")


# Released or paid: the money that is out against the approved amount of a part.
TRANCHE_OUT_STATES = (TrancheState.RELEASED, TrancheState.PAID)


class Tranche(ConcurrentTransitionMixin, models.Model):
    """A planned payment of a decision's grant or equity part, released on a milestone or a date, then paid."""

    decision = models.ForeignKey(FundingDecision, on_delete=models.PROTECT, related_name="tranches")
    part = models.CharField(_("part"), max_length=8, choices=TranchePart.choices)
    sequence = models.PositiveSmallIntegerField(_("no."))
    amount = models.DecimalField(_("amount (yuan)"), **money)
    milestone = models.ForeignKey("poc.ProjectMilestone", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="tranches", verbose_name=_("condition: milestone"))
    release_on = models.DateField(_("condition: date"), null=True, blank=True)
    state = FSMField(_("state"), default=TrancheState.PLANNED, choices=TrancheState.choices, protected=True)
    released_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["decision_id", "part", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "part", "sequence"], name="tranche_sequence_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.part} #{self.sequence}"

    @transition(field=state, source=TrancheState.PLANNED, target=TrancheState.RELEASED,
                permission=rules.tranche_actor(_("Only bureau officers can release a grant tranche."),
                                               _("Only the fund's managers can release an equity tranche.")),
                conditions=[rules.tranche_condition_met, rules.within_approved_amount],
                custom={"label": _("Release"), "style": "primary"})
    def release(self, by=None, comment=""):
        self.released_at = timezone.now()

    @transition(field=state, source=TrancheState.RELEASED, target=TrancheState.PAID,
                permission=rules.tranche_actor(_("Only bureau officers can record a grant payment."),
                                               _("Only the fund's managers can record an equity payment.")),
                custom={"label": _("Record payment"), "style": "primary"})
    def pay(self, by=None, comment="", payment_reference="", paid_on=None):
        self.payment_reference = payment_reference
        self.paid_on = paid_on or timezone.localdate()

    @property
    def fund(self):
        return self.decision.fund

    def lock_for_transition(self):
        """Serialise the releases of one decision (see rules.within_approved_amount): lock its row first."""
        FundingDecision.objects.select_for_update().filter(pk=self.decision_id).first()


class FinancingRound(models.Model):
    """A financing round of an investee company (融资轮次)."""

    decision = models.ForeignKey(FundingDecision, on_delete=models.PROTECT, related_name="financing_rounds")
    round_name = models.CharField(_("round"), max_length=50)
    closed_on = models.DateField(_("date"))
    pre_money_valuation = models.DecimalField(_("pre-money valuation (yuan)"), **money)
    amount_raised = models.DecimalField(_("amount raised (yuan)"), **money)
    lead_investor = models.CharField(_("lead investor"), max_length=200, blank=True)
    price_per_share = models.DecimalField(_("price per share (yuan)"), max_digits=16, decimal_places=6, null=True,
                                          blank=True, validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("financing round")
        verbose_name_plural = _("financing rounds")
        ordering = ["closed_on", "id"]

    def __str__(self) -> str:
        return f"{self.round_name} {self.closed_on}"

    @property
    def post_money_valuation(self) -> Decimal:
        return self.pre_money_valuation + self.amount_raised


class ConversionState(models.TextChoices):
    OUTSTANDING = "outstanding", _("Outstanding")
    WAITING_ON_CAP = "waiting_on_cap", _("Waiting: the conversion would breach a cap")
    WAIVER_REQUESTED = "waiver_requested", _("Waiting: cap waiver awaiting the bureau")
    CONVERTED = "converted", _("Converted into equity")
    LAPSED = "lapsed", _("Closed as a grant (结项免责)")


# A qualifying round was recorded but the conversion would breach a cap of the fund: nothing converts yet.
CONVERSION_WAITING_STATES = (ConversionState.WAITING_ON_CAP, ConversionState.WAIVER_REQUESTED)


class Conversion(ConcurrentTransitionMixin, models.Model):
    """The fate of a convertible grant: converts at the first qualifying round, or closes as a grant."""

    decision = models.OneToOneField(FundingDecision, on_delete=models.PROTECT, related_name="conversion")
    state = FSMField(_("state"), default=ConversionState.OUTSTANDING, choices=ConversionState.choices,
                     protected=True)
    financing_round = models.ForeignKey(FinancingRound, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    conversion_valuation = models.DecimalField(_("conversion pre-money valuation (yuan)"), null=True, blank=True,
                                               **money)
    stake = models.DecimalField(_("stake at conversion (%)"), null=True, blank=True, **percent)
    converted_amount = models.DecimalField(_("grant converted (yuan)"), null=True, blank=True, **money)
    closed_as_grant_amount = models.DecimalField(_("rest closed as a grant (yuan)"), null=True, blank=True, **money)
    waiver_reason = models.TextField(_("reason for the cap waiver"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversion")
        verbose_name_plural = _("conversions")

    def __str__(self) -> str:
        return f"{self.decision} ({self.state})"

    @property
    def fund(self):
        return self.decision.fund

    @property
    def grant_converted(self) -> Decimal:
        """The part of the grant that became equity (the whole grant unless converted up to a cap)."""
        return self.decision.grant_amount if self.converted_amount is None else self.converted_amount

    def _converted(self, financing_round, terms, amount):
        self.financing_round = financing_round
        self.conversion_valuation = terms["conversion_valuation"]
        self.stake = terms["stake_at_conversion"]
        self.converted_amount = amount
        self.closed_as_grant_amount = self.decision.grant_amount - amount
        self.decided_at = timezone.now()

    @transition(field=state, source=ConversionState.OUTSTANDING, target=ConversionState.CONVERTED,
                permission=rules.officer_or_fund_manager(_("Only bureau officers or the fund's managers can record a "
                                                           "conversion.")),
                conditions=[rules.conversion_within_caps],
                custom={"label": _("Convert at this round"), "style": "primary", "system": True})
    def convert(self, by=None, comment="", financing_round=None, conversion_valuation=None, stake=None):
        self._converted(financing_round, {"conversion_valuation": conversion_valuation, "stake_at_conversion": stake},
                        self.decision.grant_amount)

    @transition(field=state, source=ConversionState.OUTSTANDING, target=ConversionState.WAITING_ON_CAP,
                permission=rules.officer_or_fund_manager(_("Only bureau officers or the fund's managers can record a "
                                                           "conversion.")),
                conditions=[rules.conversion_over_a_cap],
                custom={"label": _("Wait: over a cap"), "system": True})
    def hold(self, by=None, comment=""):
        """The qualifying round (already on ``financing_round``) would take the fund over a cap: wait."""

    @transition(field=state, source=ConversionState.WAITING_ON_CAP, target=ConversionState.CONVERTED,
                permission=rules.fund_manager_of_decision(_("Only the fund's managers can convert up to the cap.")),
                conditions=[rules.some_of_the_grant_fits],
                custom={"label": _("Convert up to the cap, close the rest as a grant"), "style": "primary"})
    def convert_up_to_cap(self, by=None, comment=""):
        from funding.conversion_caps import conversion_terms, largest_amount_within_caps

        amount = largest_amount_within_caps(self)
        self._converted(self.financing_round, conversion_terms(self, amount), amount)

    @transition(field=state, source=ConversionState.WAITING_ON_CAP, target=ConversionState.WAIVER_REQUESTED,
                permission=rules.fund_manager_of_decision(_("Only the fund's managers can ask for a cap waiver.")),
                custom={"label": _("Ask the bureau to waive the cap"), "comment_required": True})
    def request_waiver(self, by=None, comment=""):
        self.waiver_reason = comment

    @transition(field=state, source=ConversionState.WAIVER_REQUESTED, target=ConversionState.CONVERTED,
                permission=rules.officer_only(_("Only bureau officers can approve a cap waiver.")),
                custom={"label": _("Approve the waiver: convert in full"), "style": "primary"})
    def approve_waiver(self, by=None, comment=""):
        from funding.conversion_caps import conversion_terms

        self._converted(self.financing_round, conversion_terms(self, self.decision.grant_amount),
                        self.decision.grant_amount)

    @transition(field=state, source=ConversionState.WAIVER_REQUESTED, target=ConversionState.WAITING_ON_CAP,
                permission=rules.officer_only(_("Only bureau officers can refuse a cap waiver.")),
                custom={"label": _("Refuse the waiver"), "style": "danger", "comment_required": True})
    def refuse_waiver(self, by=None, comment=""):
        """Back to waiting: the fund's managers convert up to the cap, or close the grant."""

    @transition(field=state, source=[ConversionState.OUTSTANDING, ConversionState.WAITING_ON_CAP],
                target=ConversionState.LAPSED,
                permission=rules.officer_or_fund_manager(_("Only bureau officers or the fund's managers can close a "
                                                           "convertible grant.")),
                custom={"label": _("Close as a grant"), "style": "danger"})
    def lapse(self, by=None, comment=""):
        self.closed_as_grant_amount = self.decision.grant_amount
        self.decided_at = timezone.now()


class ExitKind(models.TextChoices):
    BUYBACK = "buyback", _("Founder buyback")
    SECONDARY = "secondary", _("Secondary sale")
    MNA = "mna", _("M&A")
    IPO = "ipo", _("IPO")
    WRITE_OFF = "write_off", _("Write-off")


class Exit(models.Model):
    investment = models.ForeignKey(Investment, on_delete=models.PROTECT, related_name="exits")
    kind = models.CharField(_("kind"), max_length=16, choices=ExitKind.choices)
    exited_on = models.DateField(_("date"))
    proceeds = models.DecimalField(_("proceeds (yuan)"), **money)
    stake_sold = models.DecimalField(_("stake sold (%)"), **percent)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        ordering = ["exited_on", "id"]

    def __str__(self) -> str:
        return f"{self.investment} {self.kind} {self.proceeds}"


class ValuationMark(models.Model):
    """The fund manager's mark of an investment's value (for unrealised value, MOIC, IRR)."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="marks")
    marked_on = models.DateField(_("date"))
    value = models.DecimalField(_("value of the holding (yuan)"), **money)
    note = models.CharField(_("basis"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("valuation mark")
        verbose_name_plural = _("valuation marks")
        ordering = ["marked_on", "id"]

    def __str__(self) -> str:
        return f"{self.investment} {self.marked_on} {self.value}"
