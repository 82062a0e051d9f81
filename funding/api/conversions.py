"""API of conversions of convertible grants (先投后股): read them, and take the steps of one waiting on a cap
(convert up to the cap, ask for a waiver, approve or refuse it, close as a grant) through the transition
endpoints. ``convert`` and ``hold`` follow from recording a qualifying round (``POST /financing-rounds/``)."""
import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from funding import conversions, selectors
from funding.api.base import FundingViewSet
from funding.api.serializers.decisions import ConversionResourceSerializer
from funding.models import Conversion, ConversionState
from poc.api.errors import error_responses
from poc.api.transitions import transition_actions

_errors = error_responses


class ConversionFilter(django_filters.FilterSet):
    decision = django_filters.NumberFilter(field_name="decision_id", help_text="Funding decision id.")
    state = django_filters.ChoiceFilter(choices=ConversionState.choices)

    class Meta:
        model = Conversion
        fields = ["decision", "state"]


def _run_conversion_step(obj, name, user, comment, **details):
    return conversions.run_conversion_step(user, obj, name, comment)


_round_note = _("Follows from recording a qualifying financing round.")

ConversionTransitionActions = transition_actions(
    model=Conversion, response_serializer=ConversionResourceSerializer, runner=_run_conversion_step,
    resource="conversions", tag="conversions", system_notes={"convert": _round_note, "hold": _round_note},
)


@extend_schema_view(
    list=extend_schema(tags=["conversions"], summary="Conversions of the convertible grants of the caller's funds"),
    retrieve=extend_schema(tags=["conversions"], responses={200: ConversionResourceSerializer, **_errors(404)}),
)
class ConversionViewSet(ConversionTransitionActions, FundingViewSet, mixins.ListModelMixin,
                        mixins.RetrieveModelMixin):
    """A convertible grant's conversion. Over a cap of the fund it waits (``waiting_on_cap``, with
    ``cap_breaches`` in numbers) until the fund's managers ``convert_up_to_cap`` (the rest closes as a grant) or
    ``request_waiver`` (a reason is required) and a bureau officer runs ``approve_waiver`` or ``refuse_waiver``."""

    serializer_class = output_serializer = ConversionResourceSerializer
    filterset_class = ConversionFilter

    def get_queryset(self):
        return selectors.conversions_visible_to(self.request.user).order_by("id")
