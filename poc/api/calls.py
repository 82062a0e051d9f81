"""API of calls for applications and of the discipline taxonomy."""
import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.api.serializers.calls import CallInputSerializer, CallSerializer, DisciplineSerializer
from poc.applications import selectors, services
from poc.models import ApplicationKind, Call, Discipline

from .errors import error_responses

_errors = error_responses


class CallFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ApplicationKind.choices)
    round = django_filters.CharFilter()
    published = django_filters.BooleanFilter()

    class Meta:
        model = Call
        fields = ["kind", "round", "published"]


@extend_schema_view(
    list=extend_schema(summary="Calls: published ones, or all for officers"),
    retrieve=extend_schema(responses={200: CallSerializer, **_errors(404)}),
)
class CallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CallSerializer
    filterset_class = CallFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no user, maybe no tables yet
            return Call.objects.none()
        return selectors.calls_visible_to(self.request.user).with_rules_frozen().order_by("-opens_at", "id")

    @extend_schema(request=CallInputSerializer, responses={201: CallSerializer, **_errors(400, 403)},
                   summary="Create a call (officers)")
    def create(self, request):
        serializer = CallInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call = services.save_call(request.user, None, **serializer.validated_data)
        return Response(CallSerializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CallInputSerializer, responses={200: CallSerializer, **_errors(400, 403, 404, 409)},
                   summary="Edit a call (officers)")
    def partial_update(self, request, pk=None):
        call = self.get_object()
        serializer = CallInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        call = services.save_call(request.user, call, **serializer.validated_data)
        return Response(CallSerializer(call).data)

    @extend_schema(request=None, responses={200: CallSerializer, **_errors(403, 404)}, summary="Publish a call (officers)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return Response(CallSerializer(services.publish_call(request.user, self.get_object(), True)).data)

    @extend_schema(request=None, responses={200: CallSerializer, **_errors(403, 404)},
                   summary="Withdraw a call from publication (officers)")
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return Response(CallSerializer(services.publish_call(request.user, self.get_object(), False)).data)


@extend_schema_view(
    list=extend_schema(summary="The taxonomy of disciplines and industries (学科/产业领域)"),
    retrieve=extend_schema(responses={200: DisciplineSerializer, **_errors(404)}),
)
class DisciplineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public reference data: every signed-in user reads the whole taxonomy."""

    serializer_class = DisciplineSerializer
    queryset = Discipline.objects.select_related("parent").order_by("code")
    lookup_field = "code"
    lookup_value_converter = "str"
    pagination_class = None
    filter_backends: list = []
