"""Transfer obligations (转化义务) fulfilled by registered technology contracts (技术合同认定登记), the payments
actually received on them (实际到账) as the bureau verified them, and the projects flagged for the municipal
major-project series (市重大科技项目序列).

A contract is recorded (已录入) and, once the technology market registers it, registered (已认定登记, with its
registration number). Its amount may be amended (an amendment with a reason, in the audit trail). A payment is
recorded by the institution and verified (核实) or refused by a bureau officer; only verified payments on a
registered 产学研 contract (a university or research institute with an enterprise) count toward the threshold.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from poc.access import officer

from ..relations import contract_member
from .funds import money

# The municipal major-project series: at least ¥2,000,000.00 actually received (实际到账) and verified by the
# bureau on registered 产学研 technology contracts (¥1,999,999.99 is not enough). The one home of the threshold:
# selectors, serializers, filters, pages and documents read it through the functions below.
MAJOR_SERIES_THRESHOLD = Decimal("2000000.00")
MAJOR_SERIES_TEXT = f"¥{MAJOR_SERIES_THRESHOLD:,.2f}"  # "¥2,000,000.00", for help texts


def reaches_major_series(verified) -> bool:
    """Whether ``verified`` (yuan received and verified on qualifying contracts) reaches the threshold."""
    return verified >= MAJOR_SERIES_THRESHOLD


def short_of_major_series(verified) -> Decimal:
    """How much is still missing to reach the threshold (0 once reached)."""
    return max(MAJOR_SERIES_THRESHOLD - verified, Decimal("0"))


def reaches_major_series_q(verified_field: str = "total_verified") -> models.Q:
    """The same rule as a filter on a queryset annotated with the amount verified."""
    return models.Q(**{f"{verified_field}__gte": MAJOR_SERIES_THRESHOLD})


class PartyKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other")


ACADEMIC_PARTIES = (PartyKind.UNIVERSITY, PartyKind.INSTITUTE)


class ContractState(models.TextChoices):
    RECORDED = "recorded", _("Recorded, not registered")
    REGISTERED = "registered", _("Registered (技术合同认定登记)")


class PaymentState(models.TextChoices):
    RECORDED = "recorded", _("Recorded, awaiting verification")
    VERIFIED = "verified", _("Verified by the bureau")
    REFUSED = "refused", _("Refused by the bureau")


# What a contract's cumulative received counts: every payment but one the bureau refused.
PaymentState.RECEIVED = (PaymentState.RECORDED, PaymentState.VERIFIED)

contract_side = (officer | contract_member)


def university_industry_q(prefix: str = "") -> Q:
    """A 产学研 contract: a university or institute on one side, an enterprise on the other."""
    seller, buyer = f"{prefix}seller_kind", f"{prefix}buyer_kind"
    return (Q(**{f"{seller}__in": ACADEMIC_PARTIES, buyer: PartyKind.ENTERPRISE})
            | Q(**{seller: PartyKind.ENTERPRISE, f"{buyer}__in": ACADEMIC_PARTIES}))


def counting_payments_q(prefix: str = "") -> Q:
    """The payments that count toward the threshold: verified, on a registered 产学研 contract."""
    return (Q(**{f"{prefix}state": PaymentState.VERIFIED, f"{prefix}contract__state": ContractState.REGISTERED})
            & university_industry_q(f"{prefix}contract__"))


class TechContract(ConcurrentTransitionMixin, models.Model):
    project = models.ForeignKey("poc.Project", on_delete=models.PROTECT, related_name="tech_contracts")
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    parties = models.CharField(_("parties"), max_length=300)
    seller_kind = models.CharField(_("seller (transferor)"), max_length=16, choices=PartyKind.choices)
    buyer_kind = models.CharField(_("buyer (transferee)"), max_length=16, choices=PartyKind.choices)
    contract_amount = models.DecimalField(_("contract amount (yuan)"), **money)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    state = FSMField(_("state"), default=ContractState.RECORDED, choices=ContractState.choices, protected=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")
        ordering = ["registered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registration_number"], condition=~Q(registration_number=""),
                                    name="tech_contract_registration_number_unique"),
            models.CheckConstraint(condition=Q(contract_amount__gt=0), name="tech_contract_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.registration_number or f"{self.parties} ({self.get_state_display()})"

    @property
    def is_registered(self) -> bool:
        return self.state == ContractState.REGISTERED

    @property
    def is_university_industry(self) -> bool:
        return ((self.seller_kind in ACADEMIC_PARTIES and self.buyer_kind == PartyKind.ENTERPRISE)
                or (self.seller_kind == PartyKind.ENTERPRISE and self.buyer_kind in ACADEMIC_PARTIES))

    @property
    def counts_for_major_series(self) -> bool:
        return self.is_registered and self.is_university_industry

    @property
    def received(self) -> Decimal:
        """Recorded or verified (a refused payment is not received)."""
        if "payments" in getattr(self, "_prefetched_objects_cache", {}):  # a list prefetches them
            return sum((p.amount for p in self.payments.all() if p.state in PaymentState.RECEIVED), Decimal("0"))
        return (self.payments.filter(state__in=PaymentState.RECEIVED).aggregate(total=Sum("amount"))["total"]
                or Decimal("0"))

    @property
    def verified(self) -> Decimal:
        if "payments" in getattr(self, "_prefetched_objects_cache", {}):  # a list prefetches them
            return sum((p.amount for p in self.payments.all() if p.state == PaymentState.VERIFIED), Decimal("0"))
        return (self.payments.filter(state=PaymentState.VERIFIED).aggregate(total=Sum("amount"))["total"]
                or Decimal("0"))

    @transition(
        field=state, source=ContractState.RECORDED, target=ContractState.REGISTERED,
        permission=contract_side.refusing(_("Only the project's institution or a bureau officer can record the "
                                            "contract's registration.")),
        custom={"label": _("Record the registration"), "style": "primary", "applicant_facing": True},
    )
    def register(self, by=None, comment="", registration_number="", registered_on=None):
        self.registration_number, self.registered_on = registration_number, registered_on

    @transition(
        field=state, source="*", target=RETURN_VALUE(),
        permission=contract_side.refusing(_("Only the project's institution or a bureau officer can amend a "
                                            "contract.")),
        custom={"label": _("Amend the contract amount"), "comment_required": True, "applicant_facing": True},
    )
    def amend(self, by=None, comment="", contract_amount=None):
        self.contract_amount = contract_amount
        return self.state


class ContractPayment(ConcurrentTransitionMixin, models.Model):
    contract = models.ForeignKey(TechContract, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("amount received (yuan)"), **money)
    received_on = models.DateField(_("received on"))
    state = FSMField(_("state"), default=PaymentState.RECORDED, choices=PaymentState.choices, protected=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment received")
        verbose_name_plural = _("payments received")
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.contract} {self.amount}"

    @property
    def institution(self):
        return self.contract.project.institution

    @transition(
        field=state, source=PaymentState.RECORDED, target=PaymentState.VERIFIED,
        permission=officer.refusing(_("Only bureau officers can verify a payment.")),
        custom={"label": _("Verify the payment"), "style": "primary"},
    )
    def verify(self, by=None, comment=""):
        self.verified_by, self.verified_at = by, timezone.now()

    @transition(
        field=state, source=PaymentState.RECORDED, target=PaymentState.REFUSED,
        permission=officer.refusing(_("Only bureau officers can refuse a payment.")),
        custom={"label": _("Refuse the payment"), "comment_required": True, "style": "danger"},
    )
    def refuse(self, by=None, comment=""):
        self.verified_by, self.verified_at = by, timezone.now()


class MajorSeriesCandidate(models.Model):
    """A project flagged as a candidate for the municipal major-project series (市重大科技项目序列): the
    verification that took its verified 产学研 receipts to the threshold, and the total then."""

    project = models.OneToOneField("poc.Project", on_delete=models.PROTECT, related_name="major_series_candidacy")
    crossing_payment = models.OneToOneField(ContractPayment, on_delete=models.PROTECT, related_name="+")
    verified_total = models.DecimalField(_("verified when flagged (yuan)"), **money)
    flagged_on = models.DateField(_("flagged on"))

    class Meta:
        verbose_name = _("major-project series candidate")
        verbose_name_plural = _("major-project series candidates")
        ordering = ["-flagged_on", "id"]

    def __str__(self) -> str:
        return str(self.project)
