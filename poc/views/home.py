"""The home page ("home", LOGIN_REDIRECT_URL): one page per role."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from poc.applications import selectors as application_selectors
from poc.institutions import selectors
from poc.roles import has_role, is_officer

from .officer import officer_home
from .presenters import next_step
from .projects import outcomes_of


@login_required
def home(request):
    user = request.user
    if is_officer(user):
        return officer_home(request)
    if has_role(user, "applicant"):
        return applicant_home(request)
    if has_role(user, "expert"):
        return expert_home(request)
    if has_role(user, "fund_manager"):
        return fund_manager_home(request)
    return render(request, "poc/home_norole.html")


def applicant_home(request):
    user = request.user
    institution = selectors.institution_of(user)
    applications = list(application_selectors.applications_visible_to(user).order_by("-created_at"))
    for application in applications:
        application.next_step = next_step(application)
    open_calls = application_selectors.calls_visible_to(user).open_at().order_by("closes_at")
    return render(request, "poc/home_applicant.html", {
        "institution": institution,
        "requests": selectors.membership_requests_of(user)[:5] if institution is None else [],
        "join_requests_waiting": selectors.pending_memberships_for(user).count() if institution else 0,
        "applications": applications,
        "open_calls": open_calls,
        **outcomes_of(user),  # designated centers and funded projects
    })


def expert_home(request):
    """The expert's landing page belongs to the review app ("review:queue"). poc does not import review
    (DESIGN §1): it names the page by its URL name, and falls back to the plain list when no app serves it."""
    try:
        return redirect(reverse("review:queue"))
    except NoReverseMatch:
        return viewer_home(request)


def fund_manager_home(request):
    """The fund manager's landing page belongs to the funding app ("funding:home"), named by its URL name as for
    experts, so poc never imports funding; the plain list when no app serves it."""
    try:
        return redirect(reverse("funding:home"))
    except NoReverseMatch:
        return viewer_home(request)


def viewer_home(request):
    """Experts and fund managers: what they may see now (review and funding pages come later)."""
    applications = application_selectors.applications_visible_to(request.user).order_by("-created_at")
    return render(request, "poc/home_viewer.html", {
        "applications": applications,
        "is_expert_home": has_role(request.user, "expert"),
    })
