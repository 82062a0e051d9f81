"""Funded projects (立项项目): task agreement, milestones, change requests, conversion obligation, acceptance (验收)."""
import uuid
from datetime import timedelta
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
from poc.centers.models import add_months
from poc.institutions.models import Institution

from . import rules
from .states import ChangeState, ProjectState
from .thresholds import ACCEPTANCE_MAXIMA, SCORE_FIELDS, too_few_tasks_done

# "More than 6 months late is a fail unless an extension was approved": calendar months from the approved
# deadline (add_months: the same day six months on, or that month's last day), not a count of days.
LATE_TOLERANCE_MONTHS = 6
# Compatibility only (poc/views/projects.py imports it): an approximation in days that differs from the rule
# by up to three days at month ends. The rule is Project.late_beyond_tolerance(on).
LATE_TOLERANCE_DAYS = 183


def agreement_path(instance, filename):
    return f"projects/{instance.pk or 'new'}/agreement-{uuid.uuid4().hex}.pdf"


class Project(ConcurrentTransitionMixin, models.Model):
    """A funded PoC or pilot project (立项项目)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="projects")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="project")
    kind = models.CharField(_("kind"), max_length=32, choices=ApplicationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    project_number = models.CharField(_("project number"), max_length=32, unique=True)
    approved_on = models.DateField(_("approved on"))
    state = FSMField(_("state"), default=ProjectState.CONTRACTING, choices=ProjectState.choices, protected=True)
    agreement = models.FileField(_("task agreement (signed)"), upload_to=agreement_path, blank=True, max_length=300)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), default=24)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    is_major = models.BooleanField(_("major municipal project"), default=False)
    obligation = models.TextField(_("conversion obligation"), blank=True)
    obligation_due_on = models.DateField(_("conversion due by"), null=True, blank=True)
    rectification_due = models.DateField(_("rectify by"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-approved_on", "project_number"]

    def __str__(self) -> str:
        return f"{self.project_number} {self.title}"

    @property
    def call(self):
        return self.application.call

    @property
    def approved_deadline(self):
        """The due date, moved by the last approved deadline change request."""
        change = (self.change_requests.filter(state=ChangeState.APPROVED, kind=ChangeRequest.Kind.DEADLINE,
                                           new_due_on__isnull=False)
                  .order_by("-decided_at").first())
        return change.new_due_on if change else self.due_on

    @property
    def obligation_deadline(self):
        """The conversion deadline, moved by the last approved "conversion deadline" change request."""
        if self.obligation_due_on is None:
            return None
        change = (self.change_requests.filter(state=ChangeState.APPROVED, kind=ChangeRequest.Kind.OBLIGATION,
                                           new_due_on__isnull=False)
                  .order_by("-decided_at").first())
        return change.new_due_on if change else self.obligation_due_on

    @property
    def obligation_today(self):
        """The conversion obligation as acceptance would check it today (poc.projects.obligation)."""
        from .obligation import obligation_status

        return obligation_status(self)

    def days_late(self, on=None) -> int:
        deadline = self.approved_deadline
        if deadline is None:
            return 0
        on = on or timezone.localdate()
        return max((on - deadline).days, 0)

    def late_beyond_tolerance(self, on=None) -> bool:
        """More than six calendar months past the approved deadline on ``on`` (default today): an automatic
        fail at acceptance. The deadline's day six months on is still in time."""
        deadline = self.approved_deadline
        return deadline is not None and (on or timezone.localdate()) > add_months(deadline, LATE_TOLERANCE_MONTHS)

    @property
    def has_unapproved_change(self) -> bool:
        return self.change_requests.filter(state__in=ChangeState.UNAPPROVED, kind=ChangeRequest.Kind.TARGET).exists()

    # ------------------------------------------------------------ transitions
    @transition(
        field=state, source=ProjectState.CONTRACTING, target=ProjectState.IN_PROGRESS,
        permission=officer.refusing(_("Only bureau officers can confirm the signed task agreement.")),
        conditions=[rules.agreement_uploaded],
        custom={"label": _("Confirm signed agreement"), "style": "primary"},
    )
    def sign(self, by=None, comment=""):
        today = timezone.localdate()
        self.signed_on = today
        self.due_on = add_months(today, self.duration_months)
        for milestone in self.milestones.all():
            milestone.due_on = add_months(today, milestone.month)
            milestone.save(update_fields=["due_on"])

    @transition(
        field=state, source=ProjectState.IN_PROGRESS, target=ProjectState.ACCEPTANCE,
        permission=institution_member.refusing(_("Only the project's institution can request acceptance.")),
        conditions=[rules.milestones_reported],
        custom={"label": _("Request acceptance"), "style": "primary", "applicant_facing": True},
    )
    def request_acceptance(self, by=None, comment=""):
        pass

    @transition(
        field=state, source=ProjectState.ACCEPTANCE, target=ProjectState.COMPLETED,
        permission=officer.refusing(_("Only bureau officers can pass an acceptance.")),
        conditions=[rules.acceptance_passed],
        custom={"label": _("Pass acceptance"), "style": "primary", "system": True},
    )
    def pass_acceptance(self, by=None, comment=""):
        self.closed_on = timezone.localdate()

    @transition(
        field=state, source=ProjectState.ACCEPTANCE, target=ProjectState.RECTIFYING,
        permission=officer.refusing(_("Only bureau officers can order a rectification.")),
        conditions=[rules.acceptance_needs_rectification],
        custom={"label": _("Order rectification"), "system": True},
    )
    def order_rectification(self, by=None, comment=""):
        self.rectification_due = add_months(timezone.localdate(), self.call.project_rectification_months)

    @transition(
        field=state, source=ProjectState.RECTIFYING, target=ProjectState.COMPLETED,
        permission=officer.refusing(_("Only bureau officers can pass an acceptance.")),
        conditions=[rules.acceptance_passed],
        custom={"label": _("Pass after rectification"), "style": "primary", "system": True},
    )
    def pass_after_rectification(self, by=None, comment=""):
        self.closed_on = timezone.localdate()

    @transition(
        field=state, source=[ProjectState.ACCEPTANCE, ProjectState.RECTIFYING], target=ProjectState.FAILED,
        permission=officer.refusing(_("Only bureau officers can fail an acceptance.")),
        conditions=[rules.acceptance_failed],
        custom={"label": _("Fail acceptance"), "style": "danger", "system": True},
    )
    def fail_acceptance(self, by=None, comment=""):
        self.closed_on = timezone.localdate()

    @transition(
        field=state, source=list(ProjectState.ACTIVE), target=ProjectState.TERMINATED,
        permission=officer.refusing(_("Only bureau officers can terminate a project.")),
        custom={"label": _("Terminate"), "comment_required": True, "style": "danger"},
    )
    def terminate(self, by=None, comment=""):
        self.closed_on = timezone.localdate()


class ProjectMilestone(models.Model):
    """A milestone copied from the application at approval; due N months after the agreement is signed."""


    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    month = models.PositiveSmallIntegerField(_("due in month"))
    title = models.CharField(_("milestone"), max_length=200)
    deliverables = models.TextField(_("deliverables"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    report = models.TextField(_("progress report"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="milestones/", blank=True, max_length=300)
    evidence_name = models.CharField(max_length=200, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("project milestone")
        verbose_name_plural = _("project milestones")
        ordering = ["month", "id"]

    def __str__(self) -> str:
        return f"{self.project} M{self.month} {self.title}"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_on and not self.reported_at and timezone.localdate() > self.due_on)


class ChangeRequest(ConcurrentTransitionMixin, models.Model):
    """A change during execution (target, budget, team, deadline) that an officer approves or rejects."""


    class Kind(models.TextChoices):
        TARGET = "target", _("Targets")
        BUDGET = "budget", _("Budget")
        TEAM = "team", _("Team")
        DEADLINE = "deadline", _("Deadline")
        OBLIGATION = "obligation", _("Conversion deadline")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("what changes"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("the change and why"))
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)
    state = FSMField(_("state"), default=ChangeState.PENDING, protected=True, choices=ChangeState.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.project} {self.kind} ({self.state})"

    @property
    def institution(self):
        return self.project.institution

    @transition(field=state, source=ChangeState.PENDING, target=ChangeState.APPROVED,
                permission=officer.refusing(_("Only bureau officers can approve a change.")),
                custom={"label": _("Approve change"), "style": "primary"})
    def approve(self, by=None, comment=""):
        self.decided_by, self.decided_at = by, timezone.now()

    @transition(field=state, source=ChangeState.PENDING, target=ChangeState.REJECTED,
                permission=officer.refusing(_("Only bureau officers can reject a change.")),
                custom={"label": _("Reject change"), "comment_required": True, "style": "danger"})
    def reject(self, by=None, comment=""):
        self.decided_by, self.decided_at = by, timezone.now()


class Acceptance(models.Model):
    """An acceptance review (验收意见), scored out of 100 (Guangdong form), with the automatic-fail rules."""


    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        RECTIFY = "rectify", _("Rectification required")
        FAILED = "failed", _("Failed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="acceptances")
    attempt = models.PositiveSmallIntegerField(default=1)
    content_score = models.DecimalField(_("task content (max 20)"), max_digits=5, decimal_places=2,
                                        validators=[MinValueValidator(0), MaxValueValidator(ACCEPTANCE_MAXIMA["content_score"])])
    technical_score = models.DecimalField(_("technical indicators (max 20)"), max_digits=5, decimal_places=2,
                                          validators=[MinValueValidator(0), MaxValueValidator(ACCEPTANCE_MAXIMA["technical_score"])])
    economic_score = models.DecimalField(_("economic indicators (max 10)"), max_digits=5, decimal_places=2,
                                         validators=[MinValueValidator(0), MaxValueValidator(ACCEPTANCE_MAXIMA["economic_score"])])
    deliverables_score = models.DecimalField(_("deliverables (max 20)"), max_digits=5, decimal_places=2,
                                             validators=[MinValueValidator(0), MaxValueValidator(ACCEPTANCE_MAXIMA["deliverables_score"])])
    funds_score = models.DecimalField(_("use of funds (max 20)"), max_digits=5, decimal_places=2,
                                      validators=[MinValueValidator(0), MaxValueValidator(ACCEPTANCE_MAXIMA["funds_score"])])
    other_score = models.DecimalField(_("other (max 10)"), max_digits=5, decimal_places=2,
                                      validators=[MinValueValidator(0), MaxValueValidator(ACCEPTANCE_MAXIMA["other_score"])])
    tasks_done_percent = models.DecimalField(_("tasks done (%)"), max_digits=5, decimal_places=2,
                                             validators=[MinValueValidator(0), MaxValueValidator(100)])
    false_data = models.BooleanField(_("data found false"), default=False)
    unapproved_change = models.BooleanField(_("targets changed without approval"), default=False)
    obligation_met = models.BooleanField(_("conversion obligation met"), default=False)
    obligation_overdue = models.BooleanField(_("conversion obligation overdue"), default=False)
    opinion = models.TextField(_("acceptance opinion"))
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    auto_fail_reasons = models.JSONField(default=list, blank=True)
    days_late = models.PositiveIntegerField(default=0)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(_("reviewed on"))

    class Meta:
        verbose_name = _("acceptance review")
        verbose_name_plural = _("acceptance reviews")
        ordering = ["project_id", "attempt"]
        constraints = [models.UniqueConstraint(fields=["project", "attempt"], name="one_acceptance_per_attempt")]

    def __str__(self) -> str:
        return f"{self.project} #{self.attempt} {self.outcome}"

    SCORE_FIELDS = SCORE_FIELDS


def judge_acceptance(project: Project, *, scores: dict, tasks_done_percent, false_data: bool,
                     unapproved_change: bool, on=None, obligation=None) -> tuple[Decimal, str, list[str], int]:
    """The total, the outcome and the automatic-fail reasons of an acceptance review.

    Automatic fail: less than 80% of tasks done, data found false, targets changed without approval, or
    more than 6 months late unless an extension was approved, or the conversion obligation (``obligation``, an
    :class:`~poc.projects.obligation.ObligationStatus`) unmet and overdue without an approved extension. Otherwise: ≥ passed threshold → passed;
    ≥ rectification threshold → rectify (once); below → failed. A second attempt that does not pass fails.
    """
    from django.utils.translation import gettext

    total = sum((Decimal(str(scores[f])) for f in Acceptance.SCORE_FIELDS), Decimal("0"))
    call = project.call
    reasons = []
    if too_few_tasks_done(tasks_done_percent):
        reasons.append(gettext("Less than 80%% of the tasks are done (%(p)s%%).") % {"p": tasks_done_percent})
    if false_data:
        reasons.append(gettext("Data were found to be false."))
    if unapproved_change or project.has_unapproved_change:
        reasons.append(gettext("Targets were changed without approval."))
    late = project.days_late(on)
    if project.late_beyond_tolerance(on):
        reasons.append(gettext("The project is %(d)s days past its deadline (more than 6 months) without an approved "
                          "extension.") % {"d": late})
    if obligation is not None and obligation.overdue:
        reasons.append(obligation.failure)
    attempt = project.acceptances.count() + 1
    if reasons:
        outcome = Acceptance.Outcome.FAILED
    elif total >= call.acceptance_pass_from:
        outcome = Acceptance.Outcome.PASSED
    elif total >= call.acceptance_rectify_from and attempt == 1:
        outcome = Acceptance.Outcome.RECTIFY
    else:
        outcome = Acceptance.Outcome.FAILED
    return total, outcome, reasons, late


__all__ = ["Acceptance", "ChangeRequest", "Project", "ProjectMilestone", "ProjectState", "judge_acceptance",
           "timedelta"]
