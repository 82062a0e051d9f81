"""The bureau officer's pages: the inbox, and the verification of institutions."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.applications import selectors
from poc.errors import DomainError
from poc.forms import InstitutionFilterForm
from poc.institutions import selectors as institution_selectors
from poc.institutions import services
from poc.models import ApplicationState

from .common import officer_required, redirect_back, report_refusal

# States in which the bureau has something to do.
ACTION_STATES = ("submitted", "recommended", "reviewed", "objection", "public_notice")


def inbox_rows(user):
    """One row per call: the number of applications in each state, in workflow order."""
    calls = list(selectors.calls_visible_to(user).order_by("-opens_at"))
    counts: dict[int, dict[str, int]] = {}
    for row in selectors.inbox_counts(calls):
        counts.setdefault(row["call_id"], {})[row["state"]] = row["n"]
    rows = []
    for call in calls:
        per_state = counts.get(call.pk, {})
        chips = [
            {"state": value, "label": label, "n": per_state[value], "action": value in ACTION_STATES}
            for value, label in ApplicationState.choices if per_state.get(value)
        ]
        rows.append({"call": call, "chips": chips, "total": sum(per_state.values()),
                     "waiting": sum(per_state.get(s, 0) for s in ACTION_STATES)})
    return rows


@officer_required
def officer_home(request):
    user = request.user
    unverified = institution_selectors.institutions_visible_to(user).filter(verified=False).order_by("created_at")
    return render(request, "poc/home_officer.html", {
        "rows": inbox_rows(user),
        "unverified": unverified[:10],
        "unverified_count": unverified.count(),
        "join_requests": institution_selectors.pending_memberships_for(user)[:10],
        "join_request_count": institution_selectors.pending_memberships_for(user).count(),
    })


@officer_required
def institution_list(request):
    form = InstitutionFilterForm(request.GET or None)
    institutions = institution_selectors.institutions_visible_to(request.user).order_by("verified", "name")
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            institutions = institutions.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
        if form.cleaned_data["verified"]:
            institutions = institutions.filter(verified=form.cleaned_data["verified"] == "yes")
    page = Paginator(institutions, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "poc/institution_list.html", {"form": form, "page": page, "query": query.urlencode()})


@require_POST
@officer_required
def institution_verify(request, pk):
    institution = get_object_or_404(institution_selectors.institutions_visible_to(request.user), pk=pk)
    try:
        services.verify_institution(request.user, institution)
    except DomainError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, _("“%(name)s” is verified.") % {"name": institution.name})
    return redirect_back(request, "institution-list")

