"""The expert pool (officers only): a filtered list, and each expert's affiliations, conflicts and work."""
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.access.pages import visible_or_404
from poc.errors import DomainError
from poc.jobs import start_job

from .. import invitations, selectors
from ..forms import ExpertFilterForm
from ..models import AssignmentState
from .common import officer_required


@officer_required
def expert_list(request):
    form = ExpertFilterForm(request.GET or None)
    experts = selectors.experts_visible_to(request.user).select_related("institution").annotate(
        active_assignments=Count("assignments", filter=Q(assignments__state=AssignmentState.ACTIVE), distinct=True))
    if form.is_valid():
        experts = selectors.filter_experts(experts, **form.cleaned_data)
    page = Paginator(experts.order_by("name", "pk"), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "review/expert_list.html", {"form": form, "page": page, "query": query.urlencode()})


@officer_required
def expert_detail(request, pk):
    user = request.user
    expert = visible_or_404(user, selectors.experts_visible_to(user).select_related("institution", "user"), pk=pk)
    return render(request, "review/expert_detail.html", {
        "expert": expert,
        "affiliations": expert.affiliations.select_related("institution").order_by("-started_on"),
        "conflicts": selectors.conflicts_visible_to(user).filter(expert=expert).select_related("recorded_by"),
        "assignments": selectors.assignments_visible_to(user).filter(expert=expert)
        .select_related("application__call").order_by("-assigned_at"),
        "needs_invitation": invitations.needs_invitation(expert),
        "invitations": invitations.invitations_of(expert),
        "invitation_days": settings.INVITATION_TIMEOUT // 86400,
    })


@require_POST
@officer_required
def invite(request, pk):
    """Email the expert a link to set their password (for an account that has none yet)."""
    user = request.user
    expert = visible_or_404(user, selectors.experts_visible_to(user).select_related("user"), pk=pk)
    try:
        invitations.invite_expert(user, expert)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The invitation is on its way to %(email)s.") % {"email": expert.user.email})
    return redirect("review:expert", pk=expert.pk)


@require_POST
@officer_required
def export_background(request):
    """Prepare the pool's XLSX export in the background; the job's page shows its progress."""
    job = start_job(request.user, "expert-pool-export", "review.tasks.export_expert_pool")
    return redirect("job-detail", pk=job.pk)
