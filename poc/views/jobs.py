"""A background job's page: a progress bar that updates itself (htmx polls the partial every second until the job
is done or failed), then the result to download. Only the job's owner sees any of it (404 for everybody else)."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from ..models import BackgroundJob, JobState


def _own_job(request, pk) -> BackgroundJob:
    return get_object_or_404(BackgroundJob, pk=pk, owner=request.user)


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def job_title(job) -> str:
    """What an export job prepares (its export's title), or "" for the other kinds."""
    from poc.exports import get_export

    prefix, _, name = job.kind.partition(":")
    if prefix != "export":
        return ""
    try:
        return str(get_export(name).title)
    except LookupError:
        return ""


@login_required
def job_detail(request, pk):
    job = _own_job(request, pk)
    return _private(render(request, "poc/jobs/detail.html", {"job": job, "title": job_title(job)}))


@login_required
def job_progress(request, pk):
    """The progress partial (htmx): polls again while the job is queued or running."""
    return _private(render(request, "poc/jobs/_progress.html", {"job": _own_job(request, pk)}))


@login_required
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.state != JobState.DONE or not job.result:
        raise Http404
    response = FileResponse(job.result.open("rb"), as_attachment=True,
                            filename=job.result_name or job.result.name.rsplit("/", 1)[-1])
    return _private(response)
