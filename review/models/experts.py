"""The expert pool (评审专家库)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How many reviews an expert takes on per call: the default and the bounds (the form, the API and the import read
# these through the field, or import them).
DEFAULT_MAX_LOAD = 15
MAX_LOAD_RANGE = (1, 200)


class Expert(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile")
    name = models.CharField(_("name"), max_length=100)
    institution = models.ForeignKey("poc.Institution", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="experts", verbose_name=_("institution"),
                                    help_text=_("The expert's current employer, when it is a registered institution."))
    affiliation = models.CharField(_("affiliation"), max_length=200,
                                   help_text=_("The expert's current employer, as written."))
    title = models.CharField(_("professional title"), max_length=100, blank=True)  # 职称
    disciplines = models.ManyToManyField("poc.Discipline", related_name="experts", verbose_name=_("disciplines"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Separated by commas."))
    max_load_per_call = models.PositiveSmallIntegerField(
        _("maximum reviews per call"), default=DEFAULT_MAX_LOAD,
        validators=[MinValueValidator(MAX_LOAD_RANGE[0]), MaxValueValidator(MAX_LOAD_RANGE[1])])
    active = models.BooleanField(_("active"), default=True)
    pledge_signed_on = models.DateField(_("integrity and confidentiality pledge signed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})"

    @property
    def qualified(self) -> bool:
        """Active and has signed the integrity and confidentiality pledge."""
        return self.active and self.pledge_signed_on is not None

    def keyword_set(self) -> set[str]:
        return {k.strip().lower() for k in self.keywords.replace("，", ",").split(",") if k.strip()}


def years_ago(years: int, today=None):
    """The same day ``years`` years before ``today`` (28 February for a 29th): an affiliation that ended on or
    after it is recent."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


class ExpertAffiliation(models.Model):
    """A past or present affiliation: the applicant among them in the last 3 years is a conflict."""


    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="affiliations")
    institution = models.ForeignKey("poc.Institution", on_delete=models.CASCADE, related_name="+")
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while it lasts."))

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return f"{self.expert} @ {self.institution}"

    def within_years(self, years: int, today=None) -> bool:
        return self.ended_on is None or self.ended_on >= years_ago(years, today)
