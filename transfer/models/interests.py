"""Interest between a result and a demand: each side may express it; both sides → a conversation opens."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    RESULT = "result", _("The result's owner")
    DEMAND = "demand", _("The demand's enterprise")


class Interest(models.Model):
    result = models.ForeignKey("transfer.Result", on_delete=models.CASCADE, related_name="interests")
    demand = models.ForeignKey("transfer.Demand", on_delete=models.CASCADE, related_name="interests")
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    expressed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expressed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [models.UniqueConstraint(fields=["result", "demand", "side"], name="one_interest_per_side")]

    def __str__(self) -> str:
        return f"{self.result} ↔ {self.demand} ({self.side})"


class Conversation(models.Model):
    """Opened when both sides are interested (对接): the record of their contact."""

    result = models.ForeignKey("transfer.Result", on_delete=models.CASCADE, related_name="conversations")
    demand = models.ForeignKey("transfer.Demand", on_delete=models.CASCADE, related_name="conversations")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["result", "demand"], name="one_conversation_per_pair")]

    def __str__(self) -> str:
        return f"{self.result} ↔ {self.demand}"
