"""Who may approve or reject the parts of a funding decision, and when (declared on FundingDecision)."""
from django.utils.translation import gettext as _

from poc.roles import FUND_MANAGER, has_role, is_officer
from poc.rules import condition, permission


def manages_fund(user, fund) -> bool:
    return bool(fund is not None and user is not None and user.is_authenticated and has_role(user, FUND_MANAGER)
                and user.groups.filter(pk=fund.group_id).exists())


def officer(refusal):
    return permission(lambda obj, user: None if is_officer(user) else refusal)


def fund_manager_of_decision(refusal):
    return permission(lambda decision, user: None if manages_fund(user, decision.fund) else refusal)


def officer_or_fund_manager(refusal):
    return permission(
        lambda decision, user: None if (is_officer(user) or manages_fund(user, decision.fund)) else refusal)


@condition
def has_grant_part(decision):
    if not decision.has_grant_part:
        return _("This decision has no grant part.")
    if decision.grant_approved_at:
        return _("The grant part is already approved.")
    return None


@condition
def has_equity_part(decision):
    if not decision.has_equity_part:
        return _("This decision has no equity part.")
    if decision.equity_approved_at:
        return _("The equity part is already approved.")
    return None


@condition
def within_caps(decision):
    from funding.caps import cap_violations

    return cap_violations(decision)


def tranche_actor(refusal_grant, refusal_equity):
    """Grant tranches are released and paid by the bureau; equity tranches by the fund's managers."""

    def check(tranche, user):
        if tranche.part == "grant":
            return None if is_officer(user) else refusal_grant
        return None if manages_fund(user, tranche.decision.fund) else refusal_equity

    return permission(check)


@condition
def tranche_condition_met(tranche):
    from django.utils import timezone

    if tranche.milestone_id and not tranche.milestone.reported_at:
        return _("Its milestone “%(m)s” has not been reported yet.") % {"m": tranche.milestone.title}
    if tranche.release_on and timezone.localdate() < tranche.release_on:
        return _("It can be released from %(d)s.") % {"d": tranche.release_on}
    if tranche.decision.state != "approved":
        return _("The funding decision is not approved.")
    return None


@condition
def within_approved_amount(tranche):
    """Released + paid never exceed the approved amount of the tranche's part. Tranche.lock_for_transition locks
    the decision's row first, so two simultaneous releases are judged one after the other."""
    from decimal import Decimal

    from django.db.models import Sum

    decision = tranche.decision
    approved = decision.grant_amount if tranche.part == "grant" else decision.equity_amount
    out = (decision.tranches.filter(part=tranche.part, state__in=["released", "paid"]).exclude(pk=tranche.pk)
           .aggregate(s=Sum("amount"))["s"] or Decimal("0"))
    if out + tranche.amount > approved:
        return _("Releasing %(amount)s would bring released and paid to %(sum)s, over the approved %(approved)s.") % {
            "amount": tranche.amount, "sum": out + tranche.amount, "approved": approved}
    return None
