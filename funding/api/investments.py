"""API of investments, their valuation marks and exits."""
import django_filters
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser

from funding import selectors, services
from funding.api.base import FundingViewSet, fund_staff, refuse_oversized
from funding.api.serializers.investments import (
    ExitCreateSerializer,
    ExitSerializer,
    InvestmentCreateSerializer,
    InvestmentSerializer,
    ValuationMarkCreateSerializer,
    ValuationMarkSerializer,
)
from funding.models import Exit, ExitKind, Investment
from poc.access.api import ParentLookupMixin
from poc.api.errors import error_responses
from poc.api.parsers import StrictMultiPartParser

_errors = error_responses


class InvestmentFilter(django_filters.FilterSet):
    fund = django_filters.NumberFilter(field_name="fund_id", help_text="Fund id.")
    decision = django_filters.NumberFilter(field_name="decision_id", help_text="Funding decision id.")
    is_conversion = django_filters.BooleanFilter()

    class Meta:
        model = Investment
        fields = ["fund", "decision", "is_conversion"]


@extend_schema_view(
    list=extend_schema(tags=["investments"], summary="Investments (holdings) of the caller's funds (officers: all; "
                                                     "applicants: none)"),
    retrieve=extend_schema(tags=["investments"], responses={200: InvestmentSerializer, **_errors(404)},
                           summary="One investment with its current stake, exits and latest valuation mark"),
)
class InvestmentViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = InvestmentSerializer
    filterset_class = InvestmentFilter
    parser_classes = [JSONParser, StrictMultiPartParser]
    policy_actions = {"create": fund_staff}

    def get_queryset(self):
        return (selectors.investments_visible_to(self.request.user).select_related("fund", "decision")
                .prefetch_related("exits", "marks", "decision__financing_rounds").order_by("-invested_on", "-id"))

    def perform_content_negotiation(self, request, force=False):
        # The download answers with the file whatever the client says it accepts.
        return super().perform_content_negotiation(request, force=force or self.action == "agreement")

    @extend_schema(tags=["investments"],
                   request={"application/json": InvestmentCreateSerializer,
                            "multipart/form-data": InvestmentCreateSerializer},
                   responses={201: InvestmentSerializer, **_errors(
                       400, 403, 409, e400="Bad input: a typed stake that disagrees with amount / post-money, more "
                                           "than the approved investment, a stake over the fund's cap.",
                       e409="The decision is not approved or has no equity part.")},
                   summary="Record an equity investment (a manager of the decision's fund); the stake is derived")
    def create(self, request):
        refuse_oversized(request)
        data = self._input(InvestmentCreateSerializer)
        decision = data.pop("decision")
        investment = services.record_investment(request.user, decision, **data)
        return self._detail(investment, status.HTTP_201_CREATED)

    @extend_schema(tags=["investments"], responses={(200, "application/pdf"): OpenApiTypes.BINARY, **_errors(404)},
                   summary="Download the signed agreement (permission-checked; never a public URL)")
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def agreement(self, request, pk=None):
        investment = self.get_object()
        if not investment.agreement:
            raise Http404
        response = FileResponse(investment.agreement.open("rb"), as_attachment=True,
                                filename=f"investment-{investment.pk}-agreement.pdf", content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema_view(
    list=extend_schema(tags=["investments"], summary="Valuation marks of an investment, oldest first",
                       responses={200: ValuationMarkSerializer(many=True), **_errors(404)}),
)
class ValuationMarkViewSet(ParentLookupMixin, FundingViewSet, mixins.ListModelMixin):
    """``investments/{investment_pk}/marks/``: 404 unless the caller may see the investment."""

    serializer_class = output_serializer = ValuationMarkSerializer
    parent_model = Investment
    parent_kwarg = "investment_pk"

    def get_investment(self):
        return self.get_parent()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.marks_visible_to(self.request.user).none()
        return (selectors.marks_visible_to(self.request.user).filter(investment=self.get_investment())
                .order_by("marked_on", "id"))

    @extend_schema(tags=["investments"], request=ValuationMarkCreateSerializer,
                   responses={201: ValuationMarkSerializer, **_errors(400, 403, 404)},
                   summary="Mark the value of a holding (the fund's managers)")
    def create(self, request, investment_pk=None):
        investment = self.get_investment()
        data = self._input(ValuationMarkCreateSerializer)
        mark = services.mark_value(request.user, investment, **data)
        return self._detail(mark, status.HTTP_201_CREATED)


class ExitFilter(django_filters.FilterSet):
    investment = django_filters.NumberFilter(field_name="investment_id", help_text="Investment id.")
    kind = django_filters.ChoiceFilter(choices=ExitKind.choices)

    class Meta:
        model = Exit
        fields = ["investment", "kind"]


@extend_schema_view(
    list=extend_schema(tags=["exits"], summary="Exits from the holdings of the caller's funds"),
    retrieve=extend_schema(tags=["exits"], responses={200: ExitSerializer, **_errors(404)}),
)
class ExitViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = ExitSerializer
    filterset_class = ExitFilter
    policy_actions = {"create": fund_staff}

    def get_queryset(self):
        return selectors.exits_visible_to(self.request.user).order_by("exited_on", "id")

    @extend_schema(tags=["exits"], request=ExitCreateSerializer,
                   responses={201: ExitSerializer, **_errors(400, 403)},
                   summary="Record an exit (the fund's managers); a buyback without proceeds is computed at "
                           "principal plus the agreed simple interest")
    def create(self, request):
        data = self._input(ExitCreateSerializer)
        investment = data.pop("investment")
        exit_ = services.record_exit(request.user, investment, **data)
        return self._detail(exit_, status.HTTP_201_CREATED)
