"""Serializers of assignments (an expert assigned to an application)."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from poc.api.serializers.common import nested
from poc.models import Application
from review.api.serializers.common import (
    ApplicationBriefSerializer,
    ExpertBriefSerializer,
    viewer_may,
)
from review.models import Assignment, Expert


class AssignmentSerializer(serializers.ModelSerializer):
    """An assignment. ``expert`` is shown to officers and to the expert themselves; ``affinity``,
    ``draw_seed``, ``assigned_by`` and ``voided_reason`` to officers only (null for others)."""

    application = ApplicationBriefSerializer(read_only=True)
    expert = serializers.SerializerMethodField()
    review = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True,
                                                help_text="The review's id (see `reviews/`); null until it exists.")
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    assigned_by = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ("id", "application", "expert", "review", "state", "state_display", "method", "method_display",
                  "affinity", "draw_seed", "assigned_by", "assigned_at", "voided_at", "voided_reason")
        read_only_fields = fields

    OFFICER_ONLY = ("affinity", "draw_seed", "voided_reason")

    @extend_schema_field(ExpertBriefSerializer(allow_null=True))
    def get_expert(self, assignment):
        if viewer_may(self, "view_expert", assignment):
            return nested(self, ExpertBriefSerializer, assignment.expert)
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assigned_by(self, assignment):
        if not viewer_may(self, "view_details", assignment):
            return None
        by = assignment.assigned_by
        return by.get_full_name() or by.username

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not viewer_may(self, "view_details", instance):
            for name in self.OFFICER_ONLY:
                data[name] = None
        return data

    def get_fields(self):
        fields = super().get_fields()
        for name in self.OFFICER_ONLY:
            fields[name].allow_null = True
        return fields


class AssignmentCreateSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all(), help_text="Application id.")
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.all(), help_text="Expert id.")
