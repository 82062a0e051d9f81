"""Assignments of experts to applications, with their own small workflow."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from poc.access import officer
from review import assignment_rules as rules
from review.relations import assigned_expert


class AssignmentState(models.TextChoices):
    ACTIVE = "active", _("Active")
    VOIDED = "voided", _("Voided")


class AssignmentMethod(models.TextChoices):
    MANUAL = "manual", _("Chosen by an officer")
    OPTIMAL = "optimal", _("Automatic (optimal)")
    DRAW = "draw", _("Random draw")


class Assignment(ConcurrentTransitionMixin, models.Model):
    application = models.ForeignKey("poc.Application", on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey("review.Expert", on_delete=models.PROTECT, related_name="assignments")
    state = FSMField(_("state"), default=AssignmentState.ACTIVE, choices=AssignmentState.choices, protected=True)
    method = models.CharField(_("method"), max_length=16, choices=AssignmentMethod.choices)
    draw_seed = models.BigIntegerField(_("draw seed"), null=True, blank=True)
    affinity = models.DecimalField(_("affinity"), max_digits=7, decimal_places=6, null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_reason = models.TextField(_("reason voided"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], condition=models.Q(state=AssignmentState.ACTIVE),
                                    name="one_active_assignment_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.expert}"

    @transition(
        field=state, source=AssignmentState.ACTIVE, target=AssignmentState.VOIDED,
        permission=officer.refusing(_("Only bureau officers can unassign an expert.")),
        conditions=[rules.review_not_submitted],
        custom={"label": _("Unassign"), "comment_required": True, "style": "danger"},
    )
    def unassign(self, by=None, comment=""):
        self.voided_at = timezone.now()
        self.voided_reason = comment

    @transition(
        field=state, source=AssignmentState.ACTIVE, target=AssignmentState.VOIDED,
        permission=assigned_expert(refusal=_("Only the assigned expert can declare a conflict of interest.")),
        conditions=[rules.review_not_submitted],
        custom={"label": _("Declare a conflict of interest"), "comment_required": True, "style": "danger"},
    )
    def declare_conflict(self, by=None, comment=""):
        from .conflicts import Conflict, ConflictSource

        self.voided_at = timezone.now()
        self.voided_reason = comment
        Conflict.objects.get_or_create(
            expert=self.expert, application=self.application, source=ConflictSource.DECLARED,
            defaults={"reason": comment, "recorded_by": by},
        )

    @transition(
        field=state, source=AssignmentState.ACTIVE, target=AssignmentState.VOIDED,
        permission=officer.refusing(_("Only bureau officers (or the system) can void an assignment for a conflict "
                                      "found by rule.")),
        custom={"label": _("Void: a conflict of interest found by rule"), "comment_required": True,
                "style": "danger", "system": True},
    )
    def void_for_conflict(self, by=None, comment=""):
        """A rule finds a conflict after the assignment was made (the expert's affiliations or the application's
        team changed): the assignment is void, like a declared one (review.rechecks)."""
        self.voided_at = timezone.now()
        self.voided_reason = comment
