"""Roadshows ("温州好成果" 路演): events where a batch of results is presented to enterprises and investors.

planned ──hold──▶ held (the presented results that were only collected become road-showed) | ──cancel──▶ cancelled.
Enterprises and investors register; after the event they score each presented result (1–5).
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from poc.access import officer

from .. import rules


class RoadshowState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Roadshow(ConcurrentTransitionMixin, models.Model):
    theme = models.CharField(_("theme"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    state = FSMField(_("state"), default=RoadshowState.PLANNED, choices=RoadshowState.choices, protected=True)
    results = models.ManyToManyField("transfer.Result", through="RoadshowPresentation", related_name="roadshows",
                                     verbose_name=_("results presented"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("roadshow")
        verbose_name_plural = _("roadshows")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.theme

    @transition(
        field=state, source=RoadshowState.PLANNED, target=RoadshowState.HELD,
        permission=officer.refusing(_("Only bureau officers run roadshows.")),
        conditions=[rules.has_presentations],
        custom={"label": _("Mark as held"), "style": "primary"},
    )
    def hold(self, by=None, comment=""):
        pass

    @transition(
        field=state, source=RoadshowState.PLANNED, target=RoadshowState.CANCELLED,
        permission=officer.refusing(_("Only bureau officers run roadshows.")),
        custom={"label": _("Cancel"), "comment_required": True, "style": "danger"},
    )
    def cancel(self, by=None, comment=""):
        pass


class RoadshowPresentation(models.Model):
    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="presentations")
    result = models.ForeignKey("transfer.Result", on_delete=models.PROTECT, related_name="presentations")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["roadshow", "result"], name="present_a_result_once")]

    def __str__(self) -> str:
        return f"{self.roadshow}: {self.result}"


class Participant(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INVESTOR = "investor", _("Investor")


class RoadshowRegistration(models.Model):
    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    participant = models.CharField(_("as"), max_length=16, choices=Participant.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("roadshow registration")
        verbose_name_plural = _("roadshow registrations")
        constraints = [models.UniqueConstraint(fields=["roadshow", "user"], name="register_once_per_roadshow")]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.roadshow}"


class RoadshowFeedback(models.Model):
    presentation = models.ForeignKey(RoadshowPresentation, on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(RoadshowRegistration, on_delete=models.CASCADE, related_name="feedback")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("roadshow feedback")
        verbose_name_plural = _("roadshow feedback")
        constraints = [
            models.UniqueConstraint(fields=["presentation", "registration"], name="one_score_per_participant"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="roadshow_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.presentation}: {self.score}"
