"""What an approved application becomes: a designated center or a funded project.

Their own lifecycles (annual evaluation, milestones, acceptance) are built on these models.
"""
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from .applications import Application
from .calls import ApplicationKind
from .institutions import Institution

CENTER_VALIDITY_YEARS = 3


class CenterState(models.TextChoices):
    ACTIVE = "active", _("Active")
    RECTIFYING = "rectifying", _("Rectifying")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Center(ConcurrentTransitionMixin, models.Model):
    """A designated PoC center (概念验证中心) or pilot base (中试基地)."""

    class CenterType(models.TextChoices):
        POC_CENTER = ApplicationKind.POC_CENTER.value, ApplicationKind.POC_CENTER.label
        PILOT_BASE = ApplicationKind.PILOT_BASE.value, ApplicationKind.PILOT_BASE.label

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="centers")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="center")
    center_type = models.CharField(_("type"), max_length=32, choices=CenterType.choices)
    name = models.CharField(_("name"), max_length=200)
    designation_number = models.CharField(_("designation number"), max_length=32, unique=True)
    designated_on = models.DateField(_("designated on"))
    valid_until = models.DateField(_("valid until"))
    services = models.JSONField(_("services offered"), default=list, blank=True)
    state = FSMField(_("state"), default=CenterState.ACTIVE, choices=CenterState.choices, protected=True)

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["-designated_on", "designation_number"]

    def __str__(self) -> str:
        return f"{self.designation_number} {self.name}"


class ProjectState(models.TextChoices):
    CONTRACTING = "contracting", _("Contracting")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTANCE = "acceptance", _("Acceptance")
    RECTIFYING = "rectifying", _("Rectifying")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    TERMINATED = "terminated", _("Terminated")


class Project(ConcurrentTransitionMixin, models.Model):
    """A funded PoC or pilot project (立项项目)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="projects")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="project")
    kind = models.CharField(_("kind"), max_length=32, choices=ApplicationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    project_number = models.CharField(_("project number"), max_length=32, unique=True)
    approved_on = models.DateField(_("approved on"))
    state = FSMField(_("state"), default=ProjectState.CONTRACTING, choices=ProjectState.choices, protected=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-approved_on", "project_number"]

    def __str__(self) -> str:
        return f"{self.project_number} {self.title}"


_PREFIX = {
    ApplicationKind.POC_CENTER: "WZ-POC",
    ApplicationKind.PILOT_BASE: "WZ-PILOT",
    ApplicationKind.POC_PROJECT: "WZ-PP",
    ApplicationKind.PILOT_PROJECT: "WZ-PM",
}


def _next_number(model, field: str, prefix: str) -> str:
    existing = model.objects.filter(**{f"{field}__startswith": prefix + "-"}).values_list(field, flat=True)
    used = [int(n.rsplit("-", 1)[1]) for n in existing if n.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}-{max(used, default=0) + 1:03d}"


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def create_outcome(application: Application):
    """Create the Center or the Project an approved application becomes."""
    today = timezone.localdate()
    prefix = f"{_PREFIX[application.kind]}-{today.year}"
    if application.is_center:
        details = getattr(application, "center_details", None)
        return Center.objects.create(
            institution=application.institution,
            application=application,
            center_type=application.kind,
            name=application.title,
            designation_number=_next_number(Center, "designation_number", prefix),
            designated_on=today,
            valid_until=_add_years(today, CENTER_VALIDITY_YEARS) - timedelta(days=1),
            services=list(details.services) if details else [],
        )
    return Project.objects.create(
        institution=application.institution,
        application=application,
        kind=application.kind,
        title=application.title,
        project_number=_next_number(Project, "project_number", prefix),
        approved_on=today,
    )
