"""API of annual performance evaluations (年度绩效评价) and their evidence.

The institution creates one per data year, fills its metrics, uploads evidence and files it; an officer
returns it or scores it (``transitions/record_score/`` with ``{"score": …}``), which grades it and, in the
same step, moves the center (the transition's declared consequence). Objects are looked up in the caller's permission-filtered queryset (:mod:`poc.centers.selectors`).
"""
import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.access.api import ParentLookupMixin
from poc.api.files import DOWNLOAD, DownloadNegotiationMixin, download_response, refuse_oversized
from poc.api.serializers.evaluations import (
    EvaluationCreateSerializer,
    EvaluationSerializer,
    EvaluationTransitionInputSerializer,
    EvaluationUpdateSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
)
from poc.centers import selectors as center_selectors
from poc.centers import services as center_services
from poc.models import AnnualEvaluation, EvaluationState, Grade

from .errors import error_responses
from .parsers import StrictMultiPartParser
from .transitions import transition_actions

_errors = error_responses


class EvaluationFilter(django_filters.FilterSet):
    center = django_filters.NumberFilter(field_name="center_id", help_text="Center id.")
    data_year = django_filters.NumberFilter()
    state = django_filters.ChoiceFilter(choices=EvaluationState.choices)
    grade = django_filters.ChoiceFilter(choices=Grade.choices)

    class Meta:
        model = AnnualEvaluation
        fields = ["center", "data_year", "state", "grade"]


EvaluationTransitionActions = transition_actions(
    model=AnnualEvaluation, response_serializer=EvaluationSerializer,
    input_serializer=EvaluationTransitionInputSerializer, details_fields={"record_score": ("score",)},
    resource="annual evaluations", tag="evaluations",
)


@extend_schema_view(
    list=extend_schema(tags=["evaluations"], summary="Annual evaluations the caller may see"),
    retrieve=extend_schema(tags=["evaluations"], responses={200: EvaluationSerializer, **_errors(404)},
                           summary="One annual evaluation with its metrics, evidence and what it still lacks"),
)
class EvaluationViewSet(EvaluationTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return (center_selectors.evaluations_visible_to(self.request.user).prefetch_related("evidence")
                .order_by("center_id", "-data_year", "id"))

    def _detail(self, evaluation, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=evaluation.pk).first() or evaluation
        return Response(EvaluationSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(tags=["evaluations"], request=EvaluationCreateSerializer,
                   responses={201: EvaluationSerializer, **_errors(400, 403, 409)},
                   summary="Open the evaluation of a data year (the center's institution; one per data year)")
    def create(self, request):
        serializer = EvaluationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        evaluation = center_services.start_evaluation(request.user, serializer.validated_data["center"],
                                                      serializer.validated_data["data_year"])
        return self._detail(evaluation, status.HTTP_201_CREATED)

    @extend_schema(tags=["evaluations"], request=EvaluationUpdateSerializer,
                   responses={200: EvaluationSerializer, **_errors(400, 403, 404, 409)},
                   summary="Fill the metrics of a draft evaluation (the center's institution)")
    def partial_update(self, request, pk=None):
        evaluation = self.get_object()
        serializer = EvaluationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        evaluation = center_services.update_evaluation(request.user, evaluation, **serializer.validated_data)
        return self._detail(evaluation)


@extend_schema_view(
    list=extend_schema(tags=["evaluations"], summary="Evidence files of an annual evaluation (metadata)",
                       responses={200: EvidenceSerializer(many=True), **_errors(404)}),
    retrieve=extend_schema(tags=["evaluations"], responses={200: EvidenceSerializer, **_errors(404)}),
)
class EvidenceViewSet(ParentLookupMixin, DownloadNegotiationMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EvidenceSerializer
    parent_model, parent_kwarg = AnnualEvaluation, "evaluation_pk"
    parser_classes = [StrictMultiPartParser]
    download_actions = ("download",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return center_selectors.evidence_visible_to(self.request.user).none()
        return center_selectors.evidence_visible_to(self.request.user).filter(evaluation=self.get_parent()).order_by("id")

    @extend_schema(tags=["evaluations"], request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={201: EvidenceSerializer, **_errors(400, 403, 404, 409)},
                   summary="Upload an evidence file to a draft evaluation (checked by name, size and content)")
    def create(self, request, evaluation_pk=None):
        evaluation = self.get_parent()
        refuse_oversized(request)
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = center_services.add_evidence(request.user, evaluation, serializer.validated_data["title"],
                                                serializer.validated_data["file"])
        return Response(EvidenceSerializer(evidence, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(tags=["evaluations"], responses={**DOWNLOAD, **_errors(404)},
                   summary="Download an evidence file (permission-checked; never a public URL)")
    @action(detail=True, methods=["get"])
    def download(self, request, evaluation_pk=None, pk=None):
        evidence = self.get_object()
        return download_response(evidence.file, evidence.original_name, evidence.content_type)
