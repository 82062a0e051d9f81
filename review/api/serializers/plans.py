"""Serializers of a call's review plan and its rubric."""
from decimal import Decimal

from rest_framework import serializers

from review.models import Criterion, ReviewPlan


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ("code", "name", "description", "weight", "max_score", "comment_required", "position")
        read_only_fields = fields


class CriterionInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=32)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, default=Decimal("1"))
    max_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    comment_required = serializers.BooleanField(required=False, default=False)


class ReviewPlanSerializer(serializers.ModelSerializer):
    frozen = serializers.BooleanField(read_only=True, help_text="A review under it was submitted: the rubric is fixed.")
    max_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewPlan
        fields = ("call", "experts_per_application", "deadline", "trim_min_reviews", "divergence_threshold",
                  "ranking_aggregate", "calibration_min_reviews", "frozen", "max_total", "criteria")
        read_only_fields = fields


class ReviewPlanUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewPlan
        fields = ("experts_per_application", "deadline", "trim_min_reviews", "divergence_threshold",
                  "ranking_aggregate", "calibration_min_reviews")


class RubricSerializer(serializers.Serializer):
    criteria = CriterionInputSerializer(many=True, allow_empty=False,
                                        help_text="The new rubric, in order; it replaces the current one.")
