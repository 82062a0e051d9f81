"""Serializers of designated centers (with their public facts)."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from poc.api.serializers.common import (
    CallBriefSerializer,
    InstitutionBriefSerializer,
    nested,
    unset_or_choice,
)
from poc.models import AnnualEvaluation, Center, Grade


def absolute_url(serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request else url


class EvaluationBriefSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    grade = unset_or_choice(Grade.choices)
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
        return nested(self, EvaluationBriefSerializer, center.evaluations.order_by("-data_year"), many=True)


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
