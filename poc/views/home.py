"""The home page ("home", LOGIN_REDIRECT_URL): one page per role."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from poc.access import applicant, district_officer, expert, fund_manager, officer
from poc.applications import selectors as application_selectors
from poc.homes import home_url
from poc.institutions import selectors
from poc.roles import EXPERT, FUND_MANAGER

from .district import district_home
from .officer import officer_home
from .presenters import next_step
from .projects import outcomes_of


@login_required
def home(request):
    user = request.user
    if officer.holds(user):
        return officer_home(request)
    if applicant.holds(user):
        return applicant_home(request)
    if district_officer.holds(user):
        return district_home(request)
    if expert.holds(user):
        return expert_home(request)
    if fund_manager.holds(user):
        return fund_manager_home(request)
    return render(request, "poc/home_norole.html")


HOME_ROWS = 20  # applications a page of the applicant's home shows; the rest are a page away


def applicant_home(request):
    """The institution, its applications a page at a time (latest first) and its latest centers and projects."""
    user = request.user
    institution = selectors.institution_of(user)
    page = Paginator(application_selectors.applications_visible_to(user).order_by("-created_at", "-pk"),
                     HOME_ROWS).get_page(request.GET.get("page"))
    applications = list(page.object_list)
    for application in applications:
        application.next_step = next_step(application)
    open_calls = application_selectors.calls_visible_to(user).open_at().order_by("closes_at")
    return render(request, "poc/home_applicant.html", {
        "institution": institution,
        "requests": selectors.membership_requests_of(user)[:5] if institution is None else [],
        "join_requests_waiting": selectors.pending_memberships_for(user).count() if institution else 0,
        "applications": applications,
        "page": page,
        "open_calls": open_calls,
        **outcomes_of(user, limit=HOME_ROWS),  # the latest designated centers and funded projects
    })


def _registered_home(request, role_code):
    """The landing page a higher app registered for the role (poc.homes), else the plain list."""
    url = home_url(role_code)
    return redirect(url) if url else viewer_home(request)


def expert_home(request):
    """The expert's landing page belongs to the expert review, which registers it in :mod:`poc.homes`."""
    return _registered_home(request, EXPERT)


def fund_manager_home(request):
    """The fund manager's landing page belongs to funding, which registers it in :mod:`poc.homes`."""
    return _registered_home(request, FUND_MANAGER)


def viewer_home(request):
    """Experts and fund managers: what they may see now (review and funding pages come later)."""
    applications = application_selectors.applications_visible_to(request.user).order_by("-created_at")
    return render(request, "poc/home_viewer.html", {
        "applications": applications,
        "is_expert_home": expert.holds(request.user),
    })
