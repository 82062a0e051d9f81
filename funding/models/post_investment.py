"""Post-investment management (投后管理): quarterly reports, material events, risks (科技保险) and insurance."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from funding import rules

from .decisions import FundingDecision
from .funds import money


class QuarterlyReport(models.Model):
    decision = models.ForeignKey(FundingDecision, on_delete=models.CASCADE, related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    revenue = models.DecimalField(_("revenue (yuan)"), **money)
    rd_spend = models.DecimalField(_("R&D spend (yuan)"), **money)
    headcount = models.PositiveIntegerField(_("headcount"))
    follow_on_financing = models.DecimalField(_("follow-on financing (yuan)"), default=0, **money)
    milestone_progress = models.TextField(_("milestone progress"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["decision", "year", "quarter"], name="one_report_per_quarter")]

    def __str__(self) -> str:
        return f"{self.decision} {self.year}Q{self.quarter}"


class MaterialEvent(models.Model):
    decision = models.ForeignKey(FundingDecision, on_delete=models.CASCADE, related_name="material_events")
    occurred_on = models.DateField(_("date"))
    summary = models.CharField(_("event"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("material event")
        verbose_name_plural = _("material events")
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return self.summary


class RiskState(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    ASSESSED = "assessed", _("Assessed")
    WARNING = "warning", _("Warning")
    DISPOSED = "disposed", _("Disposed")


class Risk(ConcurrentTransitionMixin, models.Model):
    """A risk in the register: identified → assessed (likelihood × impact) → warning → disposed."""

    decision = models.ForeignKey(FundingDecision, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"), null=True, blank=True,
                                                  validators=[MinValueValidator(1), MaxValueValidator(5)])
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    state = FSMField(_("state"), default=RiskState.IDENTIFIED, choices=RiskState.choices, protected=True)
    disposal = models.TextField(_("disposal"), blank=True)
    identified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    identified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-identified_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def fund(self):
        return self.decision.fund

    @property
    def score(self):
        return self.likelihood * self.impact if self.likelihood and self.impact else None

    @transition(field=state, source=RiskState.IDENTIFIED, target=RiskState.ASSESSED,
                permission=rules.officer_or_fund_manager(_("Only bureau officers or the fund's managers can assess a "
                                                           "risk.")),
                custom={"label": _("Assess")})
    def assess(self, by=None, comment="", likelihood=None, impact=None):
        from poc.errors import BadInput

        try:
            likelihood, impact = int(likelihood), int(impact)
        except (TypeError, ValueError):
            raise BadInput(_("Likelihood and impact (1–5) are required.")) from None
        if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
            raise BadInput(_("Likelihood and impact are between 1 and 5."))
        self.likelihood, self.impact = likelihood, impact

    @transition(field=state, source=[RiskState.IDENTIFIED, RiskState.ASSESSED], target=RiskState.WARNING,
                permission=rules.officer_or_fund_manager(_("Only bureau officers or the fund's managers can raise a "
                                                           "warning.")),
                custom={"label": _("Raise warning"), "comment_required": True, "style": "danger"})
    def warn(self, by=None, comment=""):
        pass

    @transition(field=state, source=[RiskState.ASSESSED, RiskState.WARNING], target=RiskState.DISPOSED,
                permission=rules.officer_or_fund_manager(_("Only bureau officers or the fund's managers can dispose of "
                                                           "a risk.")),
                custom={"label": _("Dispose"), "comment_required": True})
    def dispose(self, by=None, comment=""):
        self.disposal = comment


class InsurancePolicy(models.Model):
    """科技保险: e.g. R&D-cost-loss insurance, with the premium subsidy."""

    decision = models.ForeignKey(FundingDecision, on_delete=models.CASCADE, related_name="insurance_policies")
    insurer = models.CharField(_("insurer"), max_length=200)
    product = models.CharField(_("product"), max_length=200)
    premium = models.DecimalField(_("premium (yuan)"), **money)
    subsidy = models.DecimalField(_("premium subsidy (yuan)"), default=0, **money)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")

    def __str__(self) -> str:
        return f"{self.insurer} {self.product}"

    @property
    def in_force(self) -> bool:
        return self.starts_on <= timezone.localdate() <= self.ends_on
