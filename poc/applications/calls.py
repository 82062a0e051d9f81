"""Calls for applications (申报批次), with the rules each call sets for its applications and their outcomes."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from poc.institutions.models import InstitutionType

from .holidays import NoticeDayKind, notice_end_date, notice_length_label


class ApplicationKind(models.TextChoices):
    POC_CENTER = "poc_center", _("PoC center")  # 概念验证中心
    PILOT_BASE = "pilot_base", _("Pilot base")  # 中试基地
    POC_PROJECT = "poc_project", _("PoC project")  # 概念验证项目
    PILOT_PROJECT = "pilot_project", _("Pilot project")  # 中试熟化项目


CENTER_KINDS = (ApplicationKind.POC_CENTER, ApplicationKind.PILOT_BASE)
PROJECT_KINDS = (ApplicationKind.POC_PROJECT, ApplicationKind.PILOT_PROJECT)


class AttachmentType(models.TextChoices):
    APPLICATION_FORM = "application_form", _("Signed application form")  # 申报书
    AUDITED_SPEND = "audited_spend", _("Audit report of PoC/pilot service spend")  # 专项审计报告
    SELF_CHECK = "self_check", _("Formal-check self-assessment")  # 形式审查自查表
    INTEGRITY_PLEDGE = "integrity_pledge", _("Research-integrity pledge")  # 科研诚信承诺书
    IP_STATEMENT = "ip_statement", _("IP-compliance statement")  # 知识产权合规声明
    BUSINESS_LICENCE = "business_licence", _("Business licence")  # 营业执照
    IP_EVIDENCE = "ip_evidence", _("IP certificates")  # 知识产权证明
    BUDGET_SHEET = "budget_sheet", _("Budget sheet")  # 预算表
    OTHER = "other", _("Other")


def default_required_attachments() -> list[str]:
    return [AttachmentType.APPLICATION_FORM, AttachmentType.INTEGRITY_PLEDGE]


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def open_at(self, moment=None):
        moment = moment or timezone.now()
        return self.published().filter(opens_at__lte=moment, closes_at__gte=moment)

    def with_rules_frozen(self):
        """Each call with ``first_in_review``: the number of its first application that reached expert review (its
        rules are frozen), or None; read by :meth:`Call.rules_frozen_reason` instead of a query per call."""
        return self.annotate(first_in_review=models.Subquery(
            _applications_in_review().filter(call=models.OuterRef("pk")).order_by("number").values("number")[:1]))


def _applications_in_review():
    """Applications that reached expert review: under review or beyond, or rejected or withdrawn after the audit
    trail shows them accepted for review."""
    from django.contrib.contenttypes.models import ContentType

    from poc.models.audit import TransitionLog

    from .models import Application
    from .states import ApplicationState as S

    reviewed_ids = TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(Application),
                                                target=S.UNDER_REVIEW).values("object_id")
    return Application.objects.filter(models.Q(state__in=S.REVIEW_OR_BEYOND) | models.Q(pk__in=reviewed_ids))


class Call(models.Model):
    """A call for applications of one kind, with its window, budget and rules."""

    kind = models.CharField(_("kind"), max_length=32, choices=ApplicationKind.choices)
    round = models.CharField(
        pgettext_lazy("call", "round"),
        max_length=40,
        help_text=_("The round this call belongs to (e.g. 2026). An institution may not apply for both "
                    "center types in one round."),
    )
    title = models.CharField(_("title"), max_length=200)
    guideline = models.TextField(_("guideline"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=16, decimal_places=2, default=0,
                                 validators=[MinValueValidator(0)])
    eligible_institution_types = models.JSONField(_("eligible institution types"), default=list)
    required_attachment_types = models.JSONField(_("required attachments"), default=default_required_attachments)
    max_applications_per_institution = models.PositiveSmallIntegerField(
        _("applications per institution"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many applications one institution may submit to this call (限项). Center calls: 1."),
    )
    min_reviews = models.PositiveSmallIntegerField(_("minimum reviews"), default=3,
                                                   validators=[MinValueValidator(1), MaxValueValidator(15)])
    notice_days = models.PositiveSmallIntegerField(_("public-notice days"), default=7,
                                                   validators=[MinValueValidator(1), MaxValueValidator(30)])
    notice_day_kind = models.CharField(
        _("public-notice days counted as"), max_length=16, choices=NoticeDayKind.choices,
        default=NoticeDayKind.WORKING,
        help_text=_("Working days follow the official holiday schedule and its make-up working days (调休)."))
    revision_days = models.PositiveSmallIntegerField(
        _("days to revise a returned application"), default=10, validators=[MinValueValidator(1)]
    )
    site_visit_required = models.BooleanField(_("site visit required"), default=False)
    requires_district_recommendation = models.BooleanField(
        _("district recommendation required"), default=False,
        help_text=_("The science bureau of the applicant's district recommends each submitted application (区县推荐) "
                    "before the bureau's formal check."))

    # After approval (centers): validity, annual-evaluation grades, rectification.
    validity_years = models.PositiveSmallIntegerField(_("designation valid for (years)"), default=3,
                                                      validators=[MinValueValidator(1), MaxValueValidator(10)])
    grade_excellent_from = models.DecimalField(_("excellent from"), max_digits=5, decimal_places=2, default=90)
    grade_good_from = models.DecimalField(_("good from"), max_digits=5, decimal_places=2, default=70)
    grade_pass_from = models.DecimalField(_("pass from"), max_digits=5, decimal_places=2, default=60)
    center_rectification_months = models.PositiveSmallIntegerField(
        _("months to rectify after a failed evaluation"), default=12, validators=[MinValueValidator(1)])
    # After approval (projects): conversion obligation and acceptance.
    major_projects = models.BooleanField(
        _("major projects"), default=False,
        help_text=_("Major municipal projects: the conversion obligation is due within a year of approval."))
    conversion_deadline_months = models.PositiveSmallIntegerField(
        _("conversion obligation due within (months)"), default=12, validators=[MinValueValidator(1),
                                                                                 MaxValueValidator(60)])
    acceptance_pass_from = models.DecimalField(_("acceptance passed from"), max_digits=5, decimal_places=2,
                                               default=80)
    acceptance_rectify_from = models.DecimalField(_("acceptance rectification from"), max_digits=5,
                                                  decimal_places=2, default=60)
    project_rectification_months = models.PositiveSmallIntegerField(
        _("months to rectify after acceptance"), default=3, validators=[MinValueValidator(1)])
    grant_ceiling = models.DecimalField(
        _("grant ceiling per project (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The most one project of this call may receive as a grant (e.g. ¥500,000 for PoC projects); "
                    "checked on the application's budget and on the funding decision. Empty: no ceiling."))
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="call_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("A call must close after it opens.")
        valid_types = set(InstitutionType.values)
        bad = [t for t in self.eligible_institution_types or [] if t not in valid_types]
        if bad:
            errors["eligible_institution_types"] = _("Unknown institution types: %(types)s") % {"types": ", ".join(bad)}
        if not self.eligible_institution_types:
            errors["eligible_institution_types"] = _("Choose at least one eligible institution type.")
        bad = [t for t in self.required_attachment_types or [] if t not in AttachmentType.values]
        if bad:
            errors["required_attachment_types"] = _("Unknown attachment types: %(types)s") % {"types": ", ".join(bad)}
        if not (self.grade_pass_from <= self.grade_good_from <= self.grade_excellent_from <= 100):
            errors["grade_excellent_from"] = _("Grades must rise: pass ≤ good ≤ excellent ≤ 100.")
        if not (0 <= self.acceptance_rectify_from <= self.acceptance_pass_from <= 100):
            errors["acceptance_pass_from"] = _("Acceptance thresholds must rise: rectification ≤ passed ≤ 100.")
        if self.major_projects and self.conversion_deadline_months > 12:
            errors["conversion_deadline_months"] = _("For major projects the conversion obligation is due within "
                                                     "12 months of approval.")
        if self.grant_ceiling is not None and self.kind in CENTER_KINDS:
            errors["grant_ceiling"] = _("Only project calls have a grant ceiling: center calls fund no projects.")
        elif self.grant_ceiling is not None and self.budget and self.grant_ceiling > self.budget:
            errors["grant_ceiling"] = _("The grant ceiling (¥%(ceiling)s) cannot exceed the call's budget "
                                        "(¥%(budget)s).") % {"ceiling": f"{self.grant_ceiling:,.2f}",
                                                            "budget": f"{self.budget:,.2f}"}
        if self.kind in CENTER_KINDS and self.max_applications_per_institution != 1:
            errors["max_applications_per_institution"] = _("A center call admits one application per institution.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_center_call(self) -> bool:
        return self.kind in CENTER_KINDS

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.published and self.opens_at <= moment <= self.closes_at

    def notice_end(self, start):
        """The last day (inclusive) of this call's public notice published on ``start``."""
        return notice_end_date(start, self.notice_days, self.notice_day_kind)

    @property
    def notice_length(self) -> str:
        """"5 working days", "7 calendar days"."""
        return notice_length_label(self.notice_days, self.notice_day_kind)

    def grant_over_ceiling(self, amount, what=None) -> str | None:
        """Why ``amount`` (a requested or decided grant, yuan) is over this call's grant ceiling, or None.

        Compared exactly: the ceiling itself is allowed, one cent more is not."""
        if self.grant_ceiling is None or amount is None or Decimal(amount) <= self.grant_ceiling:
            return None
        return _("%(what)s of ¥%(amount)s is over the call's grant ceiling of ¥%(ceiling)s per project (by "
                 "¥%(over)s).") % {"what": what or _("A grant"), "amount": f"{Decimal(amount):,.2f}",
                                   "ceiling": f"{self.grant_ceiling:,.2f}",
                                   "over": f"{Decimal(amount) - self.grant_ceiling:,.2f}"}

    def rules_frozen_reason(self) -> str | None:
        """Why the call's rules (:data:`RULE_FIELDS`) can no longer change, or None while they can."""
        if self.pk is None:
            return None
        if hasattr(self, "first_in_review"):  # annotated by CallQuerySet.with_rules_frozen
            number = self.first_in_review
        else:
            number = (_applications_in_review().filter(call=self).order_by("number")
                      .values_list("number", flat=True).first())
        if number is None:
            return None
        return _("The rules of this call are frozen: application %(number)s has reached expert review, and the rules "
                 "its applications are judged by cannot change after that.") % {"number": number}

    def eligible_type_labels(self) -> list[str]:
        labels = dict(InstitutionType.choices)
        return [str(labels.get(t, t)) for t in self.eligible_institution_types]

    def required_attachment_labels_by_type(self) -> list[tuple[str, str]]:
        labels = dict(AttachmentType.choices)
        return [(t, str(labels.get(t, t))) for t in self.required_attachment_types]

    def required_attachment_labels(self) -> list[str]:
        labels = dict(AttachmentType.choices)
        return [str(labels.get(t, t)) for t in self.required_attachment_types]


# The rules a call sets for its applications and their outcomes (the call's "rules" in the editor and the API):
# editable by officers until the first application of the call reaches review, and every change audited.
RULE_FIELDS = (
    "min_reviews", "notice_days", "notice_day_kind", "validity_years",
    "grade_excellent_from", "grade_good_from", "grade_pass_from", "center_rectification_months",
    "major_projects", "conversion_deadline_months", "acceptance_pass_from", "acceptance_rectify_from",
    "project_rectification_months", "grant_ceiling",
)
# The audit row of a change to a call's rule: ``comment`` names the rule, ``source`` and ``target`` its values.
RULE_CHANGE = "change_rule"
