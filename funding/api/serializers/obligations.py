"""Serializers of conversion obligations, technology contracts and their payments."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding import selectors
from funding.api.serializers.common import VisibleRelatedMixin, money_field
from funding.models import (
    MAJOR_SERIES_TEXT,
    MAJOR_SERIES_THRESHOLD,
    ContractPayment,
    TechContract,
    reaches_major_series,
)
from poc.api.serializers.common import InstitutionBriefSerializer
from poc.models import Project


class ObligationSerializer(serializers.ModelSerializer):
    """A project's transfer obligation (转化义务) and what its registered technology contracts brought in."""

    id = serializers.IntegerField(read_only=True, help_text="The project's id.")
    institution = InstitutionBriefSerializer(read_only=True)
    due_on = serializers.DateField(source="obligation_due_on", read_only=True, allow_null=True,
                                   help_text="The conversion deadline (inclusive).")
    overdue = serializers.SerializerMethodField(help_text="The due date passed without a registered contract.")
    contracts_count = serializers.IntegerField(read_only=True)
    total_received = money_field(read_only=True, help_text="Actually received (实际到账) on its contracts, yuan.")
    major_series_threshold = serializers.SerializerMethodField()
    eligible_for_major_series = serializers.SerializerMethodField(
        help_text=f"At least {MAJOR_SERIES_TEXT} actually received on registered technology contracts.")

    class Meta:
        model = Project
        fields = ("id", "project_number", "title", "kind", "institution", "state", "is_major", "obligation",
                  "due_on", "overdue", "contracts_count", "total_received", "major_series_threshold",
                  "eligible_for_major_series")
        read_only_fields = fields

    def get_overdue(self, project) -> bool:
        return selectors.obligation_overdue(project)

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_major_series_threshold(self, project):
        return money_field().to_representation(MAJOR_SERIES_THRESHOLD)

    def get_eligible_for_major_series(self, project) -> bool:
        return reaches_major_series(project.total_received)


class ContractPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractPayment
        fields = ("id", "contract", "amount", "received_on")
        read_only_fields = fields


class ContractPaymentCreateSerializer(serializers.Serializer):
    amount = money_field(help_text="Actually received (实际到账), yuan.")
    received_on = serializers.DateField()


class TechContractSerializer(serializers.ModelSerializer):
    project_number = serializers.CharField(source="project.project_number", read_only=True)
    received = money_field(read_only=True, help_text="Actually received so far, yuan.")
    payments = ContractPaymentSerializer(many=True, read_only=True)

    class Meta:
        model = TechContract
        fields = ("id", "project", "project_number", "registration_number", "parties", "contract_amount",
                  "registered_on", "received", "payments")
        read_only_fields = fields


class TechContractCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"project": selectors.obligation_projects_visible_to}

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    registration_number = serializers.CharField(max_length=64, help_text="技术合同认定登记 number.")
    parties = serializers.CharField(max_length=300)
    contract_amount = money_field()
    registered_on = serializers.DateField()
