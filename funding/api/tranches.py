"""API of grant tranches: plan, release, pay."""
import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status

from funding import selectors, services
from funding.api.base import FundingViewSet, fund_staff
from funding.api.serializers.tranches import (
    TrancheCreateSerializer,
    TrancheSerializer,
    TrancheTransitionInputSerializer,
)
from funding.models import Tranche, TranchePart, TrancheState
from poc.api.errors import error_responses
from poc.api.transitions import transition_actions
from poc.workflow import run_transition

_errors = error_responses


class TrancheFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="decision_id", help_text="Funding decision id.")
    part = django_filters.ChoiceFilter(choices=TranchePart.choices)
    state = django_filters.ChoiceFilter(choices=TrancheState.choices)

    class Meta:
        model = Tranche
        fields = ["decision", "part", "state"]


def _run_tranche_transition(obj, name, user, comment, **details):
    if name == "release":
        return services.release_tranche(user, obj)
    if name == "pay":
        return services.pay_tranche(user, obj, payment_reference=details.get("payment_reference", ""),
                                    paid_on=details.get("paid_on"))
    return run_transition(obj, name, user, comment, **details)


TrancheTransitionActions = transition_actions(
    model=Tranche, response_serializer=TrancheSerializer, input_serializer=TrancheTransitionInputSerializer,
    details_fields={"pay": ("payment_reference", "paid_on")}, runner=_run_tranche_transition, resource="tranches",
    tag="tranches",
)


@extend_schema_view(
    list=extend_schema(tags=["tranches"], summary="Tranches of the decisions of the caller's funds"),
    retrieve=extend_schema(tags=["tranches"], responses={200: TrancheSerializer, **_errors(404)}),
)
class TrancheViewSet(TrancheTransitionActions, FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Planned payments (分期拨付) of a decision's grant or equity part. ``release`` (409 if it would bring released
    and paid over the approved amount, or its milestone or date is not reached) and ``pay`` (with
    ``payment_reference``); grant tranches by the bureau, equity tranches by the fund's managers."""

    serializer_class = output_serializer = TrancheSerializer
    filterset_class = TrancheFilter
    policy_actions = {"create": fund_staff}

    def get_queryset(self):
        return selectors.tranches_visible_to(self.request.user).order_by("decision_id", "part", "sequence")

    @extend_schema(tags=["tranches"], request=TrancheCreateSerializer,
                   responses={201: TrancheSerializer, **_errors(
                       400, 403, e400="Bad input, or the tranches would add up to more than the approved amount "
                                      "(the body names both).")},
                   summary="Plan a tranche on a milestone or a date (grant: officers; equity: the fund's managers)")
    def create(self, request):
        data = self._input(TrancheCreateSerializer)
        decision = data.pop("decision")
        tranche = services.plan_tranche(request.user, decision, **data)
        return self._detail(tranche, status.HTTP_201_CREATED)
