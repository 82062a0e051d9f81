"""Use cases of post-investment monitoring: quarterly reports, material events, the risk cycle and
insurance of a decision, and the technology contracts that meet a project's conversion obligation."""
from django.db import transaction
from django.utils.translation import gettext as _

from poc.errors import BadInput, NotAllowed, NotNow
from poc.roles import is_officer
from poc.workflow import record_creation, run_transition

from .models import (
    ContractPayment,
    InsurancePolicy,
    MaterialEvent,
    QuarterlyReport,
    Risk,
    TechContract,
)
from .rules import manages_fund
from .services import clean, parse_money


def may_report(user, decision) -> bool:
    from poc.institutions.rules import is_member_of

    return is_member_of(decision.application.institution, user) or manages_fund(user, decision.fund)


@transaction.atomic
def file_quarterly_report(user, decision, **fields) -> QuarterlyReport:
    if not may_report(user, decision):
        raise NotAllowed(_("Only the investee or the fund's managers can file a quarterly report."))
    report = QuarterlyReport(decision=decision, filed_by=user, **fields)
    clean(report, exclude=["decision", "filed_by"])
    if QuarterlyReport.objects.filter(decision=decision, year=report.year, quarter=report.quarter).exists():
        raise NotNow(_("The report for %(y)sQ%(q)s is already filed.") % {"y": report.year, "q": report.quarter})
    report.save()
    return report


def report_material_event(user, decision, **fields) -> MaterialEvent:
    if not may_report(user, decision):
        raise NotAllowed(_("Only the investee or the fund's managers can report a material event."))
    event = MaterialEvent(decision=decision, reported_by=user, **fields)
    clean(event, exclude=["decision", "reported_by"])
    event.save()
    return event


def identify_risk(user, decision, *, title, description="") -> Risk:
    if not (is_officer(user) or manages_fund(user, decision.fund)):
        raise NotAllowed(_("Only bureau officers or the fund's managers keep the risk register."))
    if not (title or "").strip():
        raise BadInput(_("Name the risk."))
    risk = Risk.objects.create(decision=decision, title=title.strip(), description=description, identified_by=user)
    record_creation(risk, user)
    return risk


def add_insurance(user, decision, **fields) -> InsurancePolicy:
    if not (is_officer(user) or manages_fund(user, decision.fund)):
        raise NotAllowed(_("Only bureau officers or the fund's managers record insurance."))
    policy = InsurancePolicy(decision=decision, **fields)
    clean(policy, exclude=["decision"])
    if policy.ends_on < policy.starts_on:
        raise BadInput(_("A policy ends after it starts."))
    if policy.subsidy > policy.premium:
        raise BadInput(_("The subsidy cannot exceed the premium."))
    policy.save()
    return policy


@transaction.atomic
def register_contract(user, project, **fields) -> TechContract:
    from poc.institutions.rules import is_member_of

    if not (is_officer(user) or is_member_of(project.institution, user)):
        raise NotAllowed(_("Only the project's institution or a bureau officer can register a contract."))
    contract = TechContract(project=project, recorded_by=user, **fields)
    clean(contract, exclude=["project", "recorded_by"])
    contract.save()
    return contract


def record_contract_payment(user, contract, *, amount, received_on) -> ContractPayment:
    from poc.institutions.rules import is_member_of

    if not (is_officer(user) or is_member_of(contract.project.institution, user)):
        raise NotAllowed(_("Only the project's institution or a bureau officer can record a payment."))
    amount = parse_money(amount, "amount")
    if amount <= 0:
        raise BadInput(_("A payment must be positive."))
    return ContractPayment.objects.create(contract=contract, amount=amount, received_on=received_on)


def assess_risk(user, risk, *, likelihood, impact, comment="") -> Risk:
    """identified → assessed, with likelihood × impact (1–5 each)."""
    return run_transition(risk, "assess", user, comment, likelihood=likelihood, impact=impact)


def warn_risk(user, risk, reason) -> Risk:
    return run_transition(risk, "warn", user, reason)


def dispose_risk(user, risk, disposal) -> Risk:
    return run_transition(risk, "dispose", user, disposal)
