"""Uploads and downloads of the API after approval: the size guard, file responses and content negotiation."""
from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes

from poc.errors import BadInput

# The multipart envelope around a file adds a little; anything far beyond the limit is refused unread.
MULTIPART_SLACK_BYTES = 64 * 1024


def refuse_oversized(request):
    limit = settings.ATTACHMENT_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_SLACK_BYTES:
        raise BadInput(_("The file is larger than the limit of %(limit)s MB.") % {"limit": f"{limit / 1048576:.0f}"},
                       field_errors={"file": [_("Too large.")]})


def download_response(field_file, name: str, content_type: str | None = None) -> FileResponse:
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name,
                            content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


DOWNLOAD = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


class DownloadNegotiationMixin:
    """A download answers with the file whatever the client says it accepts."""

    download_actions: tuple[str, ...] = ()

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=force or self.action in self.download_actions)
