"""Designated centers (认定的概念验证中心 / 中试基地) and their annual performance evaluation (年度绩效评价)."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from poc.access import officer
from poc.access.policies import institution_member
from poc.applications.calls import ApplicationKind
from poc.applications.models import Application
from poc.institutions.models import Institution

from . import rules
from .states import CenterState, EvaluationState, Grade


def add_months(day, months: int):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


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
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    state = FSMField(_("state"), default=CenterState.ACTIVE, choices=CenterState.choices, protected=True)
    rectification_due = models.DateField(_("rectify by"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    subsidy_recovery = models.BooleanField(_("subsidy to be recovered"), default=False)

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["-designated_on", "designation_number"]

    def __str__(self) -> str:
        return f"{self.designation_number} {self.name}"

    @property
    def call(self):
        return self.application.call

    def scored_evaluations(self):
        return self.evaluations.filter(state=EvaluationState.SCORED).order_by("-data_year")

    def latest_scored_evaluation(self):
        return self.scored_evaluations().first()

    def consecutive_failures(self) -> int:
        count = 0
        for grade in self.scored_evaluations().values_list("grade", flat=True):
            if grade != Grade.FAIL:
                break
            count += 1
        return count

    def service_labels(self) -> list[str]:
        from poc.applications.details import ServiceOffered

        labels = dict(ServiceOffered.choices)
        return [str(labels.get(s, s)) for s in self.services]

    # ------------------------------------------------------------ transitions
    @transition(
        field=state, source=CenterState.ACTIVE, target=CenterState.RECTIFYING,
        permission=officer.refusing(_("Only bureau officers can order a rectification.")),
        conditions=[rules.latest_evaluation_failed, rules.first_failure],
        custom={"label": _("Order rectification"), "system": True},
    )
    def order_rectification(self, by=None, comment=""):
        self.rectification_due = add_months(timezone.localdate(), self.call.center_rectification_months)

    @transition(
        field=state, source=CenterState.RECTIFYING, target=CenterState.ACTIVE,
        permission=officer.refusing(_("Only bureau officers can close a rectification.")),
        conditions=[rules.rectification_evaluation_passed],
        custom={"label": _("Rectification passed"), "system": True},
    )
    def pass_rectification(self, by=None, comment=""):
        self.rectification_due = None

    @transition(
        field=state, source=CenterState.RECTIFYING, target=CenterState.REVOKED,
        permission=officer.refusing(_("Only bureau officers can revoke a designation.")),
        conditions=[rules.second_consecutive_failure],
        custom={"label": _("Revoke after a second failed evaluation"), "system": True},
    )
    def revoke_after_second_failure(self, by=None, comment=""):
        self.revoked_on = timezone.localdate()

    @transition(
        field=state, source=list(CenterState.IN_FORCE), target=CenterState.REVOKED,
        permission=officer.refusing(_("Only bureau officers can revoke a designation for fraud.")),
        custom={"label": _("Revoke for fraud"), "comment_required": True, "style": "danger"},
    )
    def revoke_for_fraud(self, by=None, comment=""):
        self.revoked_on = timezone.localdate()
        self.subsidy_recovery = True

    @transition(
        field=state, source=list(CenterState.IN_FORCE), target=CenterState.EXPIRED,
        permission=officer.refusing(_("Only bureau officers (or the nightly job) can expire a designation.")),
        conditions=[rules.validity_over],
        custom={"label": _("Expire"), "system": True},
    )
    def expire(self, by=None, comment=""):
        pass


money = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(0)], "default": Decimal("0")}


class AnnualEvaluation(ConcurrentTransitionMixin, models.Model):
    """A center's annual performance evaluation for one data year: filed by the center, scored by the bureau."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="evaluations")
    data_year = models.PositiveSmallIntegerField(_("data year"), validators=[MinValueValidator(2000)])
    state = FSMField(_("state"), default=EvaluationState.DRAFT, choices=EvaluationState.choices, protected=True)
    projects_validated = models.PositiveIntegerField(_("projects validated"), default=0)
    results_transferred = models.PositiveIntegerField(_("results transferred"), default=0)
    companies_incubated = models.PositiveIntegerField(_("companies incubated"), default=0)
    follow_on_financing = models.DecimalField(_("follow-on financing raised (yuan)"), **money)
    contract_turnover = models.DecimalField(_("technology contract turnover (yuan)"), **money)
    service_revenue = models.DecimalField(_("service revenue (yuan)"), **money)
    user_satisfaction = models.DecimalField(_("user satisfaction (%)"), max_digits=5, decimal_places=2, null=True,
                                            blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    cases = models.TextField(_("typical cases"), blank=True)
    next_year_plan = models.TextField(_("plan for next year"), blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")
        ordering = ["center_id", "-data_year"]
        constraints = [
            models.UniqueConstraint(fields=["center", "data_year"], name="one_evaluation_per_center_year"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                                   name="evaluation_score_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.data_year}"

    @property
    def institution(self):
        return self.center.institution

    def missing_items(self) -> list[str]:
        from django.utils.translation import gettext

        missing = []
        if self.user_satisfaction is None:
            missing.append(gettext("User satisfaction is missing."))
        if not self.cases.strip():
            missing.append(gettext("Describe at least one typical case."))
        if not self.next_year_plan.strip():
            missing.append(gettext("The plan for next year is missing."))
        if not self.evidence.exists():
            missing.append(gettext("Attach at least one evidence file."))
        return missing

    @staticmethod
    def grade_for(score, call) -> str:
        """≥ excellent 优秀, ≥ good 良好, ≥ pass 合格, otherwise 不合格 (thresholds per call, inclusive)."""
        if score >= call.grade_excellent_from:
            return Grade.EXCELLENT
        if score >= call.grade_good_from:
            return Grade.GOOD
        if score >= call.grade_pass_from:
            return Grade.PASS
        return Grade.FAIL

    @transition(
        field=state, source=EvaluationState.DRAFT, target=EvaluationState.FILED,
        permission=institution_member.refusing(_("Only members of the center's institution can file its evaluation.")),
        conditions=[rules.evaluation_center_in_force, rules.evaluation_data_complete],
        custom={"label": _("File evaluation data"), "style": "primary", "applicant_facing": True},
    )
    def file(self, by=None, comment=""):
        self.filed_at = timezone.now()
        self.filed_by = by

    @transition(
        field=state, source=EvaluationState.FILED, target=EvaluationState.DRAFT,
        permission=officer.refusing(_("Only bureau officers can return evaluation data.")),
        custom={"label": _("Return for correction"), "comment_required": True},
    )
    def return_data(self, by=None, comment=""):
        self.filed_at = None

    @transition(
        field=state, source=EvaluationState.FILED, target=EvaluationState.SCORED,
        permission=officer.refusing(_("Only bureau officers can score an evaluation.")),
        conditions=[rules.evaluation_center_in_force],
        custom={"label": _("Score"), "style": "primary", "needs_score": True, "then": "apply_score_to_center"},
    )
    def record_score(self, by=None, comment="", score=None):
        from decimal import InvalidOperation

        from poc.errors import BadInput

        try:
            exact = Decimal(str(score))
            if not exact.is_finite():  # "NaN" cannot be compared
                raise InvalidOperation
            value = exact.quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError):
            raise BadInput(_("A score between 0 and 100 is required."), field_errors={"score": [_("Required.")]}) \
                from None
        if value != exact:  # never round across a grade boundary (59.995 is not 60)
            raise BadInput(_("A score has at most two decimals."), field_errors={"score": [_("Too many decimals.")]})
        if not Decimal("0") <= value <= Decimal("100"):
            raise BadInput(_("The score must be between 0 and 100; %(v)s is out of range.") % {"v": value},
                           field_errors={"score": [_("Out of range.")]})
        self.score = value
        self.grade = self.grade_for(value, self.center.call)
        self.scored_at = timezone.now()
        self.scored_by = by

    # (center state, graded fail?) → the center's transition that follows a score
    CONSEQUENCES = (
        ((CenterState.ACTIVE, True), "order_rectification"),
        ((CenterState.RECTIFYING, True), "revoke_after_second_failure"),
        ((CenterState.RECTIFYING, False), "pass_rectification"),
    )

    @classmethod
    def consequence_for(cls, center_state, failed: bool) -> str | None:
        """The center transition a score leads to (None: the center stays as it is)."""
        return dict(cls.CONSEQUENCES).get((center_state, failed))

    def apply_score_to_center(self, by=None, comment="", log=None):
        """The consequence of ``record_score`` (declared as its ``then``, run by the workflow in the same
        database transaction): a first fail → rectifying; a second fail in a row → revoked; a pass while
        rectifying → active. The center's move is its own audited transition, with the score as its reason."""
        from django.utils.translation import gettext

        from poc.workflow import run_transition

        center = Center.objects.get(pk=self.center_id)
        name = self.consequence_for(center.state, self.grade == Grade.FAIL)
        if name is not None:
            reason = gettext("Annual evaluation %(year)s: %(score)s, %(grade)s.") % {
                "year": self.data_year, "score": self.score, "grade": self.get_grade_display()}
            center = run_transition(center, name, by, reason)
        self.center = center  # not the copy read before the center moved


def evidence_path(instance, filename):
    import uuid

    return f"evaluations/{instance.evaluation_id}/{uuid.uuid4().hex}.{instance.extension}"


class EvaluationEvidence(models.Model):
    evaluation = models.ForeignKey(AnnualEvaluation, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.title
