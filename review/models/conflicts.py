"""Conflicts of interest (回避): found by rule, declared by the expert, or pinned by an officer."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConflictSource(models.TextChoices):
    SAME_INSTITUTION = "same_institution", _("Same institution as the applicant")
    PAST_AFFILIATION = "past_affiliation", _("Affiliated with the applicant in the last 3 years")
    TEAM_MEMBER = "team_member", _("Member of the application's team")
    EXCLUSION_REQUEST = "exclusion_request", _("The applicant asked to exclude this expert")
    DECLARED = "declared", _("Declared by the expert")
    PINNED = "pinned", _("Pinned by an officer")


AUTOMATIC_SOURCES = (ConflictSource.SAME_INSTITUTION, ConflictSource.PAST_AFFILIATION, ConflictSource.TEAM_MEMBER,
                     ConflictSource.EXCLUSION_REQUEST)


class Conflict(models.Model):
    expert = models.ForeignKey("review.Expert", on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey("poc.Application", on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField(_("source"), max_length=32, choices=ConflictSource.choices)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["application_id", "expert_id", "source"]
        constraints = [models.UniqueConstraint(fields=["expert", "application", "source"], name="one_conflict_per_source")]

    def __str__(self) -> str:
        return f"{self.expert} × {self.application}: {self.get_source_display()}"
