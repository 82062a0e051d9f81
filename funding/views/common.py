"""What the funding pages share: guards, object lookups that answer 404 for what the user may not see, and
transition panels built from the models' declared transitions. Every decision reads the access policy
(funding/policies.py)."""
from django.shortcuts import get_object_or_404

from poc.access import fund_manager, officer  # noqa: F401  (re-exported for the funding views)
from poc.access.pages import allowed_or_403, requires, visible_or_404  # noqa: F401
from poc.views.common import (  # noqa: F401  (re-exported for the funding views)
    form_data,
    form_status,
    redirect_back,
    report_refusal,
    submit_form,
)
from poc.views.panel import transition_panel

from ..models import Fund, FundingDecision, Tranche

# The pages of a fund's records: bureau officers and fund managers (each then sees only what the policy shows).
staff = officer | fund_manager


def visible_decision(request, pk):
    """A decision the user may see (officers, the fund's managers, the applicant institution); 404 otherwise."""
    return visible_or_404(request.user, FundingDecision.objects.select_related(
        "application", "fund", "application__institution"), pk=pk)


def managed_decision(request, pk):
    """A decision whose ledgers the user may see: officers and the fund's managers.

    Somebody who may not see the decision at all gets 404 (its existence stays hidden); the applicant of the
    decision, who knows it exists, gets 403 (the fund's holdings are not theirs to see)."""
    decision = visible_decision(request, pk)
    allowed_or_403(request.user, "manage", decision)
    return decision


def managed_tranche(request, pk):
    """A tranche of a decision whose ledgers the user may see (404 / 403 as :func:`managed_decision`)."""
    tranche = get_object_or_404(Tranche.objects.select_related("decision__fund"), pk=pk)
    managed_decision(request, tranche.decision_id)
    return tranche


def visible_fund(request, pk):
    return visible_or_404(request.user, Fund, pk=pk)


def steps(obj, user, forms=None, exclude=()) -> list[dict]:
    """The transition panel of ``obj``: allowed steps as forms (``forms`` maps a step to the form class that asks
    for more than a comment), refused ones with their reasons, those never open to the user hidden."""
    forms = forms or {}
    entries = []
    for entry in transition_panel(obj, user):
        name = entry["check"].name
        if name in exclude:
            continue
        if entry["form"] is not None and name in forms:
            form = forms[name](prefix=name)
            comment = form.fields["comment"]
            comment.required = entry["check"].needs_comment
            comment.label = entry["form"].fields["comment"].label
            entry["form"] = form
        entries.append(entry)
    return entries
