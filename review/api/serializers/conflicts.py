"""Serializers of conflicts of interest (declared or pinned)."""
from rest_framework import serializers

from poc.models import Application
from review.models import Conflict, Expert


class ConflictSerializer(serializers.ModelSerializer):
    application_number = serializers.CharField(source="application.number", read_only=True)
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Conflict
        fields = ("id", "application", "application_number", "expert", "expert_name", "source", "source_display",
                  "reason", "recorded_by", "created_at")
        read_only_fields = fields

    def get_recorded_by(self, conflict) -> str | None:
        by = conflict.recorded_by
        return (by.get_full_name() or by.username) if by else None


class ConflictPinSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all(), help_text="Application id.")
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.all(), help_text="Expert id.")
    reason = serializers.CharField(help_text="Why the expert must not review the application.")
