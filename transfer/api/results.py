"""API of results (成果), their detail requests, the patent-list import, matches and the public catalogue.

Thin: lists come from ``visible(...)`` (a result another institution owns answers 404), writes call
:mod:`transfer.services`, state changes go through the shared transition endpoints.
"""
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from poc.access import applicant, visible
from poc.api.errors import error_responses
from poc.api.filters import integer_param
from poc.api.parsers import StrictMultiPartParser
from poc.api.transitions import transition_actions
from poc.errors import BadInput
from poc.models import Call, Center

from .. import importing, matching, selectors
from ..models import Demand, DetailRequest, Interest, Result
from ..relations import with_detail_granted
from ..services import interests as interest_services
from ..services import results as services
from .serializers import (
    DecideSerializer,
    DetailRequestInputSerializer,
    DetailRequestSerializer,
    ImportInputSerializer,
    ImportPreviewSerializer,
    InterestInputSerializer,
    InterestSerializer,
    LandingEvidenceInputSerializer,
    LandingEvidenceSerializer,
    MatchSerializer,
    PublicResultSerializer,
    PublishSerializer,
    ResultInputSerializer,
    ResultSerializer,
    ValidationInputSerializer,
)

TAG = "results"
ERR = error_responses(400, 403, 404, 409)

query_params = [
    OpenApiParameter("stage", OpenApiTypes.STR, required=False, description="Only results in this stage."),
    OpenApiParameter("dormant", OpenApiTypes.BOOL, required=False, description="Only dormant patents (沉睡专利)."),
    OpenApiParameter("q", OpenApiTypes.STR, required=False, description="Substring of title, summary or keywords."),
]


@extend_schema_view(
    list=extend_schema(tags=[TAG], parameters=query_params,
                       summary="Results the caller may see: its institution's, published ones for enterprises, all "
                               "for officers"),
    retrieve=extend_schema(tags=[TAG], responses={200: ResultSerializer, **error_responses(404)},
                           summary="One result (its confidential detail only for those granted it)"),
    create=extend_schema(tags=[TAG], request=ResultInputSerializer, responses={201: ResultSerializer, **ERR},
                         summary="Add a result to the caller's institution's library"),
    partial_update=extend_schema(tags=[TAG], request=ResultInputSerializer, responses={200: ResultSerializer, **ERR},
                                 summary="Edit a result (its institution's members)"),
)
class ResultViewSet(transition_actions(model=Result, response_serializer=ResultSerializer, resource="results",
                                       tag=TAG),
                    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ResultSerializer
    lookup_value_converter = "int"
    filter_backends: list = []
    parser_classes = [JSONParser, StrictMultiPartParser]
    policy_actions = {"create": applicant, "partial_update": "change", "publish": "publish",
                      "request_detail": "request_detail", "evidence": "record_evidence", "validation": "change",
                      "import_file": applicant, "interest": "express_interest"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        params = self.request.query_params
        results = selectors.results_for(
            self.request.user, stage=params.get("stage", ""), dormant=params.get("dormant", "") in ("1", "true"),
            query=params.get("q", "")).order_by("-created_at", "-id")
        return with_detail_granted(results, self.request.user)

    def create(self, request):
        data = ResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.create_result(request.user, **data.validated_data)
        return Response(ResultSerializer(result, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        result = self.get_object()
        data = ResultInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        result = services.update_result(request.user, result, **data.validated_data)
        return Response(ResultSerializer(result, context={"request": request}).data)

    def _done(self, result):
        result.refresh_from_db()
        return Response(ResultSerializer(result, context={"request": self.request}).data)

    @extend_schema(tags=[TAG], request=PublishSerializer, responses={200: ResultSerializer, **ERR},
                   summary="Clear a result for the public catalogue (or withdraw it)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(services.publish_result(request.user, self.get_object(), data.validated_data["published"]))

    @extend_schema(tags=[TAG], request=DetailRequestInputSerializer, responses={201: DetailRequestSerializer, **ERR},
                   summary="A verified enterprise asks for the result's confidential detail")
    @action(detail=True, methods=["post"], url_path="request-detail")
    def request_detail(self, request, pk=None):
        data = DetailRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.request_detail(request.user, self.get_object(), data.validated_data["purpose"])
        return Response(DetailRequestSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=[TAG], request=LandingEvidenceInputSerializer, responses={201: LandingEvidenceSerializer, **ERR},
                   summary="Record landing evidence (a registered contract, a licence, an investment, a company); "
                           "the result then lands")
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        data = LandingEvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.record_evidence(request.user, self.get_object(), **data.validated_data)
        return Response(LandingEvidenceSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=[TAG], request=ValidationInputSerializer, responses={200: ResultSerializer, **ERR},
                   summary="Send the result to validation: a pre-filled project application at a chosen center")
    @action(detail=True, methods=["post"])
    def validation(self, request, pk=None):
        data = ValidationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = self.get_object()
        call = Call.objects.filter(pk=data.validated_data["call"], published=True).first()
        center_id = data.validated_data.get("center")
        center = Center.objects.filter(pk=center_id).first() if center_id else None
        if call is None or (center_id and center is None):
            raise BadInput(str(_missing()), field_errors={"call" if call is None else "center": [str(_missing())]})
        services.start_validation(request.user, result, call=call, center=center,
                                  comment=data.validated_data["comment"])
        return self._done(result)

    @extend_schema(tags=[TAG], request=InterestInputSerializer, responses={200: InterestSerializer, **ERR},
                   summary="Express interest in a demand (the owner) — both sides interested opens a conversation")
    @action(detail=True, methods=["post"])
    def interest(self, request, pk=None):
        data = InterestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = self.get_object()
        demand = get_object_or_404(visible(request.user, Demand), pk=data.validated_data["demand"])
        made = interest_services.express_interest(request.user, result, demand)
        return Response(interest_data(made))

    @extend_schema(tags=[TAG], request={"multipart/form-data": ImportInputSerializer},
                   parameters=[OpenApiParameter("confirm", OpenApiTypes.BOOL, required=False,
                                                description="Import (all rows or none); without it, a preview.")],
                   responses={200: ImportPreviewSerializer, **ERR},
                   summary="Preview or import an institution's patent list (CSV or XLSX)")
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_file(self, request):
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        from poc.institutions.selectors import institution_of

        preview = importing.parse_result_file(data.validated_data["file"], institution_of(request.user))
        imported = 0
        if request.query_params.get("confirm", "") in ("1", "true") and preview.clean:
            imported = len(importing.import_results(request.user, preview))
        body = {"rows": len(preview.rows), "dormant": preview.dormant_count, "imported": imported,
                "errors": [e._asdict() for e in preview.errors]}
        return Response(body, status=200 if not preview.errors else 400)


def _missing():
    from django.utils.translation import gettext as _

    return _("Not found.")


def interest_data(interest: Interest) -> dict:
    return {"result": interest.result_id, "demand": interest.demand_id, "side": interest.side,
            "conversation_open": interest.result.conversations.filter(demand=interest.demand).exists()}


@extend_schema_view(
    list=extend_schema(tags=["detail-requests"], summary="Detail requests the caller may see"),
    retrieve=extend_schema(tags=["detail-requests"], summary="One detail request"),
)
class DetailRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DetailRequestSerializer
    lookup_value_converter = "int"
    filter_backends: list = []
    policy_actions = {"decide": "decide"}

    def get_queryset(self):
        return visible(self.request.user, DetailRequest).select_related("enterprise").order_by("-requested_at", "-id")

    @extend_schema(tags=["detail-requests"], request=DecideSerializer, responses={200: DetailRequestSerializer, **ERR},
                   summary="The result's owner grants or refuses its confidential detail")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.decide_detail(request.user, self.get_object(), grant=data.validated_data["grant"])
        return Response(DetailRequestSerializer(decided).data)


def match_data(matches, kind: str) -> list[dict]:
    rows = []
    for m in matches:
        owner = getattr(m.obj, "institution", None) or getattr(m.obj, "enterprise", None)
        title = getattr(m.obj, "title", None) or getattr(m.obj, "name", "")
        rows.append({"kind": kind, "id": m.obj.pk, "title": title, "owner": str(owner) if owner else "",
                     "score": m.score, "reasons": m.reasons})
    return rows


class MatchViewSet(viewsets.GenericViewSet):
    """``/matches/?result=ID`` (its best demands; ``&target=centers``: the centers that could validate it) or
    ``/matches/?demand=ID`` (its best results), among what the caller may see, public fields only."""

    serializer_class = MatchSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(tags=["matches"], parameters=[
        OpenApiParameter("result", OpenApiTypes.INT, required=False, description="Match this result."),
        OpenApiParameter("demand", OpenApiTypes.INT, required=False, description="Match this demand."),
        OpenApiParameter("target", OpenApiTypes.STR, required=False, enum=["demands", "centers"],
                         description="With `result`: demands (default) or centers."),
        OpenApiParameter("limit", OpenApiTypes.INT, required=False, description="At most this many (default 10)."),
    ], responses={200: MatchSerializer(many=True), **error_responses(400, 404)},
        summary="Ranked matches with their reasons (affinity of disciplines and keywords)")
    def list(self, request):
        params = request.query_params
        limit = max(1, min(integer_param(params, "limit", default=10), 50))
        if params.get("result"):
            result = get_object_or_404(visible(request.user, Result), pk=integer_param(params, "result"))
            if params.get("target") == "centers":
                return Response(match_data(matching.centers_for_result(result, limit), "center"))
            return Response(match_data(matching.demands_for_result(request.user, result, limit), "demand"))
        if params.get("demand"):
            demand = get_object_or_404(visible(request.user, Demand), pk=integer_param(params, "demand"))
            return Response(match_data(matching.results_for_demand(request.user, demand, limit), "result"))
        from django.utils.translation import gettext as _

        raise BadInput(_("Name a result or a demand to match."))


@extend_schema_view(
    list=extend_schema(tags=["public"], auth=[], parameters=[query_params[2]],
                       summary="The public catalogue of results (温州好成果), no sign-in"),
    retrieve=extend_schema(tags=["public"], auth=[], summary="One published result's public facts"),
)
class PublicResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PublicResultSerializer
    authentication_classes: list = []
    allow_anonymous = True
    lookup_value_converter = "int"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.search(selectors.catalogue_results(), self.request.query_params.get("q", "")).prefetch_related(
            "disciplines").order_by("-id")
