"""API of conflicts of interest: declared by experts, pinned by officers."""
import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from poc.api.errors import error_responses
from review import policies, selectors, services
from review.api.serializers.conflicts import ConflictPinSerializer, ConflictSerializer
from review.models import Conflict, ConflictSource

_errors = error_responses


class ConflictFilter(django_filters.FilterSet):
    application = django_filters.NumberFilter(field_name="application_id", help_text="Application id.")
    expert = django_filters.NumberFilter(field_name="expert_id", help_text="Expert id.")
    source = django_filters.ChoiceFilter(choices=ConflictSource.choices)
    call = django_filters.NumberFilter(field_name="application__call_id", help_text="Call id.")

    class Meta:
        model = Conflict
        fields = ["application", "expert", "source", "call"]


@extend_schema_view(
    list=extend_schema(summary="Recorded conflicts of interest with their source and reason (officers; empty "
                               "for everyone else)"),
    retrieve=extend_schema(responses={200: ConflictSerializer, **_errors(404)}),
)
class ConflictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conflicts of interest (回避): found by rule when an expert is considered, declared by the expert, or
    pinned by an officer."""

    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter
    lookup_value_converter = "int"
    policy_actions = {"create": policies.conflict.relation("create")}

    def get_queryset(self):
        return (selectors.conflicts_visible_to(self.request.user).select_related("recorded_by")
                .order_by("application_id", "expert_id", "source", "id"))

    @extend_schema(request=ConflictPinSerializer, responses={201: ConflictSerializer, **_errors(400, 403)},
                   summary="Pin a conflict no rule finds (officers); an active assignment of the pair is voided")
    def create(self, request):
        serializer = ConflictPinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conflict = services.pin_conflict(request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=conflict.pk)
        return Response(ConflictSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
