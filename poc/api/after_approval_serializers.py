"""Serializers of life after approval: centers, annual evaluations, projects, milestones, changes, acceptance.

As in :mod:`poc.api.serializers`: input serializers only parse; every rule and write lives in
:mod:`poc.centers.services` and :mod:`poc.projects.services`. Output serializers show what the
selectors (:mod:`poc.centers.selectors`, :mod:`poc.projects.selectors`) let the caller see. Officers' names are never shown
(an applicant sees "the bureau", as in an application's history).
"""
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from poc.centers import selectors
from poc.centers.services import EVALUATION_FIELDS
from poc.models import (
    Acceptance,
    AnnualEvaluation,
    Center,
    ChangeRequest,
    EvaluationEvidence,
    Project,
    ProjectMilestone,
)
from poc.projects import selectors as project_selectors
from poc.projects import services as project_services

from .serializers import CallBriefSerializer, InstitutionBriefSerializer, TransitionInputSerializer


def _absolute(serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request else url


# --------------------------------------------------------------------- centers


class EvaluationBriefSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = AnnualEvaluation
        fields = ("id", "data_year", "state", "state_display", "score", "grade", "grade_display")
        read_only_fields = fields


class CenterSerializer(serializers.ModelSerializer):
    """A designated center as its institution and the bureau see it."""

    institution = InstitutionBriefSerializer(read_only=True)
    call = CallBriefSerializer(source="application.call", read_only=True)
    center_type_display = serializers.CharField(source="get_center_type_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    service_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Center
        fields = ("id", "designation_number", "name", "center_type", "center_type_display", "institution",
                  "application", "call", "designated_on", "valid_until", "services", "service_labels", "contact",
                  "state", "state_display", "rectification_due", "revoked_on", "subsidy_recovery")
        read_only_fields = fields


class CenterDetailSerializer(CenterSerializer):
    evaluations = serializers.SerializerMethodField(help_text="The center's annual evaluations, newest data year first.")

    class Meta(CenterSerializer.Meta):
        fields = CenterSerializer.Meta.fields + ("evaluations",)
        read_only_fields = fields

    @extend_schema_field(EvaluationBriefSerializer(many=True))
    def get_evaluations(self, center):
        return EvaluationBriefSerializer(center.evaluations.order_by("-data_year"), many=True).data


class PublicCenterSerializer(serializers.ModelSerializer):
    """Public facts only: what the plaque and the published list say. No evaluation, no state, no contact."""

    institution_name = serializers.CharField(source="institution.name", read_only=True)
    district = serializers.CharField(source="institution.district", read_only=True)
    center_type_display = serializers.CharField(source="get_center_type_display", read_only=True)
    service_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Center
        fields = ("id", "designation_number", "name", "center_type", "center_type_display", "institution_name",
                  "district", "designated_on", "valid_until", "services", "service_labels")
        read_only_fields = fields


# ----------------------------------------------------------------- evaluations


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationEvidence
        fields = ("id", "title", "original_name", "content_type", "size", "sha256", "uploaded_at", "download_url")
        read_only_fields = fields

    def get_download_url(self, evidence) -> str:
        return _absolute(self, reverse("api:evaluation-evidence-download",
                                       kwargs={"evaluation_pk": evidence.evaluation_id, "pk": evidence.pk}))


class EvidenceUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, PNG or JPEG; checked by content.")


class EvaluationSerializer(serializers.ModelSerializer):
    center = serializers.PrimaryKeyRelatedField(read_only=True)
    center_name = serializers.CharField(source="center.name", read_only=True)
    center_state = serializers.CharField(source="center.state", read_only=True,
                                         help_text="The center's state (scoring moves it).")
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    missing_items = serializers.SerializerMethodField(help_text="What must still be supplied before filing.")

    class Meta:
        model = AnnualEvaluation
        fields = ("id", "center", "center_name", "center_state", "data_year", "state", "state_display",
                  *EVALUATION_FIELDS, "filed_at", "score", "grade", "grade_display", "scored_at", "evidence",
                  "missing_items", "created_at")
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_items(self, evaluation) -> list[str]:
        return evaluation.missing_items() if evaluation.state == "draft" else []


class EvaluationCreateSerializer(serializers.Serializer):
    center = serializers.PrimaryKeyRelatedField(queryset=Center.objects.none())
    data_year = serializers.IntegerField(help_text="A past calendar year, from the designation year on.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # An invisible center is as unknown as a missing one.
            self.fields["center"].queryset = selectors.centers_visible_to(request.user)


class EvaluationUpdateSerializer(serializers.ModelSerializer):
    """The metrics of a draft evaluation (the institution's own numbers for the data year)."""

    class Meta:
        model = AnnualEvaluation
        fields = EVALUATION_FIELDS


class EvaluationTransitionInputSerializer(TransitionInputSerializer):
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False,
        help_text="record_score only: the score, 0–100 (two decimals); the grade follows the call's thresholds.")


# -------------------------------------------------------------------- projects


class ProjectMilestoneSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True, help_text="Due date passed and no report yet.")
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = ProjectMilestone
        fields = ("id", "project", "month", "title", "deliverables", "due_on", "is_overdue", "report",
                  "reported_at", "evidence_name", "evidence_url")
        read_only_fields = fields

    def get_evidence_url(self, milestone) -> str | None:
        if not milestone.evidence:
            return None
        return _absolute(self, reverse("api:project-milestone-evidence", kwargs={"pk": milestone.pk}))


class MilestoneReportSerializer(serializers.Serializer):
    report = serializers.CharField(help_text="The progress report on this milestone.")
    evidence = serializers.FileField(required=False, help_text="Optional evidence: PDF, DOCX, XLSX, PNG or JPEG.")


class MilestoneReportTextSerializer(serializers.Serializer):
    report = serializers.CharField(help_text="The progress report on this milestone.")


class ProjectSerializer(serializers.ModelSerializer):
    """A project in a list (the deadline as moved by approved changes, and lateness, are on the detail)."""

    institution = InstitutionBriefSerializer(read_only=True)
    call = CallBriefSerializer(source="application.call", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    has_agreement = serializers.SerializerMethodField()
    agreement_url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ("id", "project_number", "title", "kind", "kind_display", "institution", "application", "call",
                  "state", "state_display", "approved_on", "signed_on", "duration_months", "due_on", "is_major",
                  "obligation", "obligation_due_on", "rectification_due", "closed_on", "has_agreement",
                  "agreement_url")
        read_only_fields = fields

    def get_has_agreement(self, project) -> bool:
        return bool(project.agreement)

    def get_agreement_url(self, project) -> str | None:
        if not project.agreement:
            return None
        return _absolute(self, reverse("api:project-agreement", kwargs={"pk": project.pk}))


class ProjectDetailSerializer(ProjectSerializer):
    approved_deadline = serializers.DateField(read_only=True, allow_null=True,
                                              help_text="The due date, moved by the last approved deadline change.")
    days_late = serializers.SerializerMethodField(
        help_text="Days past the approved deadline (0 if not late): on the day acceptance was requested once it "
                  "was, else today; what the acceptance review will count.")
    late_beyond_tolerance = serializers.SerializerMethodField(
        help_text="More than six calendar months past the approved deadline on that same day: an automatic fail "
                  "at acceptance.")
    milestones = ProjectMilestoneSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = ProjectSerializer.Meta.fields + ("approved_deadline", "days_late", "late_beyond_tolerance",
                                                  "milestones")
        read_only_fields = fields

    def _measured_on(self, project):
        if not hasattr(project, "_acceptance_requested_on"):
            project._acceptance_requested_on = project_services.acceptance_requested_on(project)
        return project._acceptance_requested_on

    def get_days_late(self, project) -> int:
        return project.days_late(self._measured_on(project))

    def get_late_beyond_tolerance(self, project) -> bool:
        return project.late_beyond_tolerance(self._measured_on(project))


class AgreementUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The task agreement (任务书) signed by both sides, as a PDF.")


# ------------------------------------------------------------- change requests


class ChangeRequestSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    project_number = serializers.CharField(source="project.project_number", read_only=True)

    class Meta:
        model = ChangeRequest
        fields = ("id", "project", "project_number", "kind", "kind_display", "description", "new_due_on", "state",
                  "state_display", "requested_at", "decided_at")
        read_only_fields = fields


class ChangeRequestCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    kind = serializers.ChoiceField(ChangeRequest.Kind.choices)
    description = serializers.CharField(help_text="The change and why.")
    new_due_on = serializers.DateField(required=False, allow_null=True,
                                       help_text="Deadline changes only: the new due date.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = project_selectors.projects_visible_to(request.user)


# ------------------------------------------------------------------ acceptance


class AcceptanceSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    project_state = serializers.CharField(source="project.state", read_only=True,
                                          help_text="The project's state after this review.")

    class Meta:
        model = Acceptance
        fields = ("id", "project", "attempt", *Acceptance.SCORE_FIELDS, "tasks_done_percent", "false_data",
                  "unapproved_change", "obligation_met", "opinion", "total", "outcome", "outcome_display",
                  "auto_fail_reasons", "days_late", "reviewed_on", "project_state")
        read_only_fields = fields


def _score(maximum: int, label: str):
    return serializers.DecimalField(max_digits=5, decimal_places=2, help_text=f"{label}, 0–{maximum}.")


class AcceptanceCreateSerializer(serializers.Serializer):
    """An acceptance review on the 100-point form (Guangdong): task completion 70, use of funds 20, other 10."""

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    content_score = _score(20, "Task content")
    technical_score = _score(20, "Technical indicators")
    economic_score = _score(10, "Economic indicators")
    deliverables_score = _score(20, "Deliverables")
    funds_score = _score(20, "Use of funds")
    other_score = _score(10, "Other")
    tasks_done_percent = serializers.DecimalField(max_digits=5, decimal_places=2,
                                                  help_text="Share of the tasks done, 0–100 (below 80: automatic fail).")
    false_data = serializers.BooleanField(default=False, help_text="Data were found to be false (automatic fail).")
    unapproved_change = serializers.BooleanField(
        default=False, help_text="Targets were changed without approval (automatic fail; also found from the "
                                 "project's pending or rejected target changes).")
    obligation_met = serializers.BooleanField(default=False, help_text="The conversion obligation is met.")
    opinion = serializers.CharField(allow_blank=True, help_text="The acceptance opinion (required).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = project_selectors.projects_visible_to(request.user)
