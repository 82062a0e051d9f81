"""What the center and project pages share: the transition panel without the system steps, running a step
from a panel, and serving a stored file through a permission-checked view."""
import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from poc.access import applicant, officer
from poc.access.pages import requires
from poc.attachment_checks import ALLOWED
from poc.errors import DomainError
from poc.rules import describe, transition_methods
from poc.workflow import run_transition

from .common import redirect_back, report_form_errors, report_refusal
from .panel import form_for, transition_panel

# Officers and the institution's applicants; experts and fund managers have no business here (403).
outcome_roles_required = requires(officer | applicant)


def is_system_step(model, name) -> bool:
    """Steps marked ``system`` follow from a service (a score, an acceptance review, the nightly job), not a
    button: scoring an evaluation (``record_score``) moves the center, ``record_acceptance`` moves the project."""
    return bool(describe(model, name)["custom"].get("system"))


def outcome_panel(obj, user, known=(), skip=()) -> list[dict]:
    """The panel of ``poc.views.panel`` for a center, project, evaluation or change request, without the system
    steps and without ``skip`` (steps that have their own form on the page)."""
    return [entry for entry in transition_panel(obj, user, known)
            if not is_system_step(type(obj), entry["check"].name) and entry["check"].name not in skip]


def run_panel_step(request, obj, name, fallback, *args, skip=()):
    """Run one panel step (POST) on an object the caller has already found visible; back to the page."""
    model = type(obj)
    if name not in transition_methods(model) or is_system_step(model, name) or name in skip:
        raise Http404
    form = form_for(name, request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect_back(request, fallback, *args)
    try:
        done = run_transition(obj, name, request.user, form.cleaned_data["comment"])
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect_back(request, fallback, *args)
    messages.success(request, _("Done. The %(model)s is now “%(state)s”.") % {
        "model": model._meta.verbose_name, "state": done.get_state_display()})
    return redirect(fallback, *args)


def serve_file(field_file, filename, content_type=None):
    """A stored file as a private download under ``filename`` (never from a public media URL)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if content_type is None:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        content_type = ALLOWED.get(extension) or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
