"""The application's editable sections: kind-specific details and the rows of the editor's tables
(IP items, team, budget, planned milestones). Each belongs to one application."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Application


class ServiceOffered(models.TextChoices):
    SECONDARY_DEVELOPMENT = "secondary_development", _("Secondary development")  # 二次开发
    PROCESS_VALIDATION = "process_validation", _("Process validation")  # 工艺验证
    PILOT_MATURATION = "pilot_maturation", _("Pilot maturation")  # 中试熟化
    TESTING = "testing", _("Testing and metrology")  # 检验检测
    MARKET_VALIDATION = "market_validation", _("Market validation")  # 市场验证
    IP_SERVICES = "ip_services", _("IP services")  # 知识产权服务
    FINANCING = "financing", _("Financing matchmaking")  # 投融资对接
    INCUBATION = "incubation", _("Incubation")  # 孵化


money = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class CenterDetails(models.Model):
    """Details of a PoC-center or pilot-base application."""


    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="center_details")
    site_area_m2 = models.DecimalField(_("site area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    equipment_value = models.DecimalField(_("equipment value (yuan)"), null=True, blank=True, **money)
    service_team_size = models.PositiveIntegerField(_("service team size"), null=True, blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    audited_spend_last_year = models.DecimalField(_("audited service spend, last year (yuan)"), null=True,
                                                  blank=True, **money)
    audited_spend_year_before = models.DecimalField(_("audited service spend, the year before (yuan)"),
                                                    null=True, blank=True, **money)
    advisory_panel = models.TextField(_("advisory panel"), blank=True,
                                      help_text=_("Members from academia, industry and investment."))
    pipeline_size = models.PositiveIntegerField(_("projects in the pipeline"), null=True, blank=True)

    class Meta:
        verbose_name = _("center details")
        verbose_name_plural = _("center details")

    def __str__(self) -> str:
        return f"{self.application}"

    def service_labels(self) -> list[str]:
        labels = dict(ServiceOffered.choices)
        return [str(labels.get(s, s)) for s in self.services]


class ProjectDetails(models.Model):
    """Details of a PoC- or pilot-project application."""


    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="project_details")
    trl_now = models.PositiveSmallIntegerField(_("TRL now"), null=True, blank=True,
                                               validators=[MinValueValidator(1), MaxValueValidator(9)])
    trl_target = models.PositiveSmallIntegerField(_("target TRL"), null=True, blank=True,
                                                  validators=[MinValueValidator(1), MaxValueValidator(9)])
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True,
                                                       validators=[MinValueValidator(1), MaxValueValidator(24)])
    requested_grant = models.DecimalField(_("requested grant (yuan)"), default=0, **money)
    requested_investment = models.DecimalField(_("requested investment (yuan)"), default=0, **money)
    self_funded = models.DecimalField(_("self-funded amount (yuan)"), default=0, **money)
    market_analysis = models.TextField(_("market analysis"), blank=True)
    hosting_center = models.ForeignKey("poc.Center", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="hosted_applications", verbose_name=_("hosting center"))

    class Meta:
        verbose_name = _("project details")
        verbose_name_plural = _("project details")
        constraints = [
            models.CheckConstraint(condition=models.Q(trl_now__gte=1, trl_now__lte=9) | models.Q(trl_now__isnull=True),
                                   name="trl_now_1_to_9"),
            models.CheckConstraint(
                condition=models.Q(trl_target__gte=1, trl_target__lte=9) | models.Q(trl_target__isnull=True),
                name="trl_target_1_to_9"),
            models.CheckConstraint(
                condition=models.Q(duration_months__gte=1, duration_months__lte=24) | models.Q(duration_months__isnull=True),
                name="duration_at_most_24_months"),
            models.CheckConstraint(
                condition=models.Q(requested_grant__gte=0, requested_investment__gte=0, self_funded__gte=0),
                name="project_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.application}"

    @property
    def total_budget(self):
        return self.requested_grant + self.requested_investment + self.self_funded

    @property
    def self_funded_share(self):
        total = self.total_budget
        return (self.self_funded / total * 100).quantize(self.self_funded.__class__("0.1")) if total else None


class IPItem(models.Model):
    class IPType(models.TextChoices):
        INVENTION_PATENT = "invention_patent", _("Invention patent")
        UTILITY_MODEL = "utility_model", _("Utility model")
        DESIGN = "design", _("Design patent")
        SOFTWARE = "software", _("Software copyright")
        IC_LAYOUT = "ic_layout", _("IC layout design")
        PLANT_VARIETY = "plant_variety", _("New plant variety")
        OTHER = "other", _("Other")

    class IPStatus(models.TextChoices):
        FILED = "filed", pgettext_lazy("IP status", "Filed")
        GRANTED = "granted", _("Granted")
        LICENSED = "licensed", _("Licensed in")
        TRANSFERRED = "transferred", _("Transferred in")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="ip_items")
    number = models.CharField(_("number"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    ip_type = models.CharField(_("type"), max_length=32, choices=IPType.choices)
    owner = models.CharField(_("owner"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=IPStatus.choices)

    class Meta:
        verbose_name = _("IP item")
        verbose_name_plural = _("IP items")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TeamMember(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team_members")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role in the project"), max_length=100)
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    is_lead = models.BooleanField(_("project lead"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["-is_lead", "id"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    class Source(models.TextChoices):
        GRANT = "grant", _("Grant")
        INVESTMENT = "investment", _("Investment")
        SELF = "self", _("Self-funded")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=100)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    amount = models.DecimalField(_("amount (yuan)"), **money)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_not_negative")]

    def __str__(self) -> str:
        return f"{self.category} {self.amount}"


class PlannedMilestone(models.Model):
    """A milestone of the plan, due in month N after the task agreement is signed."""


    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="milestones")
    month = models.PositiveSmallIntegerField(_("due in month"), validators=[MinValueValidator(1), MaxValueValidator(24)])
    title = models.CharField(_("milestone"), max_length=200)
    deliverables = models.TextField(_("deliverables"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["month", "id"]

    def __str__(self) -> str:
        return f"M{self.month} {self.title}"
