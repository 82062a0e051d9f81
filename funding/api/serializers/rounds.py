"""Serializers of financing rounds (and the conversion they trigger)."""
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding import selectors
from funding.api.serializers.common import VisibleRelatedMixin, money_field
from funding.api.serializers.decisions import ConversionSerializer, conversion_data
from funding.models import FinancingRound, FundingDecision, Instrument


class FinancingRoundSerializer(serializers.ModelSerializer):
    post_money_valuation = money_field(read_only=True)
    conversion = serializers.SerializerMethodField(
        help_text="The convertible grant this round converted, with the resulting stakes; null otherwise.")

    class Meta:
        model = FinancingRound
        fields = ("id", "decision", "round_name", "closed_on", "pre_money_valuation", "amount_raised",
                  "post_money_valuation", "lead_investor", "price_per_share", "conversion")
        read_only_fields = fields

    @extend_schema_field(ConversionSerializer(allow_null=True))
    def get_conversion(self, financing_round):
        decision = financing_round.decision
        conversion = getattr(decision, "conversion", None) if decision.instrument == Instrument.CONVERTIBLE else None
        if conversion is None or conversion.financing_round_id != financing_round.pk:
            return None
        return conversion_data(decision)


class FinancingRoundCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())
    round_name = serializers.CharField(max_length=50)
    closed_on = serializers.DateField()
    pre_money_valuation = money_field()
    amount_raised = money_field()
    lead_investor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    price_per_share = serializers.DecimalField(max_digits=16, decimal_places=6, min_value=Decimal("0"),
                                               required=False, allow_null=True)
