"""Serializers of automatic assignment and the random draw: the action, the proposed plan, the commit."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from review.api.serializers.assignments import AssignmentSerializer


class MatchingActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("preview", "preview"), ("commit", "commit")], default="preview",
                                     help_text="`preview` computes the plan, `commit` saves the previewed plan.")
    digest = serializers.CharField(required=False, max_length=64,
                                   help_text="commit only: the digest of the preview being confirmed.")

    def validate(self, attrs):
        if attrs.get("action") == "commit" and not attrs.get("digest"):
            raise serializers.ValidationError({"digest": [_("Required to commit: send the digest of the preview.")]})
        return attrs


SEED_MAX = 2**63 - 1


class DrawActionSerializer(MatchingActionSerializer):
    seed = serializers.IntegerField(
        required=False, min_value=0, max_value=SEED_MAX,
        help_text="preview: draw with this seed (a fresh one if absent); commit: the seed of the preview.")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("action") == "commit" and attrs.get("seed") is None:
            raise serializers.ValidationError({"seed": [_("Required to commit: send the seed of the preview.")]})
        return attrs


class DrawQuerySerializer(serializers.Serializer):
    seed = serializers.IntegerField(required=False, min_value=0, max_value=SEED_MAX)


class MatchingPairSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application.pk")
    application_number = serializers.CharField(source="application.number")
    application_title = serializers.CharField(source="application.title")
    expert = serializers.IntegerField(source="expert.pk")
    expert_name = serializers.CharField(source="expert.name")
    affinity = serializers.FloatField(allow_null=True, help_text="Optimal assignment only.")


class MatchingPlanSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=[("optimal", "optimal"), ("draw", "draw")])
    seed = serializers.IntegerField(allow_null=True, help_text="Random draw: the seed to send back to commit.")
    digest = serializers.CharField(help_text="Send it back to commit exactly this plan.")
    total_affinity = serializers.FloatField()
    count = serializers.SerializerMethodField()
    pairs = MatchingPairSerializer(source="rows", many=True)

    def get_count(self, plan) -> int:
        return len(plan.rows)


class MatchingCommitSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    assignments = AssignmentSerializer(many=True)
