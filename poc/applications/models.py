"""Applications (申报) and their workflow, from draft to approval (DESIGN §2).

One model for the four kinds; kind-specific details live in one-to-one models. The transitions
below are the single source of truth for who may do what and when: pages, API, buttons and tests
ask them (through :mod:`poc.rules`), never restate them.
"""
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from poc.access import district_officer_of, officer
from poc.access.policies import institution_member
from poc.institutions.models import Institution

from . import rules
from .calls import CENTER_KINDS, PROJECT_KINDS, ApplicationKind, Call
from .states import ApplicationState

S = ApplicationState


def _custom(label, *, comment_required=False, style="", applicant_facing=False, **more):
    return {"label": label, "comment_required": comment_required, "style": style,
            "applicant_facing": applicant_facing, **more}


# The science bureau of the applicant's district (区县科技局) recommends; the city's officers do not.
district_recommender = district_officer_of("institution")


class Application(ConcurrentTransitionMixin, models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="applications",
                                    verbose_name=_("institution"))
    kind = models.CharField(_("kind"), max_length=32, choices=ApplicationKind.choices, editable=False)
    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True,
                                help_text=_("Separated by commas."))
    disciplines = models.ManyToManyField("poc.Discipline", blank=True, related_name="applications",
                                         verbose_name=_("disciplines"))
    excluded_experts = models.JSONField(
        _("experts to exclude"), default=list, blank=True,
        help_text=_("Up to 3 names of experts the applicant asks to exclude from the review (回避申请)."),
    )
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True)

    integrity_pledged_at = models.DateTimeField(_("research-integrity pledge confirmed at"), null=True, blank=True)
    integrity_pledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    ip_pledged_at = models.DateTimeField(_("IP-compliance statement confirmed at"), null=True, blank=True)
    ip_pledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revision_due = models.DateField(_("revise by"), null=True, blank=True)
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["call", "state"]), models.Index(fields=["institution", "state"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    # ------------------------------------------------------------------ facts
    @property
    def is_center(self) -> bool:
        return self.kind in CENTER_KINDS

    @property
    def is_project(self) -> bool:
        return self.kind in PROJECT_KINDS

    @property
    def is_editable(self) -> bool:
        return self.state in S.EDITABLE

    @property
    def details(self):
        return getattr(self, "center_details" if self.is_center else "project_details", None)

    def lock_for_transition(self):
        """Serialise transitions of one institution's applications (the per-call and per-round rules
        count its other applications): lock the institution's row first."""
        Institution.objects.select_for_update().filter(pk=self.institution_id).first()

    def open_objection(self):
        return self.objections.filter(resolution="").first()

    # ------------------------------------------------------------ transitions
    # Each takes ``by`` (the acting user) and ``comment``; the workflow (poc.workflow.run_transition) runs them,
    # saves, and writes the audit row.

    @transition(
        field=state, source=S.DRAFT, target=S.SUBMITTED,
        permission=institution_member.refusing(_("Only members of the applicant institution can submit this application.")),
        conditions=[rules.call_is_open, rules.institution_eligible, rules.one_application_per_call,
                    rules.one_center_application_per_round, rules.not_both_center_types,
                    rules.application_complete],
        custom=_custom(_("Submit"), style="primary", applicant_facing=True),
    )
    def submit(self, by=None, comment=""):
        self.submitted_at = timezone.now()

    @transition(
        field=state, source=[S.DRAFT, S.SUBMITTED, S.RECOMMENDED, S.RETURNED], target=S.WITHDRAWN,
        permission=institution_member.refusing(_("Only members of the applicant institution can withdraw this application.")),
        custom=_custom(_("Withdraw"), style="danger", applicant_facing=True),
    )
    def withdraw(self, by=None, comment=""):
        self.decided_at = timezone.now()

    @transition(
        field=state, source=S.SUBMITTED, target=S.RECOMMENDED,
        permission=district_recommender.refusing(
            _("Only the science bureau of the applicant's district can recommend this application.")),
        conditions=[rules.call_asks_for_district_recommendation],
        custom=_custom(_("Recommend"), comment_required=True, style="primary", actor_role="district_officer",
                       comment_label=_("Recommendation opinion (required)")),
    )
    def recommend(self, by=None, comment=""):
        """The district's science bureau recommends the application to the city (区县推荐), with its opinion."""
        self._record_district_opinion("recommended", by, comment)

    @transition(
        field=state, source=S.SUBMITTED, target=S.REJECTED,
        permission=district_recommender.refusing(
            _("Only the science bureau of the applicant's district can decline to recommend this application.")),
        conditions=[rules.call_asks_for_district_recommendation],
        custom=_custom(_("Decline to recommend"), comment_required=True, style="danger",
                       actor_role="district_officer"),
    )
    def decline_recommendation(self, by=None, comment=""):
        """The district's science bureau does not recommend it (不予推荐): the procedure ends, with the reason."""
        self._record_district_opinion("declined", by, comment)
        self.decided_at = timezone.now()

    def _record_district_opinion(self, outcome, by, comment):
        from .recommendations import record_district_opinion

        record_district_opinion(self, outcome, by, comment)

    def district_recommendation(self):
        """The district's latest opinion (a resubmitted application is recommended again), or None."""
        return self.district_recommendations.order_by("-decided_at", "-pk").first()

    @transition(
        field=state, source=S.AWAITING_FORMAL_CHECK, target=S.UNDER_REVIEW,
        permission=officer.refusing(_("Only bureau officers can pass the formal check.")),
        conditions=[rules.district_recommendation_given],
        custom=_custom(_("Pass formal check"), style="primary"),
    )
    def accept_for_review(self, by=None, comment=""):
        pass

    @transition(
        field=state, source=S.AWAITING_FORMAL_CHECK, target=S.RETURNED,
        permission=officer.refusing(_("Only bureau officers can return an application for revision.")),
        conditions=[rules.district_recommendation_given],
        custom=_custom(_("Return for revision"), comment_required=True),
    )
    def return_for_revision(self, by=None, comment=""):
        self.revision_due = timezone.localdate() + timedelta(days=self.call.revision_days)

    @transition(
        field=state, source=S.RETURNED, target=S.SUBMITTED,
        permission=institution_member.refusing(_("Only the applicant institution can resubmit this application.")),
        conditions=[rules.revision_window_open, rules.application_complete],
        custom=_custom(_("Resubmit"), style="primary", applicant_facing=True),
    )
    def resubmit(self, by=None, comment=""):
        self.submitted_at = timezone.now()
        self.revision_due = None

    @transition(
        field=state, source=S.AWAITING_FORMAL_CHECK, target=S.REJECTED,
        permission=officer.refusing(_("Only bureau officers can reject an application at the formal check.")),
        conditions=[rules.district_recommendation_given],
        custom=_custom(_("Reject at formal check"), comment_required=True, style="danger"),
    )
    def reject_formally(self, by=None, comment=""):
        self.decided_at = timezone.now()

    @transition(
        field=state, source=S.UNDER_REVIEW, target=S.REVIEWED,
        permission=officer.refusing(_("Only bureau officers can close the expert review.")),
        conditions=[rules.reviews_complete],
        custom=_custom(_("Close review"), style="primary"),
    )
    def close_review(self, by=None, comment=""):
        pass

    @transition(
        field=state, source=S.REVIEWED, target=S.PUBLIC_NOTICE,
        permission=officer.refusing(_("Only bureau officers can propose an application for approval.")),
        conditions=[rules.site_visit_recorded, rules.funding_decision_proposed, rules.notice_end_known],
        custom=_custom(_("Propose and start public notice"), style="primary"),
    )
    def propose(self, by=None, comment=""):
        today = timezone.localdate()
        self.notice_starts_on = today
        self.notice_ends_on = self.call.notice_end(today)

    @transition(
        field=state, source=S.REVIEWED, target=S.CULTIVATION,
        permission=officer.refusing(_("Only bureau officers can place an application in the cultivation pool.")),
        conditions=[rules.is_center_application],
        custom=_custom(_("Place in cultivation pool"), comment_required=True),
    )
    def to_cultivation_pool(self, by=None, comment=""):
        self.decided_at = timezone.now()

    @transition(
        field=state, source=S.REVIEWED, target=S.REJECTED,
        permission=officer.refusing(_("Only bureau officers can reject an application.")),
        custom=_custom(_("Reject"), comment_required=True, style="danger"),
    )
    def reject(self, by=None, comment=""):
        self.decided_at = timezone.now()

    @transition(
        field=state, source=S.PUBLIC_NOTICE, target=RETURN_VALUE(S.PUBLIC_NOTICE, S.OBJECTION),
        permission=officer.refusing(_("Only bureau officers can record an objection.")),
        custom=_custom(_("Record objection"), comment_required=True),
    )
    def record_objection(self, by=None, comment="", objector="", contact="", received_on=None, signed=True):
        """Record an objection received (公示异议). Only a signed one with a contact, received within the notice
        (its last day inclusive), puts the application under examination; any other is kept as not accepted
        (不予受理) with its reasons, and the application stays in public notice (see :mod:`.objections`)."""
        from poc.errors import BadInput

        from .objections import not_accepted_reasons

        received_on = received_on or timezone.localdate()
        objector, contact = (objector or "").strip(), (contact or "").strip()
        if signed and not objector:
            raise BadInput(_("A signed objection is recorded with the name of the person or body who made it."),
                           field_errors={"objector": [_("Required.")]})
        if received_on > timezone.localdate():
            raise BadInput(_("An objection cannot be received in the future."),
                           field_errors={"received_on": [_("In the future.")]})
        reasons = not_accepted_reasons(self, signed=signed, contact=contact, received_on=received_on)
        objection = Objection(application=self, objector=objector, contact=contact, content=comment, signed=signed,
                              received_on=received_on, recorded_by=by)
        if reasons:
            objection.resolution = Objection.Resolution.NOT_ACCEPTED
            objection.resolution_comment = "; ".join(reasons)
            objection.resolved_by, objection.resolved_at = by, timezone.now()
        objection.save()
        return S.PUBLIC_NOTICE if reasons else S.OBJECTION

    @transition(
        field=state, source=S.OBJECTION, target=S.PUBLIC_NOTICE,
        permission=officer.refusing(_("Only bureau officers can dismiss an objection.")),
        custom=_custom(_("Dismiss objection"), comment_required=True),
    )
    def dismiss_objection(self, by=None, comment=""):
        self._resolve_objection(Objection.Resolution.DISMISSED, by, comment)

    @transition(
        field=state, source=S.OBJECTION, target=S.REJECTED,
        permission=officer.refusing(_("Only bureau officers can uphold an objection.")),
        custom=_custom(_("Uphold objection"), comment_required=True, style="danger"),
    )
    def uphold_objection(self, by=None, comment=""):
        self._resolve_objection(Objection.Resolution.UPHELD, by, comment)
        self.decided_at = timezone.now()

    @transition(
        field=state, source=S.PUBLIC_NOTICE, target=S.APPROVED,
        permission=officer.refusing(_("Only bureau officers can approve an application.")),
        conditions=[rules.notice_period_over, rules.funding_decision_approved],
        custom=_custom(_("Approve"), style="primary"),
    )
    def approve(self, by=None, comment=""):
        from poc.projects.outcomes import create_outcome

        self.decided_at = timezone.now()
        create_outcome(self)

    def _resolve_objection(self, resolution, by, comment):
        objection = self.open_objection()
        if objection is not None:
            objection.resolution = resolution
            objection.resolution_comment = comment
            objection.resolved_by = by
            objection.resolved_at = timezone.now()
            objection.save()


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key permission table: permission-filtered lists are plain joins."""

    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class Objection(models.Model):
    """An objection received about an application in public notice (公示异议). Accepted (受理) when written under a
    real name with a contact and received within the notice; otherwise kept as not accepted (不予受理)."""

    class Resolution(models.TextChoices):
        OPEN = "", _("Open")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    objector = models.CharField(_("objector"), max_length=200, blank=True)
    signed = models.BooleanField(_("signed"), default=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True,
                               help_text=_("How to reach the objector: phone, address or email."))
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("content"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    resolution = models.CharField(_("resolution"), max_length=16, choices=Resolution.choices, blank=True, default="")
    resolution_comment = models.TextField(_("resolution reason"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} / {self.objector}"

    @property
    def accepted(self) -> bool:
        return self.resolution != self.Resolution.NOT_ACCEPTED


class SiteVisit(models.Model):
    """A site visit (现场考察) to a center applicant, recorded while the application is reviewed."""


    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="site_visits")
    visited_on = models.DateField(_("visited on"))
    experts = models.TextField(_("experts present"), blank=True)
    findings = models.TextField(_("findings"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    recommendation = models.TextField(_("recommendation"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} @ {self.visited_on}"
