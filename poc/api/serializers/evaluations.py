"""Serializers of annual evaluations and their evidence."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from poc.api.serializers.centers import absolute_url
from poc.api.serializers.common import TransitionInputSerializer, unset_or_choice
from poc.centers import selectors
from poc.centers.services import EVALUATION_FIELDS
from poc.models import AnnualEvaluation, Center, EvaluationEvidence, EvaluationState, Grade


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationEvidence
        fields = ("id", "title", "original_name", "content_type", "size", "sha256", "uploaded_at", "download_url")
        read_only_fields = fields

    def get_download_url(self, evidence) -> str:
        return absolute_url(self, reverse("api:evaluation-evidence-download",
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
    grade = unset_or_choice(Grade.choices)
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
        return evaluation.missing_items() if evaluation.state == EvaluationState.DRAFT else []


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
