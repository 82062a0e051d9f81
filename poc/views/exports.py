"""Downloading an export (``/exports/<name>.csv`` or ``.xlsx``, the list's filters in the query string).

GET answers with the file at once; an export of more than ``EXPORT_INLINE_ROWS`` rows answers with a page
offering to prepare it in the background. POST starts that background job (``poc.tasks.run_export``) and
shows its progress bar. Who may export and which rows are the export's own (``poc.exports``): a refusal is a
403 with its words, an object the user may not see a 404, and nothing is started for either.
"""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from poc.errors import NotAllowed
from poc.exports import CONTENT_TYPES, FORMATS, get_export, write
from poc.jobs import start_job

TASK = "poc.tasks.run_export"


def export_kind(name: str) -> str:
    """The background job's kind for export ``name`` (its page shows the export's title)."""
    return f"export:{name}"


def _export_or_404(name, fmt):
    if fmt not in FORMATS:
        raise Http404
    try:
        return get_export(name)
    except LookupError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@login_required
def export_download(request, name, fmt):
    export = _export_or_404(name, fmt)
    try:
        table = export.table(request.user, request.GET)
    except NotAllowed as exc:  # refused in the policy's words, and nothing started
        return render(request, "poc/exports/refused.html", {"export": export, "reasons": exc.messages}, status=403)
    params = export.clean(request.GET)
    if request.method == "POST":
        job = start_job(request.user, export_kind(name), TASK, [name, fmt, params])
        return redirect("job-detail", pk=job.pk)
    rows = table.count()
    if rows > settings.EXPORT_INLINE_ROWS:
        return render(request, "poc/exports/background.html", {"export": export, "fmt": fmt, "rows": rows})
    file_name, content = write(export, fmt, table)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response
