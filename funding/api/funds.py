"""API of funds (with their portfolio figures and managers)."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from funding import selectors, services
from funding.api.base import FundingViewSet
from funding.api.serializers.funds import (
    EntryRulesInputSerializer,
    FundInputSerializer,
    FundManagerInputSerializer,
    FundSerializer,
)
from funding.models import Fund
from poc.access import policy_for
from poc.api.errors import error_responses

_errors = error_responses


@extend_schema_view(
    list=extend_schema(tags=["funds"], summary="Funds the caller may see (officers: all; fund managers: their own) "
                                               "with committed, invested, available and the portfolio"),
    retrieve=extend_schema(tags=["funds"], responses={200: FundSerializer, **_errors(404)},
                           summary="One fund with its derived figures and portfolio (MOIC, IRR)"),
)
class FundViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = FundSerializer
    policy_actions = {
        "create": policy_for(Fund).relation("create"),
        "managers": policy_for(Fund).relation("appoint_manager"),
        "entry_rules": "set_entry_rules",
    }

    def get_queryset(self):
        return selectors.funds_visible_to(self.request.user).select_related("parent").order_by("name")

    @extend_schema(tags=["funds"], request=FundInputSerializer, responses={201: FundSerializer, **_errors(400, 403)},
                   summary="Register a fund or sub-fund with its caps (officers)")
    def create(self, request):
        data = self._input(FundInputSerializer)
        fund = services.create_fund(request.user, **data)
        return self._detail(fund, status.HTTP_201_CREATED)

    @extend_schema(tags=["funds"], request=FundManagerInputSerializer,
                   responses={200: FundSerializer, **_errors(400, 403, 404)},
                   summary="Appoint a fund manager to this fund (officers)")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def managers(self, request, pk=None):
        fund = self.get_object()
        data = self._input(FundManagerInputSerializer)
        services.add_fund_manager(request.user, fund, data["user"])
        return self._detail(fund)

    @extend_schema(tags=["funds"], request=EntryRulesInputSerializer,
                   responses={200: FundSerializer, **_errors(400, 403, 404)},
                   summary="Set the fund's entry rules for convertible grants (先投后股): company age ≤ N years, "
                           "paid-in capital ≥ X % of registered (its managers, officers); each change audited")
    @action(detail=True, methods=["patch"], url_path="entry-rules", filter_backends=[], pagination_class=None)
    def entry_rules(self, request, pk=None):
        fund = self.get_object()
        data = self._input(EntryRulesInputSerializer, partial=True)
        services.set_entry_rules(request.user, fund, **data)
        return self._detail(fund)
