"""Serializers of grant tranches."""
from django.utils.translation import gettext as _
from rest_framework import serializers

from funding import selectors
from funding.api.serializers.common import VisibleRelatedMixin, money_field
from funding.models import FundingDecision, Tranche, TranchePart
from poc.api.serializers.common import TransitionInputSerializer
from poc.models import ProjectMilestone


class TrancheSerializer(serializers.ModelSerializer):
    part_display = serializers.CharField(source="get_part_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    milestone_title = serializers.CharField(source="milestone.title", read_only=True, allow_null=True, default=None)
    milestone_reported = serializers.SerializerMethodField()

    class Meta:
        model = Tranche
        fields = ("id", "decision", "part", "part_display", "sequence", "amount", "milestone", "milestone_title",
                  "milestone_reported", "release_on", "state", "state_display", "released_at", "payment_reference",
                  "paid_on")
        read_only_fields = fields

    def get_milestone_reported(self, tranche) -> bool | None:
        return None if tranche.milestone_id is None else tranche.milestone.reported_at is not None


class TrancheCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"decision": selectors.decisions_visible_to}

    decision = serializers.PrimaryKeyRelatedField(queryset=FundingDecision.objects.none())
    part = serializers.ChoiceField(TranchePart.choices,
                                   help_text="grant: planned by the bureau; equity: by the fund's managers.")
    amount = money_field()
    milestone = serializers.PrimaryKeyRelatedField(queryset=ProjectMilestone.objects.all(), required=False,
                                                   allow_null=True,
                                                   help_text="Released once this milestone of the project is "
                                                             "reported.")
    release_on = serializers.DateField(required=False, allow_null=True, help_text="Released from this date on.")

    def validate(self, data):
        milestone = data.get("milestone")
        if milestone is not None and milestone.project.application_id != data["decision"].application_id:
            raise serializers.ValidationError({"milestone": [_("This milestone belongs to another project.")]})
        return data


class TrancheTransitionInputSerializer(TransitionInputSerializer):
    payment_reference = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                              help_text="pay only: the payment reference (required).")
    paid_on = serializers.DateField(required=False, allow_null=True, help_text="pay only: the date paid (today "
                                                                                "if omitted).")
