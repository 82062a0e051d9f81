"""Serializers of calls and of the discipline taxonomy."""
from rest_framework import serializers

from poc.applications.calls import RULE_FIELDS
from poc.models import AttachmentType, Call, Discipline, InstitutionType


class CallSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_open = serializers.SerializerMethodField()
    notice_length = serializers.CharField(read_only=True, help_text="The public notice's length in words, e.g. "
                                                                    "\"5 working days\".")
    eligible_institution_types = serializers.ListField(child=serializers.ChoiceField(InstitutionType.choices))
    required_attachment_types = serializers.ListField(child=serializers.ChoiceField(AttachmentType.choices))
    rules_frozen = serializers.SerializerMethodField(
        help_text="Why the call's rules can no longer change (an application reached expert review); null while "
                  "officers may still change them.")

    class Meta:
        model = Call
        fields = ("id", "kind", "kind_display", "round", "title", "guideline", "opens_at", "closes_at", "budget",
                  "eligible_institution_types", "required_attachment_types", "notice_length", "revision_days",
                  "site_visit_required", "requires_district_recommendation", *RULE_FIELDS, "rules_frozen", "published",
                  "is_open", "created_at")
        read_only_fields = fields

    def get_is_open(self, call) -> bool:
        return call.is_open()

    def get_rules_frozen(self, call) -> str | None:
        return call.rules_frozen_reason()


class CallInputSerializer(serializers.ModelSerializer):
    eligible_institution_types = serializers.ListField(child=serializers.ChoiceField(InstitutionType.choices))
    required_attachment_types = serializers.ListField(
        child=serializers.ChoiceField(AttachmentType.choices), required=False
    )

    class Meta:
        model = Call
        fields = ("kind", "round", "title", "guideline", "opens_at", "closes_at", "budget",
                  "eligible_institution_types", "required_attachment_types", "revision_days", "site_visit_required",
                  "requires_district_recommendation", *RULE_FIELDS)


class DisciplineSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text="The parent discipline's code; null for a top-level one.")

    class Meta:
        model = Discipline
        fields = ("code", "name_zh", "name_en", "parent")
        read_only_fields = fields
