"""Serializers of applications: the application, its details and rows, attachments, history and its own transition input."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from poc.api.serializers.common import (
    CallBriefSerializer,
    InstitutionBriefSerializer,
    TransitionInputSerializer,
    nested,
)
from poc.applications import selectors
from poc.applications.completeness import missing_items
from poc.models import (
    Application,
    Attachment,
    AttachmentType,
    BudgetLine,
    Call,
    Center,
    CenterDetails,
    Discipline,
    DistrictRecommendation,
    IPItem,
    Objection,
    PlannedMilestone,
    ProjectDetails,
    ServiceOffered,
    TeamMember,
)


class CenterDetailsSerializer(serializers.ModelSerializer):
    services = serializers.ListField(child=serializers.ChoiceField(ServiceOffered.choices), required=False)

    class Meta:
        model = CenterDetails
        fields = ("site_area_m2", "equipment_value", "service_team_size", "services", "audited_spend_last_year",
                  "audited_spend_year_before", "advisory_panel", "pipeline_size")


class ProjectDetailsSerializer(serializers.ModelSerializer):
    hosting_center = serializers.PrimaryKeyRelatedField(
        queryset=Center.objects.all(), allow_null=True, required=False,
        help_text="A designated center hosting the project (must be active).",
    )
    total_budget = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = ProjectDetails
        fields = ("trl_now", "trl_target", "duration_months", "requested_grant", "requested_investment",
                  "self_funded", "total_budget", "market_analysis", "hosting_center")


class IPItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = IPItem
        fields = ("id", "number", "title", "ip_type", "owner", "status")


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ("id", "name", "role", "title", "organisation", "is_lead")


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ("id", "category", "source", "amount", "note")


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedMilestone
        fields = ("id", "month", "title", "deliverables")


ROW_SERIALIZERS = {
    "ip_items": IPItemSerializer,
    "team_members": TeamMemberSerializer,
    "budget_lines": BudgetLineSerializer,
    "milestones": MilestoneSerializer,
}


class AttachmentSerializer(serializers.ModelSerializer):
    attachment_type_display = serializers.CharField(source="get_attachment_type_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ("id", "attachment_type", "attachment_type_display", "original_name", "content_type", "size",
                  "sha256", "uploaded_at", "download_url")
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        url = reverse("api:application-attachments-download",
                      kwargs={"application_pk": attachment.application_id, "pk": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttachmentUploadSerializer(serializers.Serializer):
    attachment_type = serializers.ChoiceField(AttachmentType.choices)
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, PNG or JPEG; checked by content.")


class ApplicationSerializer(serializers.ModelSerializer):
    """An application in a list: no rows, no checklist."""

    call = CallBriefSerializer(read_only=True)
    institution = InstitutionBriefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Application
        fields = ("id", "number", "kind", "kind_display", "title", "state", "state_display", "call", "institution",
                  "submitted_at", "revision_due", "notice_starts_on", "notice_ends_on", "decided_at", "created_at",
                  "updated_at")
        read_only_fields = fields


class ObjectionSerializer(serializers.Serializer):
    """An objection received during the public notice (公示异议), accepted or not (不予受理)."""

    id = serializers.IntegerField()
    received_on = serializers.DateField()
    signed = serializers.BooleanField(help_text="Signed with the objector's real name (实名).")
    accepted = serializers.BooleanField(
        help_text="Accepted (受理): signed, with a contact, received within the notice. One not accepted changed "
                  "nothing on the application.")
    objector = serializers.CharField(allow_null=True, help_text="Officers only (null for others).")
    contact = serializers.CharField(allow_null=True, help_text="Officers only (null for others).")
    content = serializers.CharField()
    resolution = serializers.CharField(allow_blank=True, help_text="'' open, dismissed, upheld or not_accepted.")
    resolution_display = serializers.CharField()
    reason = serializers.CharField(allow_blank=True,
                                   help_text="Why it was not accepted, or why it was dismissed or upheld.")


class DistrictRecommendationSerializer(serializers.ModelSerializer):
    """The opinion of the science bureau of the applicant's district (区县推荐意见); the person who signed it is not
    named, the bureau is."""

    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = DistrictRecommendation
        fields = ("district", "bureau", "outcome", "outcome_display", "opinion", "decided_at")
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    """One application with its details, rows, attachments and what it still lacks."""

    center_details = serializers.SerializerMethodField()
    project_details = serializers.SerializerMethodField()
    ip_items = IPItemSerializer(many=True, read_only=True)
    team_members = TeamMemberSerializer(many=True, read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    disciplines = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True,
                                               help_text="Discipline codes (see `disciplines/`).")
    excluded_experts = serializers.SerializerMethodField(
        help_text="Experts the applicant asked to exclude (回避申请); shown to the applicant and officers only "
                  "(null for others)."
    )
    missing_items = serializers.SerializerMethodField(
        help_text="The completeness checklist: what must still be supplied before submitting."
    )
    objections = serializers.SerializerMethodField(help_text="Objections received during the public notice.")
    district_recommendations = DistrictRecommendationSerializer(
        many=True, read_only=True,
        help_text="The district's opinions (区县推荐), latest last, where the call asks for a recommendation.")

    class Meta(ApplicationSerializer.Meta):
        fields = ApplicationSerializer.Meta.fields + (
            "summary", "keywords", "disciplines", "excluded_experts", "integrity_pledged_at", "ip_pledged_at", "center_details", "project_details",
            "ip_items", "team_members", "budget_lines", "milestones", "attachments", "missing_items", "objections",
            "district_recommendations",
        )
        read_only_fields = fields

    @extend_schema_field(CenterDetailsSerializer(allow_null=True))
    def get_center_details(self, application):
        details = getattr(application, "center_details", None) if application.is_center else None
        return CenterDetailsSerializer(details, context=self.context).data if details else None

    @extend_schema_field(ProjectDetailsSerializer(allow_null=True))
    def get_project_details(self, application):
        details = getattr(application, "project_details", None) if application.is_project else None
        return ProjectDetailsSerializer(details, context=self.context).data if details else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_items(self, application) -> list[str]:
        return missing_items(application)

    @extend_schema_field(ObjectionSerializer(many=True))
    def get_objections(self, application):
        request = self.context.get("request")
        rows = selectors.objections_visible_to(request.user, application) if request else []
        return nested(self, ObjectionSerializer, rows, many=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_excluded_experts(self, application):
        request = self.context.get("request")
        return selectors.excluded_experts_visible_to(request.user, application) if request else None


class ApplicationCreateSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.none())
    title = serializers.CharField(max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only calls the caller can see: an invisible call is as unknown as a missing one.
            self.fields["call"].queryset = selectors.calls_visible_to(request.user)


class ApplicationUpdateSerializer(serializers.ModelSerializer):
    """Basics plus the kind's details, nested as they are read: send `center_details` or `project_details`."""

    center_details = CenterDetailsSerializer(required=False)
    project_details = ProjectDetailsSerializer(required=False)

    class Meta:
        model = Application
        fields = ("title", "summary", "keywords", "center_details", "project_details")


class ReviewPreferencesSerializer(serializers.Serializer):
    disciplines = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Discipline.objects.all(),
        help_text="Discipline codes (see `disciplines/`); they replace the current ones.",
    )
    excluded_experts = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, default=list,
        help_text="Up to 3 names of experts to exclude from the review (回避申请); they replace the current ones.",
    )


class PledgesSerializer(serializers.Serializer):
    integrity = serializers.BooleanField(help_text="I confirm the research-integrity pledge (科研诚信承诺书).")
    ip_compliance = serializers.BooleanField(help_text="I confirm the IP-compliance statement (知识产权合规声明).")


class HistoryEntrySerializer(serializers.Serializer):
    """One audit row as the caller may see it (applicants see a role, never an officer's or expert's name)."""

    at = serializers.DateTimeField()
    transition = serializers.CharField(help_text="The transition code, or `create`.")
    label = serializers.CharField()
    actor = serializers.CharField(help_text="A name for officers; for others a role unless the step was the applicant's.")
    source_label = serializers.CharField(source="source", allow_blank=True)
    target_label = serializers.CharField(source="target")
    comment = serializers.CharField(allow_blank=True)


class ApplicationTransitionInputSerializer(TransitionInputSerializer):
    objector = serializers.CharField(required=False, allow_blank=True,
                                     max_length=Objection._meta.get_field("objector").max_length,
                                     help_text="record_objection only: who objected.")
    contact = serializers.CharField(required=False, allow_blank=True,
                                    max_length=Objection._meta.get_field("contact").max_length,
                                    help_text="record_objection only: how to reach the objector (phone, address).")
    received_on = serializers.DateField(required=False, help_text="record_objection only: date received.")
    signed = serializers.BooleanField(required=False, help_text="record_objection only: the objection is signed "
                                                                "with the objector's real name (实名).")
