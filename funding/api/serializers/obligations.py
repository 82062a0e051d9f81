"""Serializers of conversion obligations, technology contracts and their payments."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding import selectors
from funding.api.serializers.common import VisibleRelatedMixin, money_field
from funding.models import (
    MAJOR_SERIES_TEXT,
    MAJOR_SERIES_THRESHOLD,
    ContractPayment,
    PartyKind,
    TechContract,
    reaches_major_series,
)
from poc.api.serializers.common import InstitutionBriefSerializer
from poc.models import Project


class ObligationSerializer(serializers.ModelSerializer):
    """A project's transfer obligation (转化义务) and what its technology contracts brought in: received as
    recorded, and verified by the bureau on registered 产学研 contracts (what the threshold counts)."""

    id = serializers.IntegerField(read_only=True, help_text="The project's id.")
    institution = InstitutionBriefSerializer(read_only=True)
    due_on = serializers.DateField(source="obligation_due_on", read_only=True, allow_null=True,
                                   help_text="The conversion deadline (inclusive).")
    overdue = serializers.SerializerMethodField(help_text="The due date passed without a registered contract.")
    contracts_count = serializers.IntegerField(read_only=True, help_text="Registered technology contracts.")
    total_received = money_field(read_only=True, help_text="Recorded as received (实际到账) on its contracts, "
                                                           "refused payments excluded, yuan.")
    total_verified = money_field(read_only=True, help_text="Received and verified by the bureau on registered "
                                                           "university–industry contracts, yuan.")
    major_series_threshold = serializers.SerializerMethodField()
    eligible_for_major_series = serializers.SerializerMethodField(
        help_text=f"At least {MAJOR_SERIES_TEXT} verified on registered university–industry contracts.")
    major_series_candidate_since = serializers.SerializerMethodField(
        help_text="The day the project was flagged for the municipal major-project series (null: not flagged).")

    class Meta:
        model = Project
        fields = ("id", "project_number", "title", "kind", "institution", "state", "is_major", "obligation",
                  "due_on", "overdue", "contracts_count", "total_received", "total_verified",
                  "major_series_threshold", "eligible_for_major_series", "major_series_candidate_since")
        read_only_fields = fields

    def get_overdue(self, project) -> bool:
        return selectors.obligation_overdue(project)

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_major_series_threshold(self, project):
        return money_field().to_representation(MAJOR_SERIES_THRESHOLD)

    def get_eligible_for_major_series(self, project) -> bool:
        return reaches_major_series(project.total_verified)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_major_series_candidate_since(self, project):
        candidacy = getattr(project, "major_series_candidacy", None)
        return candidacy.flagged_on if candidacy else None


class ContractPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractPayment
        fields = ("id", "contract", "amount", "received_on", "state", "verified_at")
        read_only_fields = fields


class ContractPaymentCreateSerializer(serializers.Serializer):
    amount = money_field(help_text="Actually received (实际到账), yuan; the contract's receipts never exceed its "
                                   "amount.")
    received_on = serializers.DateField(help_text="Today at the latest (the bureau's local date).")


class PaymentDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="A remark; the reason, required to refuse.")


class TechContractSerializer(serializers.ModelSerializer):
    project_number = serializers.CharField(source="project.project_number", read_only=True)
    received = money_field(read_only=True, help_text="Recorded as received so far (refused payments excluded), "
                                                     "yuan.")
    verified = money_field(read_only=True, help_text="Verified by the bureau so far, yuan.")
    counts_for_major_series = serializers.BooleanField(
        read_only=True, help_text="Registered and university–industry: its verified payments count.")
    payments = ContractPaymentSerializer(many=True, read_only=True)

    class Meta:
        model = TechContract
        fields = ("id", "project", "project_number", "state", "registration_number", "parties", "seller_kind",
                  "buyer_kind", "contract_amount", "signed_on", "registered_on", "received", "verified",
                  "counts_for_major_series", "payments")
        read_only_fields = fields


class TechContractCreateSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_fields = {"project": selectors.obligation_projects_visible_to}

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())
    parties = serializers.CharField(max_length=300)
    seller_kind = serializers.ChoiceField(choices=PartyKind.choices)
    buyer_kind = serializers.ChoiceField(choices=PartyKind.choices)
    contract_amount = money_field()
    signed_on = serializers.DateField(required=False, allow_null=True)
    registration_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                                help_text="技术合同认定登记 number, once registered.")
    registered_on = serializers.DateField(required=False, allow_null=True, default=None)


class RegistrationSerializer(serializers.Serializer):
    registration_number = serializers.CharField(max_length=64, help_text="技术合同认定登记 number.")
    registered_on = serializers.DateField()


class AmendmentSerializer(serializers.Serializer):
    contract_amount = money_field(help_text="The amended amount, yuan; not below what was received.")
    reason = serializers.CharField(allow_blank=True, help_text="Why the amount changed (required).")
