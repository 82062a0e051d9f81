"""Funds: the city's sci-tech fund (科创基金) and its sub-funds (子基金)."""
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

money = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(0)]}
percent = {"max_digits": 7, "decimal_places": 4, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


class Fund(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="sub_funds",
                               verbose_name=_("parent fund"))
    manager_organisation = models.CharField(_("manager organisation"), max_length=200)
    size = models.DecimalField(_("size (yuan)"), **money)
    cap_per_project = models.DecimalField(_("maximum per project (yuan)"), null=True, blank=True, **money)
    cap_share_per_project = models.DecimalField(_("maximum share of the fund per project (%)"), null=True,
                                                blank=True, **percent)
    cap_stake = models.DecimalField(_("maximum equity stake per investee (%)"), null=True, blank=True, **percent)
    # Entry rules for a convertible grant (先投后股), checked on the decision against the company record.
    entry_max_company_age_years = models.PositiveSmallIntegerField(
        _("entry rule: company age at most (years)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("A convertible grant goes only to a company founded at most this many years before the decision "
                    "(exactly that many years is still in). Empty: no limit."))
    entry_min_paid_in_percent = models.DecimalField(
        _("entry rule: paid-in capital at least (% of registered)"), null=True, blank=True, **percent,
        help_text=_("A convertible grant goes only to a company whose paid-in capital is at least this share of its "
                    "registered capital. Empty: no limit."))
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="fund", editable=False,
                                 help_text=_("The fund's managers: members of this group."))
    # Bumped whenever money moves in the fund (an investment, exit or valuation mark saved or deleted): the
    # portfolio figures cached under the old number are not read again (funding/figures.py).
    figures_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=models.Q(size__gte=0), name="fund_size_not_negative")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_entry_rules(self) -> bool:
        return self.entry_max_company_age_years is not None or self.entry_min_paid_in_percent is not None

    @staticmethod
    def group_name_for(name: str) -> str:
        return f"fund:{name}"


# The fund's entry rules for 先投后股, edited by its managers (and officers); every change audited.
ENTRY_RULE_FIELDS = ("entry_max_company_age_years", "entry_min_paid_in_percent")
