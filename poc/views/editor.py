"""The application editor (applicant, only while draft or returned): one page per section."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from poc import selectors as history_selectors
from poc.applications import selectors, services
from poc.applications.completeness import missing_items
from poc.applications.rules import is_applicant_member
from poc.centers import selectors as center_selectors
from poc.errors import DomainError
from poc.forms import (
    AttachmentForm,
    BasicsForm,
    BudgetLineForm,
    CenterDetailsForm,
    IPItemForm,
    MilestoneForm,
    PledgeForm,
    ProjectDetailsForm,
    ReviewPreferencesForm,
    TeamMemberForm,
    attach_domain_error,
)

from .common import form_data, report_refusal, visible_application
from .panel import transition_panel

# kind → (form, section title); the kinds are those of poc.applications.services.add_row.
ROWS = {
    "ip_items": (IPItemForm, gettext_lazy("IP items")),
    "team_members": (TeamMemberForm, gettext_lazy("Team")),
    "budget_lines": (BudgetLineForm, gettext_lazy("Budget")),
    "milestones": (MilestoneForm, gettext_lazy("Milestones")),
}


def editor_view(view):
    """Resolve the application: 404 if invisible, 403 if not the applicant's, back to the detail page if locked."""

    @wraps(view)
    @login_required
    def wrapper(request, pk, *args, **kwargs):
        application = visible_application(request, pk)
        if not is_applicant_member(application, request.user):
            raise PermissionDenied
        if not application.is_editable:
            messages.error(request, _("The application can no longer be edited: it is “%(state)s”.")
                           % {"state": application.get_state_display()})
            return redirect("application-detail", pk)
        return view(request, application, *args, **kwargs)

    return wrapper


def _render(request, application, template, section, status=200, **context):
    context.update({
        "application": application,
        "section": section,
        "missing_count": len(missing_items(application)),
        "row_sections": ROWS.items() if application.is_project else (),
    })
    return render(request, template, context, status=status)


def _invalid(request):
    messages.error(request, _("Nothing was saved: please correct the errors below."))


def _section_url(application, section: str) -> str:
    """The editor page where a checklist item's section is filled in."""
    if section in ROWS:
        return reverse("editor-rows", args=[application.pk, section])
    return reverse(f"editor-{section}", args=[application.pk])


@editor_view
def overview(request, application):
    returned = [e for e in selectors.timeline_for(application, request.user) if e["transition"] == "return_for_revision"]
    missing = missing_items(application)
    return _render(request, application, "poc/editor_overview.html", "overview", missing=missing,
                   checklist=[(item, _section_url(application, item.section)) for item in missing],
                   panel=transition_panel(application, request.user, known=missing),
                   return_entry=returned[-1] if returned else None)


@require_http_methods(["GET", "POST"])
@editor_view
def basics(request, application):
    form = BasicsForm(form_data(request), instance=application)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_application(request.user, application, **form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("editor-basics", application.pk)
        _invalid(request)
    return _render(request, application, "poc/editor_form.html", "basics", form=form,
                   title=_("Basics"), multipart=False)


@require_http_methods(["GET", "POST"])
@editor_view
def details(request, application):
    if application.is_center:
        form = CenterDetailsForm(form_data(request), instance=application.details)
    else:
        form = ProjectDetailsForm(form_data(request), instance=application.details,
                                  centers=center_selectors.active_centers())
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_application(request.user, application, **form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("editor-details", application.pk)
        _invalid(request)
    title = _("Center details") if application.is_center else _("Project details")
    return _render(request, application, "poc/editor_form.html", "details", form=form, title=title,
                   multipart=False)


@require_http_methods(["GET", "POST"])
@editor_view
def review_preferences(request, application):
    initial = {"disciplines": list(application.disciplines.all()),
               "excluded_experts": "\n".join(application.excluded_experts or [])}
    form = ReviewPreferencesForm(form_data(request), initial=initial, disciplines=history_selectors.disciplines())
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_review_preferences(request.user, application, **form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("editor-review", application.pk)
        _invalid(request)
    return _render(request, application, "poc/editor_form.html", "review", form=form,
                   title=_("Disciplines and recusal"), multipart=False)


def _rows_or_404(application, kind):
    if kind not in ROWS or application.is_center:
        raise Http404
    return getattr(application, kind).all()


@require_http_methods(["GET", "POST"])
@editor_view
def rows(request, application, kind):
    existing = _rows_or_404(application, kind)
    form_class, title = ROWS[kind]
    form = form_class(form_data(request), prefix="new")
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_row(request.user, application, kind, **form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Added."))
                return redirect("editor-rows", application.pk, kind)
        _invalid(request)
    return _render(request, application, "poc/editor_rows.html", kind, form=form, rows=existing, kind=kind,
                   title=title, row_form=form_class)


@require_http_methods(["GET", "POST"])
@editor_view
def row_edit(request, application, kind, row_pk):
    row = _rows_or_404(application, kind).filter(pk=row_pk).first()
    if row is None:
        raise Http404
    form_class, title = ROWS[kind]
    form = form_class(form_data(request), instance=row)
    if request.method == "POST":
        if form.is_valid():
            fresh = _rows_or_404(application, kind).get(pk=row_pk)
            try:
                services.update_row(request.user, fresh, **form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("editor-rows", application.pk, kind)
        _invalid(request)
    return _render(request, application, "poc/editor_form.html", kind, form=form, title=title,
                   multipart=False, cancel_url_name="editor-rows", kind=kind)


@require_POST
@editor_view
def row_delete(request, application, kind, row_pk):
    row = _rows_or_404(application, kind).filter(pk=row_pk).first()
    if row is None:
        raise Http404
    try:
        services.delete_row(request.user, row)
    except DomainError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, _("Deleted."))
    return redirect("editor-rows", application.pk, kind)


@require_http_methods(["GET", "POST"])
@editor_view
def attachments(request, application):
    form = AttachmentForm(form_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_attachment(request.user, application, form.cleaned_data["attachment_type"],
                                        form.cleaned_data["file"])
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Uploaded."))
                return redirect("editor-attachments", application.pk)
        _invalid(request)
    present = set(application.attachments.values_list("attachment_type", flat=True))
    required = [{"label": label, "present": code in present}
                for code, label in application.call.required_attachment_labels_by_type()]
    return _render(request, application, "poc/editor_attachments.html", "attachments", form=form,
                   attachments=application.attachments.all(), required=required)


@require_http_methods(["GET", "POST"])
@editor_view
def pledges(request, application):
    initial = {"integrity": bool(application.integrity_pledged_at), "ip_compliance": bool(application.ip_pledged_at)}
    form = PledgeForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_pledges(request.user, application, integrity=form.cleaned_data["integrity"],
                                     ip_compliance=form.cleaned_data["ip_compliance"])
        except DomainError as exc:
            report_refusal(request, exc)
        else:
            messages.success(request, _("Saved."))
        return redirect("editor-pledges", application.pk)
    return _render(request, application, "poc/editor_pledges.html", "pledges", form=form)
