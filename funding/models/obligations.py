"""Transfer obligations (转化义务) fulfilled by registered technology contracts (技术合同认定登记)."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .funds import money

# The municipal major-project series: at least ¥2,000,000.00 actually received (实际到账) on registered technology
# contracts (¥1,999,999.99 is not enough). The one home of the threshold: selectors, serializers, filters, pages
# and documents read it through the functions below.
MAJOR_SERIES_THRESHOLD = Decimal("2000000.00")
MAJOR_SERIES_TEXT = f"¥{MAJOR_SERIES_THRESHOLD:,.2f}"  # "¥2,000,000.00", for help texts


def reaches_major_series(received) -> bool:
    """Whether ``received`` (yuan actually received) reaches the major-series threshold."""
    return received >= MAJOR_SERIES_THRESHOLD


def short_of_major_series(received) -> Decimal:
    """How much is still missing to reach the threshold (0 once reached)."""
    return max(MAJOR_SERIES_THRESHOLD - received, Decimal("0"))


def reaches_major_series_q(received_field: str = "total_received") -> models.Q:
    """The same rule as a filter on a queryset annotated with the amount received."""
    return models.Q(**{f"{received_field}__gte": MAJOR_SERIES_THRESHOLD})


class TechContract(models.Model):
    project = models.ForeignKey("poc.Project", on_delete=models.PROTECT, related_name="tech_contracts")
    registration_number = models.CharField(_("registration number"), max_length=64, unique=True)
    parties = models.CharField(_("parties"), max_length=300)
    contract_amount = models.DecimalField(_("contract amount (yuan)"), **money)
    registered_on = models.DateField(_("registered on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")
        ordering = ["registered_on", "id"]

    def __str__(self) -> str:
        return self.registration_number

    @property
    def received(self) -> Decimal:
        if "payments" in getattr(self, "_prefetched_objects_cache", {}):  # a list prefetches them
            return sum((p.amount for p in self.payments.all()), Decimal("0"))
        return self.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")


class ContractPayment(models.Model):
    contract = models.ForeignKey(TechContract, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("amount received (yuan)"), **money)
    received_on = models.DateField(_("received on"))

    class Meta:
        verbose_name = _("payment received")
        verbose_name_plural = _("payments received")
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.contract} {self.amount}"
