"""The states of a designated center and of its annual evaluation, with the named sets of them.

Compare states with these (``CenterState.IN_FORCE``), never with a string literal.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CenterState(models.TextChoices):
    ACTIVE = "active", _("Active")
    RECTIFYING = "rectifying", _("Rectifying")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


# A designation in force: the center may file evaluations and is reminded of them and of its expiry.
CenterState.IN_FORCE = (CenterState.ACTIVE, CenterState.RECTIFYING)


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    SCORED = "scored", _("Scored")
