"""API of an application's rows (IP items, team, budget, milestones) and attachments,
nested under ``applications/{id}/``."""
from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from poc.access.api import ParentLookupMixin
from poc.api.serializers.applications import ROW_SERIALIZERS, AttachmentSerializer, AttachmentUploadSerializer
from poc.applications import services
from poc.errors import BadInput
from poc.models import Application, Attachment

from .errors import error_responses
from .parsers import StrictMultiPartParser

_errors = error_responses


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
    class RowViewSet(ParentLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
        serializer_class = serializer
        parent_model, parent_kwarg = Application, "application_pk"

        def get_queryset(self):
            model = serializer.Meta.model
            if getattr(self, "swagger_fake_view", False):
                return model.objects.none()
            return model.objects.filter(application=self.get_parent()).select_related("application")

        def create(self, request, application_pk=None):
            application = self.get_parent()
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
class AttachmentViewSet(ParentLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = AttachmentSerializer
    parent_model, parent_kwarg = Application, "application_pk"
    parser_classes = [StrictMultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return Attachment.objects.filter(application=self.get_parent()).select_related("application")

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file whatever the client says it accepts.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(request={"multipart/form-data": AttachmentUploadSerializer},
                   responses={201: AttachmentSerializer, **_errors(400, 403, 404, 409)},
                   summary="Upload an attachment (checked by name, size and content)")
    def create(self, request, application_pk=None):
        application = self.get_parent()
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
