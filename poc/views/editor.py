"""The application editor (applicant, only while draft or returned): one page per section."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from poc import selectors as history_selectors
from poc.access.pages import allowed_or_403
from poc.applications import selectors, services
from poc.applications.completeness import missing_items
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
)

from .common import form_data, form_status, report_refusal, submit_form, visible_application
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
        allowed_or_403(request.user, "change", application)
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


def _save(request, form, use_case, redirect_to, success=None):
    """``submit_form`` for the editor's sections: on a refused or invalid POST, say that nothing was saved."""
    done = submit_form(request, form, use_case, success=success or _("Saved."), redirect_to=redirect_to)
    if done is None and request.method == "POST":
        _invalid(request)
    return done


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
    done = _save(request, form, lambda data: services.update_application(request.user, application, **data),
                 ("editor-basics", application.pk))
    return done or _render(request, application, "poc/editor_form.html", "basics", form=form,
                   title=_("Basics"), multipart=False)


@require_http_methods(["GET", "POST"])
@editor_view
def details(request, application):
    if application.is_center:
        form = CenterDetailsForm(form_data(request), instance=application.details)
    else:
        form = ProjectDetailsForm(form_data(request), instance=application.details,
                                  centers=center_selectors.active_centers())
    done = _save(request, form, lambda data: services.update_application(request.user, application, **data),
                 ("editor-details", application.pk))
    if done:
        return done
    title = _("Center details") if application.is_center else _("Project details")
    return _render(request, application, "poc/editor_form.html", "details", form=form, title=title,
                   multipart=False)


@require_http_methods(["GET", "POST"])
@editor_view
def review_preferences(request, application):
    initial = {"disciplines": list(application.disciplines.all()),
               "excluded_experts": "\n".join(application.excluded_experts or [])}
    form = ReviewPreferencesForm(form_data(request), initial=initial, disciplines=history_selectors.disciplines())
    done = _save(request, form, lambda data: services.set_review_preferences(request.user, application, **data),
                 ("editor-review", application.pk))
    return done or _render(request, application, "poc/editor_form.html", "disciplines", form=form,
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
    done = _save(request, form, lambda data: services.add_row(request.user, application, kind, **data),
                 ("editor-rows", application.pk, kind), success=_("Added."))
    return done or _render(request, application, "poc/editor_rows.html", kind, form=form, rows=existing, kind=kind,
                   title=title, row_form=form_class)


@require_http_methods(["GET", "POST"])
@editor_view
def row_edit(request, application, kind, row_pk):
    row = _rows_or_404(application, kind).filter(pk=row_pk).first()
    if row is None:
        raise Http404
    form_class, title = ROWS[kind]
    form = form_class(form_data(request), instance=row)
    done = _save(request, form, lambda data: services.update_row(
        request.user, _rows_or_404(application, kind).get(pk=row_pk), **data), ("editor-rows", application.pk, kind))
    return done or _render(request, application, "poc/editor_form.html", kind, form=form, title=title,
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
    done = _save(request, form, lambda data: services.add_attachment(
        request.user, application, data["attachment_type"], data["file"]), ("editor-attachments", application.pk),
        success=_("Uploaded."))
    if done:
        return done
    present = set(application.attachments.values_list("attachment_type", flat=True))
    required = [{"label": label, "present": code in present}
                for code, label in application.call.required_attachment_labels_by_type()]
    # A refused upload answers 400 with its reason, as the API does.
    return _render(request, application, "poc/editor_attachments.html", "attachments", form=form,
                   status=form_status(form), attachments=application.attachments.all(), required=required)


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
