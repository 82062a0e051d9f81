"""API of funding decisions: propose, approve (grant and equity parts), reject."""
import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status

from funding import figures, selectors, services
from funding.api.base import FundingViewSet
from funding.api.serializers.decisions import FundingDecisionCreateSerializer, FundingDecisionSerializer
from funding.models import DecisionState, FundingDecision, Instrument
from poc.access import policy_for
from poc.api.errors import error_responses
from poc.api.transitions import transition_actions

_errors = error_responses


class DecisionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=DecisionState.choices)
    instrument = django_filters.ChoiceFilter(choices=Instrument.choices)
    fund = django_filters.NumberFilter(field_name="fund_id", help_text="Fund id.")
    application = django_filters.NumberFilter(field_name="application_id", help_text="Application id.")

    class Meta:
        model = FundingDecision
        fields = ["state", "instrument", "fund", "application"]


FundingDecisionTransitionActions = transition_actions(
    model=FundingDecision, response_serializer=FundingDecisionSerializer, resource="funding decisions",
    tag="funding-decisions",
)


@extend_schema_view(
    list=extend_schema(tags=["funding-decisions"],
                       summary="Funding decisions the caller may see: all (officers), their funds' (fund managers), "
                               "their own applications' (applicants, without the fund internals)"),
    retrieve=extend_schema(tags=["funding-decisions"], responses={200: FundingDecisionSerializer, **_errors(404)},
                           summary="One funding decision"),
)
class FundingDecisionViewSet(FundingDecisionTransitionActions, FundingViewSet, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin):
    """投拨结合 decisions. Dual approval: ``approve_grant`` (bureau officers) and ``approve_equity`` (a manager of
    the decision's fund); the decision is approved once every part it has is approved; ``reject`` with a reason.
    Each approval checks the fund's caps again."""

    serializer_class = output_serializer = FundingDecisionSerializer
    filterset_class = DecisionFilter
    policy_actions = {"create": policy_for(FundingDecision).relation("create")}

    def get_queryset(self):
        # What was released and paid out of each part is summed in the same query (figures.with_paid_out).
        return (figures.with_paid_out(selectors.decisions_visible_to(self.request.user))
                .select_related("application__institution", "fund", "conversion__financing_round")
                .prefetch_related("investments").order_by("-proposed_at", "-id"))

    @extend_schema(tags=["funding-decisions"], request=FundingDecisionCreateSerializer,
                   responses={201: FundingDecisionSerializer, **_errors(
                       400, 403, 409, e400="Bad input, or the fund's caps would be broken (the body names the cap "
                                           "and the numbers).",
                       e409="The application is not “reviewed”, or already has a decision.")},
                   summary="Propose a funding decision for a reviewed project application (officers)")
    def create(self, request):
        data = self._input(FundingDecisionCreateSerializer)
        application = data.pop("application")
        decision = services.propose_decision(request.user, application, **data)
        return self._detail(decision, status.HTTP_201_CREATED)
