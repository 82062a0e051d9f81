"""What the transfer pages share: running a workflow step from a button, the steps shown on a page."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.access import SIGNED_IN
from poc.access.pages import requires, visible_or_404
from poc.errors import DomainError
from poc.rules import all_transition_checks

from ..forms import StepForm
from ..models import Demand, Licence, Result, Roadshow
from ..services import demands, licences, results, roadshows

STEPPERS = {
    "results": (Result, results.transition_result, "transfer:result"),
    "demands": (Demand, demands.transition_demand, "transfer:demand"),
    "roadshows": (Roadshow, roadshows.transition_roadshow, "transfer:roadshow"),
    "licences": (Licence, licences.transition_licence, "transfer:licence"),
}
DETAILS = {"merge": ("into",), "convert": ("contract_number", "contract_amount")}


def steps(obj, user) -> list:
    """The steps leaving the object's current state, each allowed or with the reasons it is not."""
    return [c for c in all_transition_checks(obj, user) if c.allowed or c.status == 409]


def back(request, fallback: str, pk):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback, pk)


@require_POST
@requires(SIGNED_IN)
def step(request, kind: str, pk: int, name: str):
    """Run one declared transition from a page's button; refusals are shown as messages."""
    if kind not in STEPPERS:
        raise Http404
    model, service, page = STEPPERS[kind]
    obj = visible_or_404(request.user, model, pk=pk)
    form = StepForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    details = {f: data[f] for f in DETAILS.get(name, ()) if data.get(f) not in (None, "")}
    try:
        service(request.user, obj, name, data.get("comment", ""), **details)
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    return back(request, page, pk)
