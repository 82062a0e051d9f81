"""Applications: the list, the read-only detail page, workflow steps and site visits."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.access import can, officer
from poc.access.pages import allowed_or_403
from poc.applications import selectors, services
from poc.errors import DomainError
from poc.forms import ApplicationFilterForm, SiteVisitForm
from poc.workflow import run_transition

from .common import (
    form_status,
    redirect_back,
    report_form_errors,
    report_refusal,
    submit_form,
    visible_application,
)
from .panel import form_for, outcome_of, transition_panel
from .presenters import next_step


@login_required
def application_list(request):
    user = request.user
    calls = selectors.calls_visible_to(user).order_by("-opens_at")
    form = ApplicationFilterForm(request.GET or None, calls=calls)
    applications = form.narrow(selectors.applications_visible_to(user).order_by("-created_at"))
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "poc/application_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "show_institution": officer.holds(user),
    })


def detail_context(application, user) -> dict:
    officer_view = officer.holds(user)
    own = can(user, "change", application)
    context = {
        "application": application,
        "details": application.details,
        "attachments": application.attachments.all(),
        "timeline": selectors.timeline_for(application, user),
        "objections": application.objections.all(),
        "district_recommendations": application.district_recommendations.all(),
        "site_visits": application.site_visits.all(),
        "panel": transition_panel(application, user),
        "show_identities": officer_view,
        "can_edit": application.is_editable and own,
        "disciplines": application.disciplines.all(),
        # The experts an applicant asked to exclude are for the bureau's eyes (and the applicant's own).
        "show_exclusions": officer_view or own,
        "next_step": next_step(application) if own else "",
    }
    if application.is_project:
        context.update({
            "ip_items": application.ip_items.all(),
            "team_members": application.team_members.all(),
            "budget_lines": application.budget_lines.all(),
            "milestones": application.milestones.all(),
        })
    if site_visit_allowed(application, user):
        context["site_visit_form"] = SiteVisitForm(prefix="visit")
    return context


def site_visit_allowed(application, user) -> bool:
    """The page offers the site-visit form exactly when the service would record one."""
    try:
        services.check_site_visit(user, application)
    except DomainError:
        return False
    return True


@login_required
def application_detail(request, pk):
    application = visible_application(request, pk)
    return render(request, "poc/application_detail.html", detail_context(application, request.user))


@require_POST
@login_required
def application_transition(request, pk, name):
    """Run one workflow step; on refusal show the reasons, and nothing is changed."""
    application = visible_application(request, pk)
    form = form_for(name, request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect_back(request, "application-detail", pk)
    try:
        done = run_transition(application, name, request.user, form.cleaned_data["comment"], **form.details())
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect_back(request, "application-detail", pk)
    messages.success(request, outcome_of(name, done))
    return redirect_back(request, "application-detail", pk)


@require_POST
@login_required
def site_visit_add(request, pk):
    application = visible_application(request, pk)
    allowed_or_403(request.user, "record_site_visit", application)
    form = SiteVisitForm(request.POST, prefix="visit")
    done = submit_form(request, form, lambda data: services.record_site_visit(request.user, application, **data),
                       success=_("The site visit is recorded."), redirect_to=("application-detail", pk))
    if done:
        return done
    context = detail_context(application, request.user)
    context["site_visit_form"] = form
    return render(request, "poc/application_detail.html", context, status=form_status(form))
