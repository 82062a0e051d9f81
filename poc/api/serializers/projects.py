"""Serializers of funded projects and their records: milestones, change requests, acceptance."""
from django.urls import reverse
from rest_framework import serializers

from poc.api.serializers.centers import absolute_url
from poc.api.serializers.common import CallBriefSerializer, InstitutionBriefSerializer
from poc.models import Acceptance, ChangeRequest, Project, ProjectMilestone
from poc.projects import selectors as project_selectors
from poc.projects import services as project_services
from poc.projects.thresholds import ACCEPTANCE_MAXIMA, MIN_TASKS_DONE_PERCENT


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
        return absolute_url(self, reverse("api:project-milestone-evidence", kwargs={"pk": milestone.pk}))


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
        return absolute_url(self, reverse("api:project-agreement", kwargs={"pk": project.pk}))


class TransferRecordSerializer(serializers.Serializer):
    kind = serializers.CharField()
    reference = serializers.CharField()
    dated_on = serializers.DateField()


class ObligationStatusSerializer(serializers.Serializer):
    due_on = serializers.DateField(allow_null=True, help_text="The deadline (inclusive), as extended.")
    fixed_due_on = serializers.DateField(allow_null=True, help_text="The deadline fixed at approval.")
    extended = serializers.BooleanField(help_text="An approved conversion-deadline change moved it.")
    met = serializers.BooleanField(help_text="A transfer record is dated on or before the deadline.")
    overdue = serializers.BooleanField(help_text="Unmet and past the deadline.")
    summary = serializers.CharField()
    records = TransferRecordSerializer(many=True)


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
    conversion_obligation = ObligationStatusSerializer(
        source="obligation_today", read_only=True,
        help_text="The conversion obligation today, derived from the project's transfer records: what the "
                  "acceptance review will check (unmet and overdue: an automatic fail).")

    class Meta(ProjectSerializer.Meta):
        fields = ProjectSerializer.Meta.fields + ("approved_deadline", "days_late", "late_beyond_tolerance",
                                                  "milestones", "conversion_obligation")
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


class AcceptanceSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    project_state = serializers.CharField(source="project.state", read_only=True,
                                          help_text="The project's state after this review.")

    class Meta:
        model = Acceptance
        fields = ("id", "project", "attempt", *Acceptance.SCORE_FIELDS, "tasks_done_percent", "false_data",
                  "unapproved_change", "obligation_met", "obligation_overdue", "opinion", "total", "outcome", "outcome_display",
                  "auto_fail_reasons", "days_late", "reviewed_on", "project_state")
        read_only_fields = fields


def _score(name: str, label: str):
    return serializers.DecimalField(max_digits=5, decimal_places=2, help_text=f"{label}, 0–{ACCEPTANCE_MAXIMA[name]}.")


class AcceptanceCreateSerializer(serializers.Serializer):
    """An acceptance review on the 100-point form (Guangdong): task completion 70, use of funds 20, other 10."""

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    content_score = _score("content_score", "Task content")
    technical_score = _score("technical_score", "Technical indicators")
    economic_score = _score("economic_score", "Economic indicators")
    deliverables_score = _score("deliverables_score", "Deliverables")
    funds_score = _score("funds_score", "Use of funds")
    other_score = _score("other_score", "Other")
    tasks_done_percent = serializers.DecimalField(max_digits=5, decimal_places=2,
                                                  help_text=f"Share of the tasks done, 0–100 (below {MIN_TASKS_DONE_PERCENT}: automatic fail).")
    false_data = serializers.BooleanField(default=False, help_text="Data were found to be false (automatic fail).")
    unapproved_change = serializers.BooleanField(
        default=False, help_text="Targets were changed without approval (automatic fail; also found from the "
                                 "project's pending or rejected target changes).")
    opinion = serializers.CharField(allow_blank=True, help_text="The acceptance opinion (required).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = project_selectors.projects_visible_to(request.user)
