"""Pages of enterprise technology demands (技术需求): list, post, edit, one demand with its matching results."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.access import SIGNED_IN, can, visible
from poc.access.pages import allowed_or_403, requires, visible_or_404
from poc.errors import DomainError
from poc.views.common import form_status, submit_form

from .. import matching, selectors
from ..forms import DemandForm
from ..models import Demand, DemandState, Result
from ..relations import verified_enterprise
from ..services import demands as services
from ..services import interests
from .common import steps

FIELDS = DemandForm.Meta.fields


@requires(SIGNED_IN)
def demand_list(request):
    state = request.GET.get("state", "")
    query = request.GET.get("q", "")
    rows = selectors.demands_for(request.user, state=state, query=query).order_by("-created_at")[:200]
    return render(request, "transfer/demand_list.html", {
        "rows": rows, "states": DemandState.choices, "state": state, "q": query,
        "may_add": verified_enterprise.holds(request.user)})


@requires(verified_enterprise)
def demand_create(request):
    form = DemandForm(request.POST or None)
    done = submit_form(request, form, lambda data: services.create_demand(
        request.user, **{k: v for k, v in data.items() if k in FIELDS}),
        success=_("The demand is saved as a draft."), redirect_to=lambda d: ("transfer:demand", d.pk))
    return done or render(request, "transfer/demand_form.html", {"form": form}, status=form_status(form))


@requires(SIGNED_IN)
def demand_edit(request, pk):
    demand = visible_or_404(request.user, Demand, pk=pk)
    allowed_or_403(request.user, "change", demand)
    form = DemandForm(request.POST) if request.method == "POST" else DemandForm(instance=demand)
    done = submit_form(request, form, lambda data: services.update_demand(
        request.user, demand, **{k: v for k, v in data.items() if k in FIELDS}),
        success=_("Saved."), redirect_to=("transfer:demand", demand.pk))
    return done or render(request, "transfer/demand_form.html", {"form": form, "demand": demand},
                          status=form_status(form))


@requires(SIGNED_IN)
def demand_detail(request, pk):
    demand = visible_or_404(request.user, Demand.objects.select_related("enterprise", "merged_into"), pk=pk)
    user = request.user
    return render(request, "transfer/demand_detail.html", {
        "demand": demand, "steps": steps(demand, user),
        "may_edit": can(user, "change", demand) and demand.state in (DemandState.DRAFT, DemandState.SUBMITTED),
        "matches": matching.results_for_demand(user, demand),
        "may_interest": can(user, "change", demand),
        "conversations": visible(user, demand.conversations.select_related("result")),
    })


@require_POST
@requires(SIGNED_IN)
def interest(request, result_pk, demand_pk):
    """Either side says it is interested; both sides → a conversation opens and both are notified."""
    result = visible_or_404(request.user, Result, pk=result_pk)
    demand = visible_or_404(request.user, Demand, pk=demand_pk)
    try:
        made = interests.express_interest(request.user, result, demand)
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        opened = made.result.conversations.filter(demand=demand).exists()
        messages.success(request, _("Both sides are interested: a conversation is open.") if opened
                         else _("Your interest is recorded; the other side is told when it is mutual."))
    target = request.POST.get("back", "result")
    return redirect("transfer:demand", demand_pk) if target == "demand" else redirect("transfer:result", result_pk)
