"""Serializers of the transfer API. A result's confidential detail is rendered only for callers the access
policy lets ``view_detail`` (the owner, officers, enterprises granted it); everywhere else it is ``null``, and the
public and match serializers do not have the field at all."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from poc.access import can
from poc.api.serializers.common import TransitionInputSerializer
from poc.models import Discipline

from ..models import (
    Demand,
    DetailRequest,
    Disclosure,
    EvidenceKind,
    LandingEvidence,
    LegalStatus,
    Licence,
    Result,
    ResultType,
    Roadshow,
    TransferMode,
)

STATE_HELP = "The workflow state (its transitions are listed at `transitions/`)."


def discipline_codes(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", queryset=Discipline.objects.all(), many=True,
                                        required=False, help_text="Discipline codes (e.g. `ENG.MAT`).", **kwargs)


class PublicResultSerializer(serializers.ModelSerializer):
    """Public fields only: what the catalogue and match lists show."""

    institution_name = serializers.CharField(source="institution.name", read_only=True)
    stage = serializers.CharField(read_only=True, help_text=STATE_HELP)
    disciplines = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Result
        fields = ["id", "title", "result_type", "registration_number", "legal_status", "institution_name",
                  "disciplines", "keywords", "trl", "transfer_modes", "asking_terms", "asking_price", "public_summary",
                  "stage"]
        read_only_fields = fields


class ResultSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    stage = serializers.CharField(read_only=True, help_text=STATE_HELP)
    disciplines = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    confidential_detail = serializers.SerializerMethodField(
        help_text="Only for the owner, officers and enterprises the owner granted it; otherwise null.")
    dormant = serializers.SerializerMethodField(help_text="Granted, and no licence or transfer for N years (沉睡专利).")

    class Meta:
        model = Result
        fields = ["id", "institution", "institution_name", "title", "result_type", "registration_number",
                  "legal_status", "filed_on", "granted_on", "last_transaction_on", "team", "disciplines", "keywords",
                  "trl", "transfer_modes", "asking_terms", "asking_price", "public_summary", "confidential_detail",
                  "published", "stage", "shelved_reason", "validation_application", "dormant", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_confidential_detail(self, obj):
        request = self.context.get("request")
        return obj.confidential_detail if request is not None and can(request.user, "view_detail", obj) else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_dormant(self, obj):
        return obj.is_dormant()


class ResultInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    result_type = serializers.ChoiceField(choices=ResultType.choices)
    registration_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices, required=False)
    filed_on = serializers.DateField(required=False, allow_null=True)
    granted_on = serializers.DateField(required=False, allow_null=True)
    last_transaction_on = serializers.DateField(required=False, allow_null=True)
    team = serializers.CharField(max_length=300, required=False, allow_blank=True)
    disciplines = discipline_codes()
    keywords = serializers.CharField(max_length=300, required=False, allow_blank=True)
    trl = serializers.IntegerField(min_value=1, max_value=9, required=False, allow_null=True)
    transfer_modes = serializers.ListField(child=serializers.ChoiceField(choices=TransferMode.choices), required=False)
    asking_terms = serializers.CharField(required=False, allow_blank=True)
    asking_price = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False,
                                            allow_null=True)
    public_summary = serializers.CharField(required=False, allow_blank=True)
    confidential_detail = serializers.CharField(required=False, allow_blank=True)


class PublishSerializer(serializers.Serializer):
    published = serializers.BooleanField(default=True)


class DetailRequestInputSerializer(serializers.Serializer):
    purpose = serializers.CharField(required=False, allow_blank=True, default="")


class DetailRequestSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="requested, granted or refused.")

    class Meta:
        model = DetailRequest
        fields = ["id", "result", "enterprise", "enterprise_name", "purpose", "status", "requested_at", "decided_at"]
        read_only_fields = fields


class DecideSerializer(serializers.Serializer):
    grant = serializers.BooleanField()


class LandingEvidenceInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    counterparty = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    dated_on = serializers.DateField()


class LandingEvidenceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="tech_contract, licence, investment or company.")

    class Meta:
        model = LandingEvidence
        fields = ["id", "result", "kind", "reference", "counterparty", "amount", "dated_on", "licence", "investment"]
        read_only_fields = fields


class ValidationInputSerializer(serializers.Serializer):
    call = serializers.IntegerField(help_text="A published, open PoC or pilot project call.")
    center = serializers.IntegerField(required=False, allow_null=True, help_text="The hosting center, if any.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class InterestInputSerializer(serializers.Serializer):
    demand = serializers.IntegerField()


class DemandInterestInputSerializer(serializers.Serializer):
    result = serializers.IntegerField()


class InterestSerializer(serializers.Serializer):
    result = serializers.IntegerField(source="result_id")
    demand = serializers.IntegerField(source="demand_id")
    side = serializers.CharField(help_text="result or demand: which side expressed it.")
    conversation_open = serializers.BooleanField()


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8 or GB18030) or XLSX; see the column list in the docs.")


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    reason = serializers.CharField()


class ImportPreviewSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Rows read.")
    dormant = serializers.IntegerField(help_text="Of them, dormant patents.")
    errors = ImportErrorSerializer(many=True)
    imported = serializers.IntegerField(help_text="Results created (0 on a preview or when any row has a problem).")


class DemandSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    disciplines = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Demand
        fields = ["id", "enterprise", "enterprise_name", "title", "problem", "disciplines", "keywords", "budget_min",
                  "budget_max", "deadline", "disclosure", "state", "merged_into", "published_at"]
        read_only_fields = fields


class DemandInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    problem = serializers.CharField()
    disciplines = discipline_codes()
    keywords = serializers.CharField(max_length=300, required=False, allow_blank=True)
    budget_min = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True)
    budget_max = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    disclosure = serializers.ChoiceField(choices=Disclosure.choices, required=False)


class DemandTransitionInputSerializer(TransitionInputSerializer):
    into = serializers.IntegerField(required=False, help_text="merge only: the demand this one duplicates.")


class MatchSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="demand, result or center: what `object` is.")
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner = serializers.CharField(help_text="The owning institution, the enterprise or the center's host.")
    score = serializers.FloatField(help_text="Affinity in [0, 1]: 0.6 × disciplines (Jaccard) + 0.4 × keywords (cosine).")
    reasons = serializers.ListField(child=serializers.CharField())


class RoadshowSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    results = serializers.SerializerMethodField()
    registrations = serializers.SerializerMethodField()

    class Meta:
        model = Roadshow
        fields = ["id", "theme", "held_on", "place", "state", "results", "registrations"]
        read_only_fields = fields

    def get_registrations(self, obj) -> int:
        counted = getattr(obj, "registration_count", None)  # the list counts them in its own query
        return obj.registrations.count() if counted is None else counted

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_results(self, obj):
        return [p.result_id for p in obj.presentations.all()]


class RoadshowInputSerializer(serializers.Serializer):
    theme = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    results = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class RegistrationInputSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FeedbackInputSerializer(serializers.Serializer):
    result = serializers.IntegerField()
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class LicenceSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    result_title = serializers.CharField(source="result.title", read_only=True)
    licensee_name = serializers.CharField(source="licensee.name", read_only=True)

    class Meta:
        model = Licence
        fields = ["id", "result", "result_title", "licensee", "licensee_name", "trial_starts_on", "trial_ends_on",
                  "success_criteria", "fee_on_success", "state", "contract_number", "contract_amount", "converted_on",
                  "ended_on"]
        read_only_fields = fields


class LicenceInputSerializer(serializers.Serializer):
    result = serializers.IntegerField()
    licensee = serializers.IntegerField(help_text="A verified enterprise institution.")
    trial_starts_on = serializers.DateField()
    trial_ends_on = serializers.DateField()
    success_criteria = serializers.CharField()
    fee_on_success = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)


class LicenceTransitionInputSerializer(TransitionInputSerializer):
    contract_number = serializers.CharField(required=False, allow_blank=True, max_length=64,
                                            help_text="convert only: the registered technology contract's number.")
    contract_amount = serializers.DecimalField(required=False, max_digits=16, decimal_places=2,
                                               help_text="convert only: the amount paid for the transfer (yuan).")
    registered_on = serializers.DateField(required=False, help_text="convert only: the contract's registration date.")


@extend_schema_serializer(many=False)  # the board's "list" answers one object per year, not a list
class BoardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    collected = serializers.IntegerField()
    roadshowed = serializers.IntegerField()
    validated = serializers.IntegerField()
    landed = serializers.IntegerField()
    shelved = serializers.IntegerField()
