"""Serializers of funding decisions (with the conversion terms and the fund internals)."""
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding import figures, finance
from funding.api.serializers.common import money_field, percent_field, user_of
from funding.caps import cap_violations
from funding.conversion_caps import conversion_breaches, largest_amount_within_caps
from funding.models import (
    CONVERSION_WAITING_STATES,
    ConversionState,
    DecisionState,
    ExitMethod,
    Fund,
    FundingDecision,
    Instrument,
    TranchePart,
)
from poc.access import can
from poc.api.serializers.common import InstitutionBriefSerializer, unset_or_choice
from poc.models import Application


class DecisionApplicationSerializer(serializers.ModelSerializer):
    institution = InstitutionBriefSerializer(read_only=True)

    class Meta:
        model = Application
        fields = ("id", "number", "title", "kind", "institution")
        read_only_fields = fields


class ConversionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    decision = serializers.IntegerField(read_only=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(read_only=True)
    financing_round = serializers.IntegerField(read_only=True, allow_null=True,
                                               help_text="The qualifying round it converts (or waits) at.")
    conversion_valuation = money_field(read_only=True, allow_null=True)
    stake_at_conversion = percent_field(read_only=True, allow_null=True)
    stake_after_round = percent_field(read_only=True, allow_null=True,
                                 help_text="The stake once the round's new money is in.")
    converted_amount = money_field(read_only=True, allow_null=True,
                                   help_text="The part of the grant that became equity.")
    closed_as_grant_amount = money_field(read_only=True, allow_null=True,
                                         help_text="The part of the grant closed as a grant (结项免责).")
    cap_breaches = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="While waiting on a cap: the fund's caps the whole conversion would breach, with the numbers.")
    convertible_within_caps = money_field(read_only=True, allow_null=True,
                                          help_text="While waiting on a cap: the largest part that converts within "
                                                    "every cap (convert_up_to_cap).")
    waiver_reason = serializers.CharField(read_only=True)
    investment = serializers.IntegerField(read_only=True, allow_null=True,
                                          help_text="The holding the conversion created.")
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


def conversion_data(decision, conversion=None):
    if conversion is None:
        conversion = getattr(decision, "conversion", None) if decision.instrument == Instrument.CONVERTIBLE else None
    if conversion is None:
        return None
    after, investment, breaches, within = None, None, [], None
    if conversion.state == ConversionState.CONVERTED and conversion.financing_round_id:
        r = conversion.financing_round
        after = finance.conversion_stake(conversion.grant_converted, r.pre_money_valuation, r.amount_raised,
                                         decision.conversion_discount, decision.valuation_cap)["stake_after_round"]
        investment = (decision.investments.filter(is_conversion=True).values_list("pk", flat=True).first())
    if conversion.state in CONVERSION_WAITING_STATES:
        breaches = conversion_breaches(conversion)
        within = largest_amount_within_caps(conversion)
    return ConversionSerializer({
        "id": conversion.pk, "decision": decision.pk,
        "state": conversion.state, "state_display": conversion.get_state_display(),
        "financing_round": conversion.financing_round_id, "conversion_valuation": conversion.conversion_valuation,
        "stake_at_conversion": conversion.stake, "stake_after_round": after,
        "converted_amount": conversion.converted_amount, "closed_as_grant_amount": conversion.closed_as_grant_amount,
        "cap_breaches": breaches, "convertible_within_caps": within, "waiver_reason": conversion.waiver_reason,
        "investment": investment, "decided_at": conversion.decided_at,
    }).data


class ConversionResourceSerializer(ConversionSerializer):
    """A conversion as its own resource (``/conversions/``)."""

    def to_representation(self, instance):
        return conversion_data(instance.decision, instance)


class DecisionInternalsSerializer(serializers.Serializer):
    """What only officers and the fund's managers see of a decision."""

    fund = serializers.IntegerField(read_only=True, allow_null=True)
    pre_money_valuation = money_field(read_only=True, allow_null=True)
    rationale = serializers.CharField(read_only=True)
    proposed_by = serializers.IntegerField(read_only=True, help_text="User id.")
    grant_approved_by = serializers.IntegerField(read_only=True, allow_null=True, help_text="User id.")
    equity_approved_by = serializers.IntegerField(read_only=True, allow_null=True, help_text="User id.")
    cap_problems = serializers.ListField(child=serializers.CharField(), read_only=True,
                                         help_text="The fund's caps this decision would break now (proposed only).")
    grant_released = money_field(read_only=True, help_text="Grant tranches released or paid (yuan).")
    equity_released = money_field(read_only=True, help_text="Equity tranches released or paid (yuan).")
    invested = money_field(read_only=True, help_text="Investments recorded against it, conversions excluded (yuan).")
    conversion = ConversionSerializer(read_only=True, allow_null=True)


class FundingDecisionSerializer(serializers.ModelSerializer):
    """A 投拨结合 decision. ``internals`` is null unless the caller is an officer or a manager of its fund."""

    application = DecisionApplicationSerializer(read_only=True)
    instrument_display = serializers.CharField(source="get_instrument_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    exit_method = unset_or_choice(ExitMethod.choices, help_text="Empty until an exit method is agreed.")
    exit_method_display = serializers.CharField(source="get_exit_method_display", read_only=True)
    fund_name = serializers.CharField(source="fund.name", read_only=True, allow_null=True, default=None)
    grant_approved = serializers.SerializerMethodField()
    equity_approved = serializers.SerializerMethodField()
    internals = serializers.SerializerMethodField()

    class Meta:
        model = FundingDecision
        fields = ("id", "application", "instrument", "instrument_display", "grant_amount", "grant_programme",
                  "equity_amount", "fund_name", "qualifying_round_minimum", "conversion_discount", "valuation_cap",
                  "conversion_deadline", "exit_method", "exit_method_display", "buyback_rate", "state",
                  "state_display", "proposed_at", "grant_approved", "grant_approved_at", "equity_approved",
                  "equity_approved_at", "rejected_reason", "internals")
        read_only_fields = fields

    def get_grant_approved(self, decision) -> bool:
        return decision.grant_approved_at is not None

    def get_equity_approved(self, decision) -> bool:
        return decision.equity_approved_at is not None

    @extend_schema_field(DecisionInternalsSerializer(allow_null=True))
    def get_internals(self, decision):
        user = user_of(self)
        if not can(user, "view_equity_terms", decision):
            return None
        invested = sum((i.amount for i in decision.investments.all() if not i.is_conversion), Decimal("0"))
        # One serializer for every row of a list: building a serializer copies all its fields, which cost more
        # than the row itself.
        internals = self.context.get("_internals_serializer")
        if internals is None:
            internals = self.context["_internals_serializer"] = DecisionInternalsSerializer(context=self.context)
        return internals.to_representation({
            "fund": decision.fund_id, "pre_money_valuation": decision.pre_money_valuation,
            "rationale": decision.rationale, "proposed_by": decision.proposed_by_id,
            "grant_approved_by": decision.grant_approved_by_id, "equity_approved_by": decision.equity_approved_by_id,
            "cap_problems": cap_violations(decision) if decision.state == DecisionState.PROPOSED else [],
            "grant_released": figures.released_and_paid(decision, TranchePart.GRANT),
            "equity_released": figures.released_and_paid(decision, TranchePart.EQUITY),
            "invested": invested, "conversion": conversion_data(decision),
        })


class FundingDecisionCreateSerializer(serializers.Serializer):
    """A proposal (officers). The caps of the fund are checked now and again on each approval."""

    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all(),
                                                     help_text="A project application in state “reviewed”.")
    instrument = serializers.ChoiceField(Instrument.choices)
    grant_amount = money_field(required=False, help_text="The grant part (拨), yuan.")
    grant_programme = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                            help_text="The science programme that pays the grant.")
    equity_amount = money_field(required=False, help_text="The equity part (投), yuan.")
    fund = serializers.PrimaryKeyRelatedField(queryset=Fund.objects.all(), required=False, allow_null=True)
    pre_money_valuation = money_field(required=False, allow_null=True)
    qualifying_round_minimum = money_field(required=False, allow_null=True,
                                      help_text="Convertible grants: the minimum a round must raise to convert it.")
    conversion_discount = percent_field(required=False, allow_null=True)
    valuation_cap = money_field(required=False, allow_null=True)
    conversion_deadline = serializers.DateField(required=False, allow_null=True)
    exit_method = serializers.ChoiceField(ExitMethod.choices, required=False, allow_blank=True)
    buyback_rate = percent_field(required=False, allow_null=True, help_text="Simple annual interest (%).")
    rationale = serializers.CharField(required=False, allow_blank=True)
