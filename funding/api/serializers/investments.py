"""Serializers of investments, their valuation marks and exits."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding import figures, selectors, services
from funding.api.serializers.common import VisibleRelatedMixin, absolute_url, money_field, percent_field
from funding.models import Exit, ExitKind, FundingDecision, Investment, ValuationMark
from poc.api.serializers.common import nested


class ExitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Exit
        fields = ("id", "investment", "kind", "kind_display", "exited_on", "proceeds", "stake_sold")
        read_only_fields = fields


class ExitCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"investment": selectors.investments_visible_to}

    investment = serializers.PrimaryKeyRelatedField(queryset=Investment.objects.none())
    kind = serializers.ChoiceField(ExitKind.choices)
    exited_on = serializers.DateField()
    proceeds = money_field(required=False, allow_null=True,
                      help_text="Yuan. For a buyback, omit it to compute principal plus the agreed simple interest.")
    stake_sold = percent_field(help_text="The stake sold, in % of the company.")


class ValuationMarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ValuationMark
        fields = ("id", "investment", "marked_on", "value", "note")
        read_only_fields = fields


class ValuationMarkCreateSerializer(serializers.Serializer):
    marked_on = serializers.DateField()
    value = money_field(help_text="The value of the holding (yuan).")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="The basis.")


class InvestmentSerializer(serializers.ModelSerializer):
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    post_money_valuation = money_field(read_only=True)
    current_stake = serializers.SerializerMethodField(help_text="After later rounds' dilution, less what was sold.")
    latest_mark = serializers.SerializerMethodField()
    exits = ExitSerializer(many=True, read_only=True)
    has_agreement = serializers.SerializerMethodField()
    agreement_url = serializers.SerializerMethodField()

    class Meta:
        model = Investment
        fields = ("id", "decision", "fund", "fund_name", "investee_name", "investee_credit_code", "amount",
                  "pre_money_valuation", "post_money_valuation", "stake", "current_stake", "invested_on",
                  "is_conversion", "latest_mark", "exits", "has_agreement", "agreement_url", "recorded_at")
        read_only_fields = fields

    @extend_schema_field(percent_field())
    def get_current_stake(self, investment):
        return percent_field().to_representation(services.current_stake(investment))

    @extend_schema_field(ValuationMarkSerializer(allow_null=True))
    def get_latest_mark(self, investment):
        mark = figures.latest_mark(investment)  # from the prefetched marks in a list
        return nested(self, ValuationMarkSerializer, mark) if mark else None

    def get_has_agreement(self, investment) -> bool:
        return bool(investment.agreement)

    def get_agreement_url(self, investment) -> str | None:
        if not investment.agreement:
            return None
        return absolute_url(self, reverse("funding-api:investment-agreement", kwargs={"pk": investment.pk}))


class InvestmentCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none(),
                                                  help_text="An approved decision with an equity part.")
    investee_name = serializers.CharField(max_length=200)
    investee_credit_code = serializers.CharField(max_length=18, help_text="统一社会信用代码 of the investee.")
    amount = money_field()
    pre_money_valuation = money_field()
    invested_on = serializers.DateField()
    stake = serializers.DecimalField(max_digits=9, decimal_places=4, required=False, allow_null=True,
                                     help_text="Optional check: the stake in % as typed; it must equal amount / "
                                               "post-money to 4 decimals, or the investment is refused.")
    agreement = serializers.FileField(required=False, help_text="The signed agreement (PDF); multipart only.")
