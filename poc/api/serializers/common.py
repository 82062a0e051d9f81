"""Serializers several resources share (also review's and funding's): brief references and workflow transitions."""
from rest_framework import serializers

from poc.models import Call, Institution


def nested(parent, serializer_class, value, *, many: bool = False, context: dict | None = None):
    """``serializer_class(value, many=many, context=context).data`` for a method field, with the nested
    serializer's fields built once per ``parent`` (a list's row serializer is one object for every row) instead of
    once per row: building a model serializer's fields reads every model field's label and help text."""
    cache = parent.__dict__.setdefault("_nested_serializers", {})
    key = (serializer_class, many)
    if key not in cache:
        cache[key] = serializer_class(many=many, context=context or {})
    return cache[key].to_representation(value)


def unset_or_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A read-only choice that may still be unset (""). DRF drops ``allow_blank`` from a model field listed in
    ``read_only_fields``, and the published schema would then promise one of the choices."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, **kwargs)


class CallBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Call
        fields = ("id", "title", "kind", "round")
        read_only_fields = fields


class InstitutionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ("id", "name")
        read_only_fields = fields


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    needs_comment = serializers.BooleanField()
    target = serializers.CharField(allow_null=True, help_text="The state it leads to; null when it depends on the outcome (e.g. a decision is approved only once every part is).")
    allowed = serializers.BooleanField()
    status = serializers.IntegerField(help_text="200 allowed, 403 not for this user, 409 not now.")
    reasons = serializers.ListField(child=serializers.CharField())


class TransitionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="The reason; required by transitions that say `needs_comment`.")
