"""``/api/v1/exports/``: the exports of :mod:`poc.exports` for API clients.

``GET /api/v1/exports/`` lists the exports the caller may use (name, title, the query parameters each reads);
``GET /api/v1/exports/{name}/?file=csv|xlsx&…`` answers with the file, the same bytes as the page's download.
Who may export and which rows are each export's own (403 with the policy's words; 404 for a call the caller
may not view). An export larger than ``EXPORT_INLINE_ROWS`` answers 409: it runs in the background from its
page, where the progress bar shows how far it is.
"""
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from poc.errors import NotNow
from poc.exports import CONTENT_TYPES, FORMATS, get_export, registered_exports, write

from .errors import error_responses

ExportSerializer = inline_serializer("Export", {
    "name": serializers.CharField(), "title": serializers.CharField(),
    "params": serializers.ListField(child=serializers.CharField()),
    "formats": serializers.ListField(child=serializers.CharField()),
}, many=True)


class ExportViewSet(viewsets.ViewSet):
    lookup_field = "name"
    lookup_value_converter = "slug"
    policy_actions: dict = {}  # signed in; each export's own ``who`` decides, with its words

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file whatever the client says it accepts.
        return super().perform_content_negotiation(request, force=force or self.action == "retrieve")

    @extend_schema(responses={200: ExportSerializer}, summary="The exports the caller may use")
    def list(self, request):
        return Response([
            {"name": export.name, "title": str(export.title), "params": list(export.params), "formats": list(FORMATS)}
            for export in sorted(registered_exports().values(), key=lambda e: e.name) if export.who.holds(request.user)
        ])

    @extend_schema(
        parameters=[OpenApiParameter("file", str, enum=[*FORMATS], default="csv",
                                     description="csv (UTF-8 with a BOM) or xlsx"),
                    OpenApiParameter("call", int, required=False, description="the call (ranking, reviews)")],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **error_responses(403, 404, 409)},
        summary="Download an export (the rows the caller may view)")
    def retrieve(self, request, name=None):
        fmt = request.query_params.get("file", "csv")
        if fmt not in FORMATS:
            raise Http404
        try:
            export = get_export(name)
        except LookupError:
            raise Http404 from None
        table = export.table(request.user, request.query_params)
        rows = table.count()
        if rows > settings.EXPORT_INLINE_ROWS:
            raise NotNow(_("This export has %(n)s rows: start it in the background from its page.") % {"n": rows})
        file_name, content = write(export, fmt, table)
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        response["Cache-Control"] = "private, no-store"
        return response
