"""Use cases of post-investment monitoring: quarterly reports, material events, the risk cycle and
insurance of a decision (technology contracts: :mod:`funding.contracts`)."""
from django.db import transaction
from django.utils.translation import gettext as _

from poc.access import can, require
from poc.errors import BadInput, NotNow
from poc.workflow import record_creation, run_transition

from .models import (
    DecisionState,
    InsurancePolicy,
    MaterialEvent,
    QuarterlyReport,
    Risk,
)
from .services import clean


def may_report(user, decision) -> bool:
    """The investee or the fund's managers (the policy's ``file_report``)."""
    return can(user, "file_report", decision)


def quarterly_report_not_now(decision):
    """Why no quarterly report can be filed on ``decision`` now (None: it can). Reports are owed on an approved
    decision only; a proposed or rejected one has nothing to report on yet."""
    if decision.state != DecisionState.APPROVED:
        return _("A quarterly report is filed on an approved funding decision; this one is “%(state)s”.") % {
            "state": decision.get_state_display()}
    return None


def may_file_quarterly_report(user, decision) -> bool:
    """The rule of :func:`file_quarterly_report`, for a page deciding whether to offer its form."""
    return may_report(user, decision) and quarterly_report_not_now(decision) is None


@transaction.atomic
def file_quarterly_report(user, decision, **fields) -> QuarterlyReport:
    require(user, "file_report", decision)
    refusal = quarterly_report_not_now(decision)
    if refusal:
        raise NotNow(refusal)
    report = QuarterlyReport(decision=decision, filed_by=user, **fields)
    clean(report, exclude=["decision", "filed_by"])
    if QuarterlyReport.objects.filter(decision=decision, year=report.year, quarter=report.quarter).exists():
        raise NotNow(_("The report for %(y)sQ%(q)s is already filed.") % {"y": report.year, "q": report.quarter})
    report.save()
    return report


def report_material_event(user, decision, **fields) -> MaterialEvent:
    require(user, "report_event", decision)
    event = MaterialEvent(decision=decision, reported_by=user, **fields)
    clean(event, exclude=["decision", "reported_by"])
    event.save()
    return event


def identify_risk(user, decision, *, title, description="") -> Risk:
    require(user, "identify_risk", decision)
    if not (title or "").strip():
        raise BadInput(_("Name the risk."))
    risk = Risk.objects.create(decision=decision, title=title.strip(), description=description, identified_by=user)
    record_creation(risk, user)
    return risk


def add_insurance(user, decision, **fields) -> InsurancePolicy:
    require(user, "add_insurance", decision)
    policy = InsurancePolicy(decision=decision, **fields)
    clean(policy, exclude=["decision"])
    if policy.ends_on < policy.starts_on:
        raise BadInput(_("A policy ends after it starts."))
    if policy.subsidy > policy.premium:
        raise BadInput(_("The subsidy cannot exceed the premium."))
    policy.save()
    return policy


def assess_risk(user, risk, *, likelihood, impact, comment="") -> Risk:
    """identified → assessed, with likelihood × impact (1–5 each)."""
    return run_transition(risk, "assess", user, comment, likelihood=likelihood, impact=impact)


def warn_risk(user, risk, reason) -> Risk:
    return run_transition(risk, "warn", user, reason)


def dispose_risk(user, risk, disposal) -> Risk:
    return run_transition(risk, "dispose", user, disposal)
