"""Transfer obligations (转化义务): a project's technology contracts (技术合同认定登记) and payments received, as
recorded and as the bureau verified them, the municipal major-project series flag, and the bureau's lists of
overdue obligations and series candidates."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.access import can
from poc.errors import DomainError

from .. import contracts as contract_services
from .. import selectors
from ..forms import AmendmentForm, ContractForm, PaymentDecisionForm, PaymentForm, RegistrationForm
from ..models import (
    MAJOR_SERIES_THRESHOLD,
    ContractPayment,
    MajorSeriesCandidate,
    PaymentState,
    TechContract,
    reaches_major_series,
    short_of_major_series,
)
from .common import form_status, officer, redirect_back, report_refusal, requires, submit_form, visible_or_404


def _visible_project(request, pk):
    return visible_or_404(request.user, selectors.obligation_projects_visible_to(request.user), pk=pk)


def _contract_forms(contract, user, bound):
    """The forms a contract's card offers ``user`` (bound ones shown again with their errors)."""
    prefix = f"c{contract.pk}"
    may_pay = can(user, "record_payment", contract)
    contract.payment_form = bound.get(("pay", contract.pk)) or (
        PaymentForm(prefix=f"pay{contract.pk}") if may_pay else None)
    contract.registration_form = bound.get(("register", contract.pk)) or (
        RegistrationForm(prefix=f"reg{prefix}") if can(user, "register", contract) else None)
    contract.amendment_form = bound.get(("amend", contract.pk)) or (
        AmendmentForm(prefix=f"amend{prefix}") if can(user, "amend", contract) else None)


def obligations_context(request, project, contract_form=None, bound=None) -> dict:
    user = request.user
    may_record = can(user, "register_contract", project)
    contracts = list(project.tech_contracts.prefetch_related("payments").order_by("registered_on", "id"))
    for contract in contracts:
        payments = list(contract.payments.all())
        contract.total = sum((p.amount for p in payments if p.state in PaymentState.RECEIVED), 0)
        contract.total_verified = sum((p.amount for p in payments if p.state == PaymentState.VERIFIED), 0)
        contract.payment_rows = [(p, p.state == PaymentState.RECORDED and can(user, "verify", p)) for p in payments]
        _contract_forms(contract, user, bound or {})
    decision = getattr(project.application, "funding_decision", None)
    return {
        "project": project, "contracts": contracts, "received": project.total_received,
        "verified": project.total_verified, "eligible": reaches_major_series(project.total_verified),
        "threshold": MAJOR_SERIES_THRESHOLD, "short_by": short_of_major_series(project.total_verified),
        "candidacy": getattr(project, "major_series_candidacy", None),
        "overdue": selectors.obligation_overdue(project),
        "decision": decision if decision and selectors.decisions_visible_to(user).filter(pk=decision.pk).exists()
        else None,
        "contract_form": contract_form or (ContractForm(prefix="contract") if may_record else None),
        "may_record": may_record, "is_officer": bool(officer.holds(user, project)),
        "decision_form": PaymentDecisionForm(prefix="decide"),
    }


def _again(request, project, **kwargs):
    form = kwargs.get("contract_form") or next(iter((kwargs.get("bound") or {}).values()))
    return render(request, "funding/obligations.html", obligations_context(request, project, **kwargs),
                  status=form_status(form))


@login_required
def project_obligations(request, pk):
    project = _visible_project(request, pk)
    return render(request, "funding/obligations.html", obligations_context(request, project))


@require_POST
@login_required
def contract_add(request, pk):
    project = _visible_project(request, pk)
    form = ContractForm(request.POST, prefix="contract")
    done = submit_form(request, form, lambda data: contract_services.register_contract(request.user, project, **data),
                       success=_("The technology contract is recorded."), redirect_to=("funding:obligations", pk))
    return done or _again(request, project, contract_form=form)


def _contract_and_project(request, pk):
    contract = visible_or_404(request.user, TechContract, pk=pk)
    return contract, _visible_project(request, contract.project_id)


@require_POST
@login_required
def contract_register(request, pk):
    contract, project = _contract_and_project(request, pk)
    form = RegistrationForm(request.POST, prefix=f"regc{contract.pk}")
    done = submit_form(request, form, lambda data: contract_services.record_registration(request.user, contract,
                                                                                         **data),
                       success=_("The contract's registration is recorded."),
                       redirect_to=("funding:obligations", project.pk))
    return done or _again(request, project, bound={("register", contract.pk): form})


@require_POST
@login_required
def contract_amend(request, pk):
    contract, project = _contract_and_project(request, pk)
    form = AmendmentForm(request.POST, prefix=f"amendc{contract.pk}")
    done = submit_form(request, form, lambda data: contract_services.amend_contract(request.user, contract, **data),
                       success=_("The contract amount is amended."), redirect_to=("funding:obligations", project.pk))
    return done or _again(request, project, bound={("amend", contract.pk): form})


@require_POST
@login_required
def payment_add(request, pk):
    contract, project = _contract_and_project(request, pk)
    form = PaymentForm(request.POST, prefix=f"pay{contract.pk}")
    done = submit_form(
        request, form, lambda data: contract_services.record_contract_payment(request.user, contract, **data),
        success=_("The payment received is recorded; the bureau verifies it."),
        redirect_to=("funding:obligations", project.pk))
    return done or _again(request, project, bound={("pay", contract.pk): form})


@require_POST
@login_required
def payment_decide(request, pk, step):
    """An officer verifies (核实) a payment, or refuses it with a reason."""
    payment = visible_or_404(request.user, ContractPayment, pk=pk)
    project = _visible_project(request, payment.contract.project_id)
    form = PaymentDecisionForm(request.POST, prefix="decide")
    comment = form.data.get("decide-comment", "")
    try:
        if step == "verify":
            contract_services.verify_payment(request.user, payment, comment)
            messages.success(request, _("The payment is verified."))
            if MajorSeriesCandidate.objects.filter(crossing_payment=payment).exists():
                messages.success(request, _("The project reached the threshold and is flagged as a candidate for "
                                            "the municipal major-project series; the other officers are told."))
        else:
            contract_services.refuse_payment(request.user, payment, comment)
            messages.success(request, _("The payment is refused."))
    except DomainError as exc:
        report_refusal(request, exc)
    return redirect_back(request, "funding:obligations", project.pk)


@requires(officer)
def overdue(request):
    today = timezone.localdate()
    projects = [p for p in selectors.obligation_projects_visible_to(request.user)
                .filter(pk__in=selectors.overdue_obligations(today).values("pk")).order_by("obligation_due_on")]
    for project in projects:
        project.days_overdue = (today - project.obligation_due_on).days
    return render(request, "funding/overdue_obligations.html", {"projects": projects, "today": today})


@requires(officer)
def major_series(request):
    """The candidates for the municipal major-project series (市重大科技项目序列), with their contracts."""
    projects = list(selectors.major_series_candidates_visible_to(request.user)
                    .prefetch_related("tech_contracts"))
    return render(request, "funding/major_series.html", {"projects": projects, "threshold": MAJOR_SERIES_THRESHOLD})
