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


# The grade of a scored evaluation (not a state, but the rules compare it the same way: through the enum).
class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    GOOD = "good", _("Good")  # 良好
    PASS = "pass", _("Pass")  # 合格
    FAIL = "fail", _("Fail")  # 不合格
