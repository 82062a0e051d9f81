"""API of financing rounds."""
import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status

from funding import selectors, services
from funding.api.base import FundingViewSet, fund_staff
from funding.api.serializers.rounds import FinancingRoundCreateSerializer, FinancingRoundSerializer
from funding.models import FinancingRound
from poc.api.errors import error_responses

_errors = error_responses


class RoundFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="decision_id", help_text="Funding decision id.")

    class Meta:
        model = FinancingRound
        fields = ["decision"]


@extend_schema_view(
    list=extend_schema(tags=["financing-rounds"], summary="Financing rounds of the investees of the caller's funds"),
    retrieve=extend_schema(tags=["financing-rounds"], responses={200: FinancingRoundSerializer, **_errors(404)}),
)
class FinancingRoundViewSet(FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = output_serializer = FinancingRoundSerializer
    filterset_class = RoundFilter
    policy_actions = {"create": fund_staff}

    def get_queryset(self):
        return (selectors.rounds_visible_to(self.request.user).select_related("decision__conversion")
                .order_by("closed_on", "id"))

    @extend_schema(tags=["financing-rounds"], request=FinancingRoundCreateSerializer,
                   responses={201: FinancingRoundSerializer, **_errors(400, 403)},
                   summary="Record a financing round of the investee (officers or the fund's managers); an "
                           "outstanding convertible grant converts at the first qualifying round, and the answer "
                           "shows the conversion")
    def create(self, request):
        data = self._input(FinancingRoundCreateSerializer)
        decision = data.pop("decision")
        financing_round = services.record_round(request.user, decision, **data)
        return self._detail(financing_round, status.HTTP_201_CREATED)
