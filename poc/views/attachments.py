"""Attachments: streamed only through this permission-checked view, never from a public URL."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from poc.applications import services
from poc.errors import DomainError

from .common import report_refusal, visible_application


def _attachment(request, pk, attachment_pk):
    application = visible_application(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment


@require_GET
@login_required
def download(request, pk, attachment_pk):
    """The file, as a download under its original name (RFC 5987 ``filename*`` for non-ASCII names)."""
    attachment = _attachment(request, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def delete(request, pk, attachment_pk):
    attachment = _attachment(request, pk, attachment_pk)
    try:
        services.delete_attachment(request.user, attachment)
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect("application-detail", pk)
    messages.success(request, _("“%(name)s” is deleted.") % {"name": attachment.original_name})
    return redirect("editor-attachments", pk)
