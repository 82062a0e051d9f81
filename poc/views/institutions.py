"""Institutions: register one, ask to join one, see and edit one's own, decide join requests."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from poc.access import can, officer, visible
from poc.access.pages import allowed_or_403
from poc.applications import selectors as application_selectors
from poc.errors import DomainError
from poc.forms import InstitutionForm, JoinSearchForm
from poc.institutions import selectors, services
from poc.models import Institution

from .common import applicant_required, form_data, redirect_back, report_refusal, submit_form


@applicant_required
def institution_start(request):
    """After registration: register an institution, or ask to join one."""
    institution = selectors.institution_of(request.user)
    if institution is not None:
        return redirect("institution-detail", institution.pk)
    return render(request, "poc/institution_start.html",
                  {"requests": selectors.membership_requests_of(request.user)})


@require_http_methods(["GET", "POST"])
@applicant_required
def institution_register(request):
    if selectors.institution_of(request.user) is not None:
        messages.info(request, _("You already belong to an institution."))
        return redirect("home")
    form = InstitutionForm(form_data(request))
    done = submit_form(request, form, lambda data: services.register_institution(request.user, **data),
                       success=lambda institution: _("“%(name)s” is registered. The bureau will verify it; you can "
                                                     "prepare applications in the meantime.") % {"name": institution.name},
                       redirect_to="home")
    return done or render(request, "poc/institution_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@applicant_required
def institution_join(request):
    """Search institutions by name or credit code and ask to join one."""
    if selectors.institution_of(request.user) is not None:
        messages.info(request, _("You already belong to an institution."))
        return redirect("home")
    if request.method == "POST":
        pk = request.POST.get("institution", "")
        institution = get_object_or_404(Institution, pk=int(pk)) if pk.isdigit() else None
        if institution is None:
            raise Http404
        try:
            services.request_membership(request.user, institution)
        except DomainError as exc:
            report_refusal(request, exc)
            return redirect("institution-join")
        messages.success(request, _("Your request to join “%(name)s” was sent to its administrators and the "
                                    "bureau.") % {"name": institution.name})
        return redirect("home")
    form = JoinSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(request, "poc/institution_join.html", {
        "form": form, "query": query, "results": selectors.institutions_matching(query),
        "requests": selectors.membership_requests_of(request.user),
    })


@login_required
def institution_mine(request):
    institution = selectors.institution_of(request.user)
    if institution is None:
        return redirect("institution-start")
    return redirect("institution-detail", institution.pk)


@login_required
def institution_detail(request, pk):
    institution = get_object_or_404(selectors.institutions_visible_to(request.user), pk=pk)
    user = request.user
    can_edit = can(user, "edit", institution)
    return render(request, "poc/institution_detail.html", {
        "institution": institution,
        "members": selectors.members_of(institution),
        "applications": application_selectors.applications_visible_to(user).filter(institution=institution)[:50],
        "can_edit": can_edit,
        "join_requests": selectors.pending_memberships_for(user).filter(institution=institution),
    })


@require_http_methods(["GET", "POST"])
@login_required
def institution_edit(request, pk):
    institution = get_object_or_404(selectors.institutions_visible_to(request.user), pk=pk)
    allowed_or_403(request.user, "edit", institution)
    form = InstitutionForm(form_data(request), instance=institution, lock_credit_code=True)

    def update(data):
        fresh = selectors.institutions_visible_to(request.user).get(pk=pk)
        return services.update_institution(request.user, fresh, **{k: v for k, v in data.items() if k != "credit_code"})

    done = submit_form(request, form, update, success=_("Saved."), redirect_to=("institution-detail", pk))
    return done or render(request, "poc/institution_form.html", {"form": form, "institution": institution})


@login_required
def membership_requests(request):
    """Join requests the user may decide: officers all; institution administrators their own."""
    pending = selectors.pending_memberships_for(request.user).order_by("created_at")
    if not (officer.holds(request.user) or visible(request.user, Institution, "decide_membership").exists()):
        raise PermissionDenied
    return render(request, "poc/membership_requests.html", {"pending": pending})


@require_POST
@login_required
def membership_decide(request, pk):
    membership = get_object_or_404(selectors.pending_memberships_for(request.user), pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_membership(request.user, membership, accept=accept)
    except DomainError as exc:
        report_refusal(request, exc)
    else:
        who = membership.user.get_full_name() or membership.user.username
        if accept:
            messages.success(request, _("%(user)s is now a member of “%(name)s”.")
                             % {"user": who, "name": membership.institution.name})
        else:
            messages.info(request, _("The request of %(user)s was declined.") % {"user": who})
    return redirect_back(request, "membership-requests")
