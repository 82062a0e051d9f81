"""Who hears of funding's events, registered with poc, and what fulfils a project's conversion obligation.

``FundingConfig.ready()`` registers :data:`TRANSITIONS` and :data:`CREATIONS` into
:data:`poc.notifications.registry.notification_rules` (texts in poc's catalogue, ``poc.notifications.messages``)
and :func:`without_tech_contract` as poc's ``unfulfilled_obligations`` hook, read by the obligations reminder.
A funding decision concerns the bureau's officers and the fund's managers; the applicant hears of the outcome.
"""
from poc.notifications.recipients import group_members, members_of, officers, together
from poc.notifications.rules import NotificationRule

from .models import (
    ContractPayment,
    ContractState,
    Conversion,
    DecisionState,
    FundingDecision,
    MajorSeriesCandidate,
    Tranche,
)


def managers_of_fund(path: str):
    """The managers of the fund at ``path`` (the fund's group); nobody for a grant-only decision."""
    return group_members(path)


def _tranche(tranche):
    return {"detail": tranche.sequence, "amount": f"{tranche.amount:,.2f}"}


def _final(decision, log):
    return log.target == DecisionState.APPROVED


def _crossed_threshold(payment, log):
    """This verification took the project to the major-series threshold (it flagged the project)."""
    return MajorSeriesCandidate.objects.filter(crossing_payment=payment).exists()


def _candidate(payment):
    candidate = MajorSeriesCandidate.objects.get(crossing_payment=payment)
    return {"amount": f"{candidate.verified_total:,.2f}", "date": candidate.flagged_on.isoformat()}


def _with_equity(decision, log):
    return decision.has_equity_part


APPLICANTS = members_of("application.institution")
STAFF = together(officers, managers_of_fund("fund"))
DECISION = {"url": "funding:decision", "label": "application"}
TRANCHE = {"about": "decision", "url": "funding:decision", "label": "decision.application"}
TRANCHE_TEAM = members_of("decision.application.institution")
CONVERSION = {"about": "decision", "url": "funding:rounds", "label": "decision.application"}

TRANSITIONS = {
    (FundingDecision, "approve_grant"): (
        NotificationRule("decision_grant_approved", STAFF, **DECISION),
        NotificationRule("decision_approved", APPLICANTS, when=_final, applicant_facing=True, **DECISION),
    ),
    (FundingDecision, "approve_equity"): (
        NotificationRule("decision_equity_approved", STAFF, **DECISION),
        NotificationRule("decision_approved", APPLICANTS, when=_final, applicant_facing=True, **DECISION),
    ),
    (FundingDecision, "reject"): (
        NotificationRule("decision_rejected", STAFF, **DECISION),
        NotificationRule("decision_rejected", APPLICANTS, applicant_facing=True, **DECISION),
    ),
    (Tranche, "release"): (
        NotificationRule("tranche_released", TRANCHE_TEAM, facts=_tranche, applicant_facing=True, **TRANCHE),),
    # The verification that takes a project to ¥2,000,000.00 verified on registered 产学研 contracts: the
    # officers hear that it is a candidate for the municipal major-project series (市重大科技项目序列).
    (ContractPayment, "verify"): (
        NotificationRule("major_series_candidate", officers, about="contract.project", url="funding:obligations",
                         facts=_candidate, when=_crossed_threshold),),
    (Tranche, "pay"): (
        NotificationRule("tranche_paid", TRANCHE_TEAM, facts=_tranche, applicant_facing=True, **TRANCHE),),
    # A conversion waiting on a cap of the fund: the fund's managers decide, the bureau approves a waiver.
    (Conversion, "hold"): (NotificationRule("conversion_waiting_on_cap", STAFF, **CONVERSION),),
    (Conversion, "request_waiver"): (NotificationRule("conversion_waiver_requested", officers, **CONVERSION),),
    (Conversion, "approve_waiver"): (NotificationRule("conversion_waiver_decided", managers_of_fund("fund"),
                                                      **CONVERSION),),
    (Conversion, "refuse_waiver"): (NotificationRule("conversion_waiver_decided", managers_of_fund("fund"),
                                                     **CONVERSION),),
    (Conversion, "convert_up_to_cap"): (NotificationRule("conversion_converted_up_to_cap", officers, **CONVERSION),),
}

CREATIONS = {
    FundingDecision: (
        NotificationRule("decision_proposed", managers_of_fund("fund"), when=_with_equity, **DECISION),),
}


def without_tech_contract(projects):
    """The projects without a registered technology contract: registering one fulfils the conversion obligation."""
    return projects.exclude(tech_contracts__state=ContractState.REGISTERED)
