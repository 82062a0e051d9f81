"""The district's opinion on an application (区县推荐意见), written by the ``recommend`` and
``decline_recommendation`` steps of :class:`poc.applications.models.Application`."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DistrictRecommendation(models.Model):
    """The opinion of the science bureau of the applicant's district (区县推荐意见): recommended, or declined with
    the reason. Written by the ``recommend`` and ``decline_recommendation`` steps; the audit row says who and when
    too. A resubmitted application is recommended again, so one application may have several, latest last."""

    class Outcome(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended")
        DECLINED = "declined", _("Not recommended")

    application = models.ForeignKey("poc.Application", on_delete=models.CASCADE, related_name="district_recommendations")
    district = models.CharField(_("district"), max_length=100)
    bureau = models.CharField(_("science bureau"), max_length=100)
    outcome = models.CharField(_("conclusion"), max_length=16, choices=Outcome.choices)
    opinion = models.TextField(_("opinion"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("district recommendation")
        verbose_name_plural = _("district recommendations")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} / {self.bureau}: {self.get_outcome_display()}"

    @property
    def recommended(self) -> bool:
        return self.outcome == self.Outcome.RECOMMENDED


def record_district_opinion(application, outcome: str, by, comment: str) -> DistrictRecommendation:
    """The opinion of the science bureau of the application's district, signed with the bureau's name."""
    from poc.institutions.models import District

    district = application.institution.district
    known = District.objects.filter(name=district).first()
    return DistrictRecommendation.objects.create(
        application=application, district=district, bureau=known.bureau_name if known else f"{district}科技局",
        outcome=outcome, opinion=comment, decided_by=by)
