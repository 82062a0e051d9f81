"""API of institutions and memberships (join requests and their decisions)."""
import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.api.serializers.institutions import (
    InstitutionInputSerializer,
    InstitutionSerializer,
    JoinByCodeSerializer,
    MembershipSerializer,
)
from poc.institutions import selectors as institution_selectors
from poc.institutions import services as institution_services
from poc.models import Institution, InstitutionType

from .errors import error_responses

_errors = error_responses


class InstitutionFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=InstitutionType.choices)
    verified = django_filters.BooleanFilter()

    class Meta:
        model = Institution
        fields = ["type", "verified"]


@extend_schema_view(
    list=extend_schema(summary="Institutions the caller may see: their own, or all for officers"),
    retrieve=extend_schema(responses={200: InstitutionSerializer, **_errors(404)}),
)
class InstitutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return institution_selectors.institutions_visible_to(self.request.user).order_by("name", "id")

    @extend_schema(request=InstitutionInputSerializer, responses={201: InstitutionSerializer, **_errors(400, 403, 409)},
                   summary="Register the caller's institution (the caller becomes its administrator)")
    def create(self, request):
        data = self._input(request)
        institution = institution_services.register_institution(request.user, **data)
        return Response(InstitutionSerializer(institution).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InstitutionInputSerializer, responses={200: InstitutionSerializer, **_errors(400, 403, 404)},
                   summary="Edit an institution (its administrators or officers)")
    def partial_update(self, request, pk=None):
        institution = self.get_object()
        data = self._input(request, partial=True)
        institution = institution_services.update_institution(request.user, institution, **data)
        return Response(InstitutionSerializer(institution).data)

    @extend_schema(request=None, responses={200: InstitutionSerializer, **_errors(403, 404, 409)},
                   summary="Verify an institution (officers)")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        institution = institution_services.verify_institution(request.user, self.get_object())
        return Response(InstitutionSerializer(institution).data)

    @extend_schema(request=None, responses={201: MembershipSerializer, **_errors(403, 404, 409)},
                   summary="Ask to join an institution")
    @action(detail=True, methods=["post"], url_path="join", url_name="join", filter_backends=[])
    def join(self, request, pk=None):
        return self._join(request, institution_selectors.institution_to_join(request.user, pk=pk))

    @extend_schema(request=JoinByCodeSerializer, responses={201: MembershipSerializer, **_errors(400, 403, 404, 409)},
                   summary="Ask to join an institution named by its unified social credit code",
                   operation_id="v1_institutions_join_by_code_create")
    @action(detail=False, methods=["post"], url_path="join", url_name="join-by-code", filter_backends=[])
    def join_by_code(self, request):
        serializer = JoinByCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._join(request, institution_selectors.institution_to_join(
            request.user, credit_code=serializer.validated_data["credit_code"]))

    def _join(self, request, institution):
        if institution is None:
            raise Http404
        membership = institution_services.request_membership(request.user, institution)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _input(request, partial=False):
        serializer = InstitutionInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="Pending join requests the caller may decide (institution administrators, officers)"),
)
class MembershipViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MembershipSerializer
    lookup_value_converter = "int"
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return institution_selectors.pending_memberships_for(self.request.user).order_by("created_at", "id")

    @extend_schema(request=None, responses={200: MembershipSerializer, **_errors(403, 404, 409)},
                   summary="Accept a join request")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        membership = institution_services.decide_membership(request.user, self.get_object(), accept=True)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=None, responses={200: MembershipSerializer, **_errors(403, 404, 409)},
                   summary="Decline a join request")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        membership = institution_services.decide_membership(request.user, self.get_object(), accept=False)
        return Response(MembershipSerializer(membership).data)
