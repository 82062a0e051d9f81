"""Serializer helpers and brief references the review resources share."""
from rest_framework import serializers

from poc.access import can
from poc.models import Application
from review.models import Expert


def viewer_of(serializer):
    request = serializer.context.get("request")
    return request.user if request is not None else None


def viewer_may(serializer, action: str, obj) -> bool:
    """Whether the request's user may ``action`` ``obj``: the access policy (review/policies.py) decides what a
    serializer shows (an expert's identity, how an assignment was made), never the serializer itself."""
    user = viewer_of(serializer)
    return bool(user is not None and can(user, action, obj))


class ApplicationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ("id", "number", "title", "call")
        read_only_fields = fields


class ExpertBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expert
        fields = ("id", "name")
        read_only_fields = fields
