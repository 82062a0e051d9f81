"""API of applications: list, detail, create, edit, pledges, review preferences, history and
the workflow transitions.

Every object is looked up in the caller's permission-filtered queryset, so an object the caller may
not see answers 404, exactly as if it did not exist; lists use the same querysets.
"""
import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.api.serializers.applications import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ApplicationTransitionInputSerializer,
    ApplicationUpdateSerializer,
    HistoryEntrySerializer,
    PledgesSerializer,
    ReviewPreferencesSerializer,
)
from poc.applications import selectors, services
from poc.models import Application, ApplicationKind, ApplicationState

from .errors import error_responses
from .transitions import transition_actions

_errors = error_responses


class ApplicationFilter(django_filters.FilterSet):
    call = django_filters.NumberFilter(field_name="call_id", help_text="Call id.")
    institution = django_filters.NumberFilter(field_name="institution_id", help_text="Institution id.")
    state = django_filters.ChoiceFilter(choices=ApplicationState.choices)
    kind = django_filters.ChoiceFilter(choices=ApplicationKind.choices)

    class Meta:
        model = Application
        fields = ["call", "institution", "state", "kind"]


ApplicationTransitionActions = transition_actions(
    model=Application,
    response_serializer=ApplicationDetailSerializer,
    input_serializer=ApplicationTransitionInputSerializer,
    details_fields={"record_objection": ("objector", "contact", "received_on", "signed")},
    resource="applications",
)


@extend_schema_view(
    list=extend_schema(summary="Applications the caller may see"),
    retrieve=extend_schema(responses={200: ApplicationDetailSerializer, **_errors(404)},
                           summary="One application with its details, rows, attachments and checklist"),
)
class ApplicationViewSet(ApplicationTransitionActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    filterset_class = ApplicationFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        qs = selectors.applications_visible_to(self.request.user)
        if self.action in ("retrieve", "create", "partial_update", "pledges", "review_preferences"):
            qs = qs.select_related("center_details", "project_details").prefetch_related(
                "ip_items", "team_members", "budget_lines", "milestones", "attachments", "disciplines")
        return qs.order_by("-created_at", "-id")

    def get_serializer_class(self):
        return ApplicationSerializer if self.action == "list" else ApplicationDetailSerializer

    def _detail(self, application, code=status.HTTP_200_OK):
        # Read back through the selector: the caller sees what it may see, with fresh rows.
        fresh = self.get_queryset().filter(pk=application.pk).first() or application
        return Response(ApplicationDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ApplicationCreateSerializer,
                   responses={201: ApplicationDetailSerializer, **_errors(400, 403, 409)},
                   summary="Start a draft application to an open call for the caller's institution")
    def create(self, request):
        serializer = ApplicationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        application = services.start_application(request.user, serializer.validated_data["call"],
                                                 serializer.validated_data["title"])
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationUpdateSerializer,
                   responses={200: ApplicationDetailSerializer, **_errors(400, 403, 404, 409)},
                   summary="Edit the basics and the details of a draft or returned application")
    def partial_update(self, request, pk=None):
        application = self.get_object()
        serializer = ApplicationUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fields = {**data.pop("center_details", {}), **data.pop("project_details", {}), **data}
        application = services.update_application(request.user, application, **fields)
        return self._detail(application)

    @extend_schema(request=PledgesSerializer, responses={200: ApplicationDetailSerializer, **_errors(400, 403, 404, 409)},
                   summary="Confirm (or withdraw) the research-integrity pledge and the IP-compliance statement")
    @action(detail=True, methods=["post"], filter_backends=[])
    def pledges(self, request, pk=None):
        application = self.get_object()
        serializer = PledgesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.confirm_pledges(request.user, application, **serializer.validated_data)
        return self._detail(application)

    @extend_schema(request=ReviewPreferencesSerializer,
                   responses={200: ApplicationDetailSerializer, **_errors(400, 403, 404, 409)},
                   summary="Set the disciplines and the experts to exclude (replaces both)")
    @action(detail=True, methods=["put"], url_path="review-preferences", url_name="review-preferences",
            filter_backends=[])
    def review_preferences(self, request, pk=None):
        application = self.get_object()
        serializer = ReviewPreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.set_review_preferences(request.user, application, **serializer.validated_data)
        return self._detail(application)

    @extend_schema(responses={200: HistoryEntrySerializer(many=True), **_errors(404)},
                   summary="The audit trail of an application, as the caller may see it")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        application = self.get_object()
        return Response(HistoryEntrySerializer(selectors.timeline_for(application, request.user), many=True).data)
