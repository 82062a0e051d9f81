"""API of demands (技术需求), roadshows, 先用后转 licences, the yearly board and the public demands."""
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.access import officer, visible
from poc.api.errors import error_responses
from poc.api.filters import FIRST_YEAR, LAST_YEAR, integer_param
from poc.api.transitions import transition_actions
from poc.models import Institution

from .. import selectors
from ..models import Demand, Licence, Result, Roadshow
from ..relations import verified_enterprise
from ..services import demands as demand_services
from ..services import interests as interest_services
from ..services import licences as licence_services
from ..services import roadshows as roadshow_services
from .results import interest_data
from .serializers import (
    BoardSerializer,
    DemandInputSerializer,
    DemandInterestInputSerializer,
    DemandSerializer,
    DemandTransitionInputSerializer,
    FeedbackInputSerializer,
    InterestSerializer,
    LicenceInputSerializer,
    LicenceSerializer,
    LicenceTransitionInputSerializer,
    RegistrationInputSerializer,
    RoadshowInputSerializer,
    RoadshowSerializer,
)

ERR = error_responses(400, 403, 404, 409)


def _runner(service):
    def run(obj, name, user, comment="", **details):
        return service(user, obj, name, comment, **details)

    return run


@extend_schema_view(
    list=extend_schema(tags=["demands"], parameters=[
        OpenApiParameter("state", OpenApiTypes.STR, required=False), OpenApiParameter("q", OpenApiTypes.STR,
                                                                                      required=False)],
        summary="Demands the caller may see: its enterprise's, published ones, all for officers"),
    retrieve=extend_schema(tags=["demands"], responses={200: DemandSerializer, **error_responses(404)},
                           summary="One demand"),
    create=extend_schema(tags=["demands"], request=DemandInputSerializer, responses={201: DemandSerializer, **ERR},
                         summary="A verified enterprise posts a demand (a draft)"),
    partial_update=extend_schema(tags=["demands"], request=DemandInputSerializer,
                                 responses={200: DemandSerializer, **ERR}, summary="Edit a draft or submitted demand"),
)
class DemandViewSet(transition_actions(model=Demand, response_serializer=DemandSerializer, resource="demands",
                                       tag="demands", input_serializer=DemandTransitionInputSerializer,
                                       details_fields={"merge": ("into",)}),
                    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DemandSerializer
    lookup_value_converter = "int"
    filter_backends: list = []
    policy_actions = {"create": verified_enterprise, "partial_update": "change"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        params = self.request.query_params
        return selectors.demands_for(self.request.user, state=params.get("state", ""),
                                     query=params.get("q", "")).order_by("-created_at", "-id")

    def create(self, request):
        data = DemandInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        demand = demand_services.create_demand(request.user, **data.validated_data)
        return Response(DemandSerializer(demand).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        demand = self.get_object()
        data = DemandInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return Response(DemandSerializer(demand_services.update_demand(request.user, demand,
                                                                       **data.validated_data)).data)

    @extend_schema(tags=["demands"], request=DemandInterestInputSerializer, responses={200: InterestSerializer, **ERR},
                   summary="The demand's enterprise is interested in a result — both sides interested opens a "
                           "conversation")
    @action(detail=True, methods=["post"])
    def interest(self, request, pk=None):
        data = DemandInterestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        demand = self.get_object()
        result = get_object_or_404(visible(request.user, Result), pk=data.validated_data["result"])
        return Response(interest_data(interest_services.express_interest(request.user, result, demand)))


@extend_schema_view(
    list=extend_schema(tags=["roadshows"], summary="Roadshows (温州好成果 路演)"),
    retrieve=extend_schema(tags=["roadshows"], responses={200: RoadshowSerializer, **error_responses(404)},
                           summary="One roadshow"),
    create=extend_schema(tags=["roadshows"], request=RoadshowInputSerializer, responses={201: RoadshowSerializer, **ERR},
                         summary="Plan a roadshow with the results it presents (officers)"),
)
class RoadshowViewSet(transition_actions(model=Roadshow, response_serializer=RoadshowSerializer, resource="roadshows",
                                         tag="roadshows", runner=_runner(roadshow_services.transition_roadshow)),
                      mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RoadshowSerializer
    lookup_value_converter = "int"
    filter_backends: list = []
    policy_actions = {"create": officer, "register": "register"}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (visible(self.request.user, Roadshow).prefetch_related("presentations")
                .annotate(registration_count=Count("registrations", distinct=True)).order_by("-held_on", "-id"))

    def create(self, request):
        data = RoadshowInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        ids = fields.pop("results")
        results = [get_object_or_404(visible(request.user, Result), pk=pk) for pk in ids]
        roadshow = roadshow_services.plan_roadshow(request.user, results=results, **fields)
        return Response(RoadshowSerializer(roadshow).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["roadshows"], request=RegistrationInputSerializer, responses={200: RoadshowSerializer, **ERR},
                   summary="Register as an enterprise or an investor")
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        data = RegistrationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roadshow = self.get_object()
        roadshow_services.register(request.user, roadshow, data.validated_data["organisation"])
        return Response(RoadshowSerializer(roadshow).data)

    @extend_schema(tags=["roadshows"], request=FeedbackInputSerializer, responses={200: RoadshowSerializer, **ERR},
                   summary="A registered participant scores a presented result (1–5)")
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        roadshow = self.get_object()
        result = get_object_or_404(Result.objects.filter(presentations__roadshow=roadshow), pk=data.validated_data["result"])
        roadshow_services.give_feedback(request.user, roadshow, result, score=data.validated_data["score"],
                                        comment=data.validated_data["comment"])
        return Response(RoadshowSerializer(roadshow).data)


@extend_schema_view(
    list=extend_schema(tags=["licences"], summary="先用后转 licences the caller may see"),
    retrieve=extend_schema(tags=["licences"], responses={200: LicenceSerializer, **error_responses(404)},
                           summary="One 先用后转 licence"),
    create=extend_schema(tags=["licences"], request=LicenceInputSerializer, responses={201: LicenceSerializer, **ERR},
                         summary="The owner lets an enterprise use a result on trial (先用后转)"),
)
class LicenceViewSet(transition_actions(model=Licence, response_serializer=LicenceSerializer, resource="licences",
                                        tag="licences", input_serializer=LicenceTransitionInputSerializer,
                                        details_fields={"convert": ("contract_number", "contract_amount",
                                                                    "registered_on")},
                                        runner=_runner(licence_services.transition_licence)),
                     mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LicenceSerializer
    lookup_value_converter = "int"
    filter_backends: list = []
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return visible(self.request.user, Licence).select_related("result", "licensee").order_by("-trial_ends_on", "-id")

    def create(self, request):
        data = LicenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        result = get_object_or_404(visible(request.user, Result), pk=fields.pop("result"))
        licensee = get_object_or_404(Institution, pk=fields.pop("licensee"))
        licence = licence_services.grant_licence(request.user, result, licensee=licensee, **fields)
        return Response(LicenceSerializer(licence).data, status=status.HTTP_201_CREATED)


class BoardViewSet(viewsets.GenericViewSet):
    """The yearly 四个一批 board: results collected, road-showed, sent to validation and landed in a year."""

    serializer_class = BoardSerializer
    pagination_class = None
    filter_backends: list = []
    policy_actions = {"list": officer}

    @extend_schema(tags=["results"], parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=False)],
                   responses={200: BoardSerializer, **error_responses(400, 403)}, summary="The yearly 四个一批 board (officers)")
    def list(self, request):
        year = integer_param(request.query_params, "year", default=timezone.localdate().year,
                             low=FIRST_YEAR, high=LAST_YEAR)
        return Response(selectors.yearly_board(year))


@extend_schema_view(
    list=extend_schema(tags=["public"], auth=[], parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=False)],
                       summary="Published public demands, no sign-in"),
    retrieve=extend_schema(tags=["public"], auth=[], summary="One published public demand"),
)
class PublicDemandViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DemandSerializer
    authentication_classes: list = []
    allow_anonymous = True
    lookup_value_converter = "int"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.search(selectors.catalogue_demands(), self.request.query_params.get("q", "")).prefetch_related(
            "disciplines").order_by("-id")
