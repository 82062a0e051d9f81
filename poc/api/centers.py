"""API of designated centers (DESIGN §2 Center, §4).

* ``centers``: the one transition run by hand is ``revoke_for_fraud`` (officers); the others follow from
  scoring an evaluation or from the nightly expiry job and are listed as not runnable.
* ``public/centers``: the published list of designated centers, without signing in; public facts only.

Every object is looked up in the caller's permission-filtered queryset (:mod:`poc.centers.selectors`),
so another institution's object answers 404 as a missing one.
"""
import django_filters
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from poc.api.serializers.centers import CenterDetailSerializer, CenterSerializer, PublicCenterSerializer
from poc.centers import selectors as center_selectors
from poc.centers import services as center_services
from poc.models import Center, CenterState

from .errors import error_responses
from .transitions import transition_actions

_errors = error_responses


class CenterFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CenterState.choices)
    center_type = django_filters.ChoiceFilter(choices=Center.CenterType.choices)
    institution = django_filters.NumberFilter(field_name="institution_id", help_text="Institution id.")

    class Meta:
        model = Center
        fields = ["state", "center_type", "institution"]


_BY_SCORING = gettext_lazy("This step follows from scoring the center's annual evaluation "
                           "(evaluations/{id}/transitions/record_score/); it is not run by hand.")

CenterTransitionActions = transition_actions(
    model=Center, response_serializer=CenterDetailSerializer, resource="centers", tag="centers",
    system_notes={
        "order_rectification": _BY_SCORING,
        "pass_rectification": _BY_SCORING,
        "revoke_after_second_failure": _BY_SCORING,
        "expire": gettext_lazy("The nightly job expires a designation once its validity is over; "
                               "it is not run by hand."),
    },
)


@extend_schema_view(
    list=extend_schema(tags=["centers"], summary="Designated centers the caller may see: their institution's, "
                                                 "or all for officers"),
    retrieve=extend_schema(tags=["centers"], responses={200: CenterDetailSerializer, **_errors(404)},
                           summary="One designated center with its evaluations"),
)
class CenterViewSet(CenterTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    filterset_class = CenterFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return center_selectors.centers_visible_to(self.request.user).order_by("-designated_on", "designation_number")

    def get_serializer_class(self):
        return CenterSerializer if self.action == "list" else CenterDetailSerializer


class PublicCenterFilter(django_filters.FilterSet):
    center_type = django_filters.ChoiceFilter(choices=Center.CenterType.choices)

    class Meta:
        model = Center
        fields = ["center_type"]


@extend_schema_view(
    list=extend_schema(tags=["public"], auth=[], summary="The published list of designated centers (no sign-in)"),
    retrieve=extend_schema(tags=["public"], auth=[], responses={200: PublicCenterSerializer, **_errors(404)},
                           summary="One designated center's public facts (no sign-in)"),
)
class PublicCenterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Designated centers in force (active or rectifying): designation, name, type, host, validity, services."""

    serializer_class = PublicCenterSerializer
    authentication_classes: list = []  # no session, no token: a public page's data
    allow_anonymous = True  # read by the API's one permission class (poc.access.api.PolicyPermission)
    filterset_class = PublicCenterFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return center_services.public_centers()
