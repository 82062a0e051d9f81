"""Serializers of a call's ranking and the experts' calibration."""
from rest_framework import serializers

from poc.models import Application
from review.models import Aggregate


class RankingApplicationSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Application
        fields = ("id", "number", "title", "institution_name", "state")
        read_only_fields = fields


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="Position after the tie rule.")
    shared_rank = serializers.IntegerField(help_text="Competition rank: equal aggregates share it.")
    application = RankingApplicationSerializer()
    n_reviews = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    trimmed_mean = serializers.FloatField(allow_null=True)
    trimmed = serializers.BooleanField(help_text="The highest and the lowest score were dropped.")
    std = serializers.FloatField(allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    divergent = serializers.BooleanField(help_text="The spread exceeds the plan's threshold: discuss it.")
    calibrated_mean = serializers.FloatField(allow_null=True, help_text="Beside the raw aggregates, never instead.")
    score = serializers.FloatField(allow_null=True, help_text="The plan's ranking aggregate.")


class CalibrationExpertSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    bias = serializers.FloatField(help_text="> 0 lenient, < 0 harsh (points of the total).")
    reviews = serializers.IntegerField()
    too_few_reviews = serializers.BooleanField(help_text="Not calibrated (bias 0).")
    group = serializers.IntegerField(help_text="Experts linked by shared applications share a group.")


class CalibrationSerializer(serializers.Serializer):
    min_reviews = serializers.IntegerField()
    converged = serializers.BooleanField()
    iterations = serializers.IntegerField()
    residual_rms = serializers.FloatField()
    experts = CalibrationExpertSerializer(
        many=True, allow_null=True, help_text="Per expert, for officers only (null for fund managers).")


class RankingSerializer(serializers.Serializer):
    call = serializers.IntegerField()
    aggregate = serializers.ChoiceField(choices=Aggregate.choices, help_text="What `score` is.")
    trim_min_reviews = serializers.IntegerField()
    divergence_threshold = serializers.DecimalField(max_digits=6, decimal_places=2)
    max_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    rows = RankingRowSerializer(many=True)
    calibration = CalibrationSerializer(allow_null=True)
