"""Serializers of post-investment monitoring: quarterly reports, material events, risks, insurance."""
from rest_framework import serializers

from funding import selectors
from funding.api.serializers.common import VisibleRelatedMixin
from funding.models import FundingDecision, InsurancePolicy, MaterialEvent, QuarterlyReport, Risk
from poc.api.serializers.common import TransitionInputSerializer


class QuarterlyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuarterlyReport
        fields = ("id", "decision", "year", "quarter", "revenue", "rd_spend", "headcount", "follow_on_financing",
                  "milestone_progress", "risks", "filed_at")
        read_only_fields = fields


class QuarterlyReportCreateSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())

    class Meta:
        model = QuarterlyReport
        fields = ("decision", "year", "quarter", "revenue", "rd_spend", "headcount", "follow_on_financing",
                  "milestone_progress", "risks")
        validators: list = []  # one report per quarter: the service answers 409


class MaterialEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaterialEvent
        fields = ("id", "decision", "occurred_on", "summary", "details")
        read_only_fields = fields


class MaterialEventCreateSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())

    class Meta:
        model = MaterialEvent
        fields = ("decision", "occurred_on", "summary", "details")


class RiskSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text="likelihood × impact.")

    class Meta:
        model = Risk
        fields = ("id", "decision", "title", "description", "likelihood", "impact", "score", "state",
                  "state_display", "disposal", "identified_at")
        read_only_fields = fields


class RiskCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)


class RiskTransitionInputSerializer(TransitionInputSerializer):
    likelihood = serializers.IntegerField(required=False, help_text="assess only: 1–5.")
    impact = serializers.IntegerField(required=False, help_text="assess only: 1–5.")


class InsurancePolicySerializer(serializers.ModelSerializer):
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = InsurancePolicy
        fields = ("id", "decision", "insurer", "product", "premium", "subsidy", "starts_on", "ends_on", "in_force")
        read_only_fields = fields


class InsurancePolicyCreateSerializer(VisibleRelatedMixin, serializers.ModelSerializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())

    class Meta:
        model = InsurancePolicy
        fields = ("decision", "insurer", "product", "premium", "subsidy", "starts_on", "ends_on")
