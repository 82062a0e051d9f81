"""Transfer obligations (转化义务): a project's technology contracts (技术合同认定登记) and payments received,
the municipal major-project series flag, and the bureau's list of overdue obligations."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.access import can

from .. import figures, monitoring_services, selectors
from ..forms import ContractForm, PaymentForm
from ..models import MAJOR_SERIES_THRESHOLD, TechContract, reaches_major_series, short_of_major_series
from .common import form_status, officer, requires, submit_form, visible_or_404


def _visible_project(request, pk):
    return visible_or_404(request.user, selectors.obligation_projects_visible_to(request.user), pk=pk)


def obligations_context(request, project, contract_form=None, payment_forms=None) -> dict:
    user = request.user
    may_record = can(user, "register_contract", project)
    contracts = list(project.tech_contracts.prefetch_related("payments").order_by("registered_on", "id"))
    payment_forms = payment_forms or {}
    for contract in contracts:
        contract.total = sum((p.amount for p in contract.payments.all()), 0)
        contract.payment_form = payment_forms.get(contract.pk) or (
            PaymentForm(prefix=f"pay{contract.pk}") if may_record else None)
    received = figures.received_on_contracts(project)
    decision = getattr(project.application, "funding_decision", None)
    return {
        "project": project, "contracts": contracts, "received": received,
        "eligible": reaches_major_series(received), "threshold": MAJOR_SERIES_THRESHOLD,
        "short_by": short_of_major_series(received),
        "overdue": selectors.obligation_overdue(project),
        "decision": decision if decision and selectors.decisions_visible_to(user).filter(pk=decision.pk).exists()
        else None,
        "contract_form": contract_form or (ContractForm(prefix="contract") if may_record else None),
        "may_record": may_record,
    }


@login_required
def project_obligations(request, pk):
    project = _visible_project(request, pk)
    return render(request, "funding/obligations.html", obligations_context(request, project))


@require_POST
@login_required
def contract_add(request, pk):
    project = _visible_project(request, pk)
    form = ContractForm(request.POST, prefix="contract")
    done = submit_form(request, form, lambda data: monitoring_services.register_contract(request.user, project, **data),
                       success=_("The technology contract is registered."), redirect_to=("funding:obligations", pk))
    return done or render(request, "funding/obligations.html",
                          obligations_context(request, project, contract_form=form), status=form_status(form))


@require_POST
@login_required
def payment_add(request, pk):
    contract = visible_or_404(request.user, TechContract, pk=pk)
    project = _visible_project(request, contract.project_id)
    form = PaymentForm(request.POST, prefix=f"pay{contract.pk}")
    done = submit_form(
        request, form, lambda data: monitoring_services.record_contract_payment(request.user, contract, **data),
        success=_("The payment received is recorded."), redirect_to=("funding:obligations", project.pk))
    return done or render(request, "funding/obligations.html",
                          obligations_context(request, project, payment_forms={contract.pk: form}),
                          status=form_status(form))


@requires(officer)
def overdue(request):
    today = timezone.localdate()
    projects = [p for p in selectors.obligation_projects_visible_to(request.user)
                .filter(pk__in=selectors.overdue_obligations(today).values("pk")).order_by("obligation_due_on")]
    for project in projects:
        project.days_overdue = (today - project.obligation_due_on).days
    return render(request, "funding/overdue_obligations.html", {"projects": projects, "today": today})
