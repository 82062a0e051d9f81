"""The home page ("home", LOGIN_REDIRECT_URL): one page per role."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from poc import selectors
from poc.roles import has_role, is_officer

from .officer import officer_home
from .presenters import next_step


@login_required
def home(request):
    user = request.user
    if is_officer(user):
        return officer_home(request)
    if has_role(user, "applicant"):
        return applicant_home(request)
    if has_role(user, "expert") or has_role(user, "fund_manager"):
        return viewer_home(request)
    return render(request, "poc/home_norole.html")


def applicant_home(request):
    user = request.user
    institution = selectors.institution_of(user)
    applications = list(selectors.applications_visible_to(user).order_by("-created_at"))
    for application in applications:
        application.next_step = next_step(application)
    open_calls = selectors.calls_visible_to(user).open_at().order_by("closes_at")
    return render(request, "poc/home_applicant.html", {
        "institution": institution,
        "requests": selectors.membership_requests_of(user)[:5] if institution is None else [],
        "join_requests_waiting": selectors.pending_memberships_for(user).count() if institution else 0,
        "applications": applications,
        "open_calls": open_calls,
    })


def viewer_home(request):
    """Experts and fund managers: what they may see now (review and funding pages come later)."""
    applications = selectors.applications_visible_to(request.user).order_by("-created_at")
    return render(request, "poc/home_viewer.html", {
        "applications": applications,
        "is_expert_home": has_role(request.user, "expert"),
    })
