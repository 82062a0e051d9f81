"""API of the expert pool (officers)."""
import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.api.errors import error_responses
from review import policies, selectors, services
from review.api.serializers.experts import ExpertCreateSerializer, ExpertSerializer, ExpertUpdateSerializer
from review.models import Expert

_errors = error_responses


class ExpertFilter(django_filters.FilterSet):
    discipline = django_filters.CharFilter(field_name="disciplines__code", help_text="A discipline code.")
    active = django_filters.BooleanFilter()
    institution = django_filters.NumberFilter(field_name="institution_id", help_text="Institution id.")

    class Meta:
        model = Expert
        fields = ["discipline", "active", "institution"]


@extend_schema_view(
    list=extend_schema(summary="The expert pool (officers; empty for everyone else)"),
    retrieve=extend_schema(responses={200: ExpertSerializer, **_errors(404)}, summary="An expert of the pool (officers)"),
)
class ExpertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The expert pool (评审专家库). Expert identities are confidential: only officers read the pool; an expert
    reads their own profile at ``experts/me/``."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter
    lookup_value_converter = "int"
    # Relations, so a caller who may not manage the pool is refused before any look-up (403, not 404).
    policy_actions = {
        "create": policies.expert.relation("create"),
        "update": policies.expert.relation("change"),
        "partial_update": policies.expert.relation("change"),
    }

    def get_queryset(self):
        return (selectors.experts_visible_to(self.request.user)
                .select_related("user", "institution").prefetch_related("affiliations__institution")
                .order_by("name", "id").distinct())

    def _detail(self, expert, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=expert.pk)
        return Response(ExpertSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ExpertCreateSerializer, responses={201: ExpertSerializer, **_errors(400, 403)},
                   summary="Add an expert to the pool (officers)")
    def create(self, request):
        serializer = ExpertCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = services.create_expert(request.user, **serializer.validated_data)
        return self._detail(expert, status.HTTP_201_CREATED)

    @extend_schema(request=ExpertUpdateSerializer, responses={200: ExpertSerializer, **_errors(400, 403, 404)},
                   summary="Replace an expert's profile (officers)")
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    @extend_schema(request=ExpertUpdateSerializer, responses={200: ExpertSerializer, **_errors(400, 403, 404)},
                   summary="Edit an expert of the pool (officers)")
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, partial):
        expert = self.get_object()
        serializer = ExpertUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        expert = services.update_expert(request.user, expert, **serializer.validated_data)
        return self._detail(expert)

    @extend_schema(responses={200: ExpertSerializer, **_errors(404)},
                   summary="The caller's own expert profile (404 for a caller who is not an expert)")
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def me(self, request):
        expert = selectors.expert_of(request.user)
        if expert is None:
            raise Http404
        return Response(ExpertSerializer(expert, context=self.get_serializer_context()).data)
