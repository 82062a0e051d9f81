"""Who hears of funding's events, registered with poc, and what fulfils a project's conversion obligation.

``FundingConfig.ready()`` registers :data:`TRANSITIONS` and :data:`CREATIONS` into
:data:`poc.notifications.registry.notification_rules` (texts in poc's catalogue, ``poc.notifications.messages``)
and :func:`without_tech_contract` as poc's ``unfulfilled_obligations`` hook, read by the obligations reminder.
A funding decision concerns the bureau's officers and the fund's managers; the applicant hears of the outcome.

The risk register is the investor's own assessment of a project: its events go to the officers and the fund's
managers only, never to the project's institution. A conversion's outcome (converted, closed as a grant) is told to
the institution too, with the amounts but without the reason written on the step (the fund's and the bureau's
notes stay between them); the steps between the fund and the bureau (a cap, a waiver) stay between them.
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
    Risk,
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


def _risk(risk):
    """The risk's title, and its score (likelihood × impact) once assessed."""
    return {"detail": risk.title, "score": risk.score}


def _converted(conversion):
    """How much of the grant became equity, and the stake it bought (4 decimals), or what closed as a grant."""
    stake = f"{conversion.stake:.4f}" if conversion.stake is not None else None
    return {"amount": f"{conversion.grant_converted:,.2f}", "detail": stake}


def _closed(conversion):
    return {"amount": f"{conversion.closed_as_grant_amount or 0:,.2f}"}


APPLICANTS = members_of("application.institution")
STAFF = together(officers, managers_of_fund("fund"))
DECISION = {"url": "funding:decision", "label": "application"}
TRANCHE = {"about": "decision", "url": "funding:decision", "label": "decision.application"}
TRANCHE_TEAM = members_of("decision.application.institution")
CONVERSION = {"about": "decision", "url": "funding:rounds", "label": "decision.application"}
RISK = {"about": "decision", "url": "funding:monitoring", "label": "decision.application", "facts": _risk}
RISK_STAFF = STAFF  # Risk.fund is its decision's fund
CONVERSION_STAFF = STAFF
# The project's institution hears the outcome of its conversion, without the reason written on the step.
CONVERSION_TEAM = {"about": "decision", "url": "funding:decision", "label": "decision.application",
                   "applicant_facing": True, "with_reason": False}


def _converted_rules(staff_kind=None, staff=None):
    team = NotificationRule("conversion_converted", TRANCHE_TEAM, facts=_converted, **CONVERSION_TEAM)
    if staff_kind is None:
        return (team,)
    return (NotificationRule(staff_kind, staff, facts=_converted, **CONVERSION), team)

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
                                                      **CONVERSION),) + _converted_rules(),
    (Conversion, "refuse_waiver"): (NotificationRule("conversion_waiver_decided", managers_of_fund("fund"),
                                                     **CONVERSION),),
    (Conversion, "convert_up_to_cap"): (NotificationRule("conversion_converted_up_to_cap", officers, **CONVERSION),)
    + _converted_rules(),
    # A qualifying round converted the whole grant; or the grant closed as a grant (结项免责).
    (Conversion, "convert"): _converted_rules("conversion_converted", CONVERSION_STAFF),
    (Conversion, "lapse"): (
        NotificationRule("conversion_lapsed", CONVERSION_STAFF, facts=_closed, **CONVERSION),
        NotificationRule("conversion_lapsed", TRANCHE_TEAM, facts=_closed, **CONVERSION_TEAM),
    ),
    # The risk register: officers and the fund's managers only (confidential to the investor and the bureau).
    (Risk, "assess"): (NotificationRule("risk_assessed", RISK_STAFF, **RISK),),
    (Risk, "warn"): (NotificationRule("risk_warning", RISK_STAFF, **RISK),),
    (Risk, "dispose"): (NotificationRule("risk_disposed", RISK_STAFF, **RISK),),
}

CREATIONS = {
    FundingDecision: (
        NotificationRule("decision_proposed", managers_of_fund("fund"), when=_with_equity, **DECISION),),
    Risk: (NotificationRule("risk_identified", RISK_STAFF, **RISK),),
}


def without_tech_contract(projects):
    """The projects without a registered technology contract: registering one fulfils the conversion obligation."""
    return projects.exclude(tech_contracts__state=ContractState.REGISTERED)
