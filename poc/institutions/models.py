"""Institutions (申报单位) and their members."""
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poc.validators import validate_credit_code


class InstitutionType(models.TextChoices):
    UNIVERSITY = "university", _("University")  # 高校
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")  # 科研院所
    NEW_RD_INSTITUTION = "new_rd_institution", _("New R&D institution")  # 新型研发机构
    INCUBATOR = "incubator", _("Incubator")  # 孵化器
    ENTERPRISE = "enterprise", _("Enterprise")  # 企业


class Institution(models.Model):
    """A legal entity that applies: university, institute, new R&D institution, incubator, enterprise.

    Each institution has its own group; its members are its users, and object permissions on its
    applications are granted to that group (DESIGN §3).
    """

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters (GB 32100-2015)."),
    )
    type = models.CharField(_("type"), max_length=32, choices=InstitutionType.choices)
    district = models.CharField(_("district"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=40)
    contact_email = models.EmailField(_("contact email"))
    # The company record (工商登记信息) a fund's entry rules for 先投后股 read: founding date and capital.
    founded_on = models.DateField(_("founded on"), null=True, blank=True,
                                  help_text=_("The date of establishment on the business licence (成立日期)."))
    registered_capital = models.DecimalField(_("registered capital (yuan)"), max_digits=16, decimal_places=2,
                                             null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))])
    paid_in_capital = models.DecimalField(_("paid-in capital (yuan)"), max_digits=16, decimal_places=2, null=True,
                                          blank=True, validators=[MinValueValidator(Decimal("0"))])
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="institution", editable=False)
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if (self.paid_in_capital is not None and self.registered_capital is not None
                and self.paid_in_capital > self.registered_capital):
            raise ValidationError({"paid_in_capital": _("The paid-in capital cannot exceed the registered capital.")})
        if self.founded_on is not None and self.founded_on > timezone.localdate():
            raise ValidationError({"founded_on": _("The founding date cannot be in the future.")})

    @staticmethod
    def group_name_for(credit_code: str) -> str:
        return f"institution:{credit_code}"


class District(models.Model):
    """A district (区县) of the city and its science bureau (区县科技局).

    An institution is in the district whose name it records (``Institution.district``). The district's
    officers are the users of its group holding the ``district_officer`` role, as a fund's managers are
    the users of the fund's group: a district officer sees and recommends only the applications of the
    institutions of that district, in the calls that ask for a district recommendation.
    """

    name = models.CharField(_("name"), max_length=100, unique=True,
                            help_text=_("As institutions record it, e.g. 鹿城区."))
    code = models.CharField(_("division code"), max_length=6, blank=True,
                            help_text=_("The administrative division code (行政区划代码), e.g. 330302."))
    bureau = models.CharField(_("science bureau"), max_length=100, blank=True,
                              help_text=_("The district's science bureau as it signs its opinions, e.g. 鹿城区科技局."))
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="district", editable=False)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def bureau_name(self) -> str:
        return self.bureau or f"{self.name}科技局"

    @staticmethod
    def group_name_for(name: str) -> str:
        return f"district:{name}"


class Membership(models.Model):
    """A user's membership of an institution: asked for, then approved by an institution admin or an officer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    is_admin = models.BooleanField(_("institution administrator"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # A user belongs to at most one institution at a time.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="active"), name="one_active_membership_per_user"
            ),
            models.UniqueConstraint(fields=["user", "institution"], name="one_membership_per_user_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution} ({self.status})"
