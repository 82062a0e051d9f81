"""API of conversion obligations, technology contracts and their payments."""
import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from funding import contracts as contract_services
from funding import selectors
from funding.api.base import FundingViewSet
from funding.api.serializers.obligations import (
    AmendmentSerializer,
    ContractPaymentCreateSerializer,
    ContractPaymentSerializer,
    ObligationSerializer,
    PaymentDecisionSerializer,
    RegistrationSerializer,
    TechContractCreateSerializer,
    TechContractSerializer,
)
from funding.models import MAJOR_SERIES_TEXT, TechContract, reaches_major_series_q
from poc.access.api import ParentLookupMixin
from poc.api.errors import error_responses
from poc.models import Project, ProjectState

_errors = error_responses


class ObligationFilter(django_filters.FilterSet):
    institution = django_filters.NumberFilter(field_name="institution_id", help_text="Institution id.")
    is_major = django_filters.BooleanFilter()
    overdue = django_filters.BooleanFilter(method="filter_overdue",
                                           help_text="Due date passed without a registered contract.")
    eligible_for_major_series = django_filters.BooleanFilter(
        method="filter_eligible", help_text=f"At least {MAJOR_SERIES_TEXT} verified on registered "
                                            "university–industry contracts.")
    major_series_candidate = django_filters.BooleanFilter(
        field_name="major_series_candidacy", lookup_expr="isnull", exclude=True,
        help_text="Flagged for the municipal major-project series.")

    class Meta:
        model = Project
        fields = ["institution", "is_major"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(obligation_due_on__lt=timezone.localdate(), contracts_count=0) & ~Q(state=ProjectState.TERMINATED)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_eligible(self, queryset, name, value):
        eligible = reaches_major_series_q("total_verified")
        return queryset.filter(eligible) if value else queryset.exclude(eligible)


@extend_schema_view(
    list=extend_schema(tags=["obligations"], summary="Transfer obligations per project: due date, overdue, "
                                                     "contracts, received, eligibility for the major series"),
    retrieve=extend_schema(tags=["obligations"], responses={200: ObligationSerializer, **_errors(404)},
                           summary="One project's transfer obligation (the id is the project's)"),
)
class ObligationViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Read-only. A university–industry project whose registered technology contracts have at least
    ¥2,000,000.00 actually received (实际到账) and verified by the bureau may enter the municipal major-project
    series (¥1,999,999.99 may not; an unverified payment or an unregistered contract does not count)."""

    serializer_class = output_serializer = ObligationSerializer
    filterset_class = ObligationFilter

    def get_queryset(self):
        return selectors.obligation_projects_visible_to(self.request.user).order_by("obligation_due_on",
                                                                                    "project_number")


class TechContractFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", help_text="Project id.")

    class Meta:
        model = TechContract
        fields = ["project"]


@extend_schema_view(
    list=extend_schema(tags=["tech-contracts"], summary="Registered technology contracts (技术合同认定登记) of the "
                                                        "projects the caller may see"),
    retrieve=extend_schema(tags=["tech-contracts"], responses={200: TechContractSerializer, **_errors(404)}),
)
class TechContractViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = TechContractSerializer
    filterset_class = TechContractFilter
    policy_actions = {"registration": "register", "amendment": "amend"}

    def get_queryset(self):
        return (selectors.tech_contracts_visible_to(self.request.user).prefetch_related("payments")
                .order_by("registered_on", "id"))

    @extend_schema(tags=["tech-contracts"], request=TechContractCreateSerializer,
                   responses={201: TechContractSerializer, **_errors(400, 403)},
                   summary="Register a technology contract of a project (its institution's members or officers)")
    def create(self, request):
        data = self._input(TechContractCreateSerializer)
        project = data.pop("project")
        contract = contract_services.register_contract(request.user, project, **data)
        return self._detail(contract, status.HTTP_201_CREATED)

    @extend_schema(tags=["tech-contracts"], request=RegistrationSerializer,
                   responses={200: TechContractSerializer, **_errors(400, 403, 404, 409)},
                   summary="Record the contract's registration (技术合同认定登记): its number and date")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def registration(self, request, pk=None):
        contract = self.get_object()
        data = self._input(RegistrationSerializer)
        return self._detail(contract_services.record_registration(request.user, contract, **data))

    @extend_schema(tags=["tech-contracts"], request=AmendmentSerializer,
                   responses={200: TechContractSerializer, **_errors(400, 403, 404)},
                   summary="Amend the contract amount, with the reason (audited)")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def amendment(self, request, pk=None):
        contract = self.get_object()
        data = self._input(AmendmentSerializer)
        return self._detail(contract_services.amend_contract(request.user, contract, **data))


@extend_schema_view(
    list=extend_schema(tags=["tech-contracts"], summary="Payments actually received on a technology contract",
                       responses={200: ContractPaymentSerializer(many=True), **_errors(404)}),
)
class ContractPaymentViewSet(ParentLookupMixin, FundingViewSet, mixins.ListModelMixin):
    """``tech-contracts/{contract_pk}/payments/``: 404 unless the caller may see the contract."""

    serializer_class = output_serializer = ContractPaymentSerializer
    parent_model = TechContract
    parent_kwarg = "contract_pk"
    policy_actions = {"verify": "verify", "refuse": "refuse"}

    def get_contract(self):
        return self.get_parent()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.contract_payments_visible_to(self.request.user).none()
        return (selectors.contract_payments_visible_to(self.request.user).filter(contract=self.get_contract())
                .order_by("received_on", "id"))

    @extend_schema(tags=["tech-contracts"], request=ContractPaymentCreateSerializer,
                   responses={201: ContractPaymentSerializer, **_errors(400, 403, 404)},
                   summary="Record a payment actually received (实际到账) (the project's institution or officers)")
    def create(self, request, contract_pk=None):
        contract = self.get_contract()
        data = self._input(ContractPaymentCreateSerializer)
        payment = contract_services.record_contract_payment(request.user, contract, **data)
        return self._detail(payment, status.HTTP_201_CREATED)

    @extend_schema(tags=["tech-contracts"], request=PaymentDecisionSerializer,
                   responses={200: ContractPaymentSerializer, **_errors(400, 403, 404, 409)},
                   summary="Verify (核实) a payment received (bureau officers); reaching the threshold flags the "
                           "project for the municipal major-project series")
    @action(detail=True, methods=["post"])
    def verify(self, request, contract_pk=None, pk=None):
        payment = self.get_object()
        data = self._input(PaymentDecisionSerializer)
        return self._detail(contract_services.verify_payment(request.user, payment, data["comment"]))

    @extend_schema(tags=["tech-contracts"], request=PaymentDecisionSerializer,
                   responses={200: ContractPaymentSerializer, **_errors(400, 403, 404, 409)},
                   summary="Refuse a payment (bureau officers), with the reason; it no longer counts as received")
    @action(detail=True, methods=["post"])
    def refuse(self, request, contract_pk=None, pk=None):
        payment = self.get_object()
        data = self._input(PaymentDecisionSerializer)
        return self._detail(contract_services.refuse_payment(request.user, payment, data["comment"]))
