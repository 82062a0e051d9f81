"""API viewsets of poc: thin. Reads through the aggregates' selectors, writes through their services.

Every object is looked up in the caller's permission-filtered queryset, so an object the caller may
not see answers 404, exactly as if it did not exist; lists use the same querysets.
"""
import django_filters
from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from poc.applications import selectors, services
from poc.errors import BadInput
from poc.institutions import selectors as institution_selectors
from poc.institutions import services as institution_services
from poc.models import (
    Application,
    ApplicationKind,
    ApplicationState,
    Attachment,
    Call,
    Discipline,
    Institution,
    InstitutionType,
)

from .errors import error_responses
from .parsers import StrictMultiPartParser
from .serializers import (
    ROW_SERIALIZERS,
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ApplicationTransitionInputSerializer,
    ApplicationUpdateSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CallInputSerializer,
    CallSerializer,
    DisciplineSerializer,
    HistoryEntrySerializer,
    InstitutionInputSerializer,
    InstitutionSerializer,
    JoinByCodeSerializer,
    MembershipSerializer,
    PledgesSerializer,
    ReviewPreferencesSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .transitions import transition_actions

_errors = error_responses


# ------------------------------------------------------------------------ auth


@extend_schema(
    tags=["auth"], request=TokenRequestSerializer,
    responses={200: TokenSerializer, **error_responses(400, e400="Wrong or inactive credentials.")},
    summary="Exchange a username and password for an API token", auth=[],
)
class ObtainTokenView(ObtainAuthToken):
    """``POST auth/token/`` with username and password → ``{"token": …}``."""

    authentication_classes: list = []  # a login: no session (and so no CSRF) involved
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    throttle_classes = [ScopedRateThrottle]  # no password guessing at speed
    throttle_scope = "auth"


# ---------------------------------------------------------------- institutions


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


# ----------------------------------------------------------------------- calls


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
        return selectors.calls_visible_to(self.request.user).order_by("-opens_at", "id")

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


# ----------------------------------------------------------------- disciplines


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


# ---------------------------------------------------------------- applications


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
    details_fields={"record_objection": ("objector", "received_on", "signed")},
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


class ApplicationChildMixin:
    """For resources under ``applications/{application_pk}/``: 404 unless the caller may see the application."""

    lookup_value_converter = "int"
    pagination_class = None
    filter_backends: list = []

    def get_application(self) -> Application:
        if not hasattr(self, "_application"):
            application = selectors.application_for(self.request.user, self.kwargs["application_pk"])
            if application is None:
                raise Http404
            self._application = application
        return self._application


ROW_SUMMARIES = {
    "ip_items": "IP items (number, type, owner, status)",
    "team_members": "team members",
    "budget_lines": "budget lines",
    "milestones": "planned milestones",
}


def _row_viewset(kind: str, model_name: str):
    serializer = ROW_SERIALIZERS[kind]
    label = ROW_SUMMARIES[kind]
    tag = "application " + label.split(" (")[0]

    @extend_schema_view(
        list=extend_schema(tags=[tag], summary=f"The {label} of an application", responses={
            200: serializer(many=True), **_errors(404)}),
        retrieve=extend_schema(tags=[tag], responses={200: serializer, **_errors(404)}),
        create=extend_schema(tags=[tag], summary=f"Add to the {label} of a draft or returned project application",
                             responses={201: serializer, **_errors(400, 403, 404, 409)}),
        update=extend_schema(tags=[tag], responses={200: serializer, **_errors(400, 403, 404, 409)}),
        partial_update=extend_schema(tags=[tag], responses={200: serializer, **_errors(400, 403, 404, 409)}),
        destroy=extend_schema(tags=[tag], responses={204: None, **_errors(403, 404, 409)}),
    )
    class RowViewSet(ApplicationChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
        serializer_class = serializer

        def get_queryset(self):
            model = serializer.Meta.model
            if getattr(self, "swagger_fake_view", False):
                return model.objects.none()
            return model.objects.filter(application=self.get_application()).select_related("application")

        def create(self, request, application_pk=None):
            application = self.get_application()
            data = self._input(request)
            row = services.add_row(request.user, application, kind, **data)
            return Response(serializer(row).data, status=status.HTTP_201_CREATED)

        def update(self, request, application_pk=None, pk=None):
            return self._update(request, partial=False)

        def partial_update(self, request, application_pk=None, pk=None):
            return self._update(request, partial=True)

        def destroy(self, request, application_pk=None, pk=None):
            services.delete_row(request.user, self.get_object())
            return Response(status=status.HTTP_204_NO_CONTENT)

        def _update(self, request, partial):
            row = self.get_object()
            row = services.update_row(request.user, row, **self._input(request, partial=partial))
            return Response(serializer(row).data)

        @staticmethod
        def _input(request, partial=False):
            parsed = serializer(data=request.data, partial=partial)
            parsed.is_valid(raise_exception=True)
            return dict(parsed.validated_data)

    RowViewSet.__name__ = RowViewSet.__qualname__ = f"{model_name}ViewSet"
    return RowViewSet


IPItemViewSet = _row_viewset("ip_items", "IPItem")
TeamMemberViewSet = _row_viewset("team_members", "TeamMember")
BudgetLineViewSet = _row_viewset("budget_lines", "BudgetLine")
MilestoneViewSet = _row_viewset("milestones", "Milestone")


# The multipart envelope around a file adds a little; anything far beyond the limit is refused
# before it is read.
MULTIPART_SLACK_BYTES = 64 * 1024


@extend_schema_view(
    list=extend_schema(summary="Attachments of an application (metadata)",
                       responses={200: AttachmentSerializer(many=True), **_errors(404)}),
    retrieve=extend_schema(responses={200: AttachmentSerializer, **_errors(404)}),
)
class AttachmentViewSet(ApplicationChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = AttachmentSerializer
    parser_classes = [StrictMultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return Attachment.objects.filter(application=self.get_application()).select_related("application")

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file whatever the client says it accepts.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(request={"multipart/form-data": AttachmentUploadSerializer},
                   responses={201: AttachmentSerializer, **_errors(400, 403, 404, 409)},
                   summary="Upload an attachment (checked by name, size and content)")
    def create(self, request, application_pk=None):
        application = self.get_application()
        limit = settings.ATTACHMENT_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + MULTIPART_SLACK_BYTES:
            raise BadInput(_("The file is larger than the limit of %(limit)s MB.") % {"limit": f"{limit / 1048576:.0f}"},
                           field_errors={"file": [_("Too large.")]})
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.add_attachment(request.user, application, serializer.validated_data["attachment_type"],
                                             serializer.validated_data["file"])
        return Response(AttachmentSerializer(attachment, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **_errors(403, 404, 409)}, summary="Delete an attachment")
    def destroy(self, request, application_pk=None, pk=None):
        services.delete_attachment(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **_errors(404)},
                   summary="Download the file (permission-checked; never a public URL)")
    @action(detail=True, methods=["get"])
    def download(self, request, application_pk=None, pk=None):
        attachment = self.get_object()
        response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                                content_type=attachment.content_type)
        response["Cache-Control"] = "private, no-store"
        return response
