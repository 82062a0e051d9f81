"""Serializer helpers and brief references the review resources share."""
from rest_framework import serializers

from poc.models import Application
from poc.roles import is_officer
from review.models import Expert


def viewer_of(serializer):
    request = serializer.context.get("request")
    return request.user if request is not None else None


def officer_view(serializer) -> bool:
    user = viewer_of(serializer)
    return bool(user is not None and is_officer(user))


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
