"""Who may approve or reject the parts of a funding decision, and when (declared on the models' transitions).

The permissions are relations of the access policy (poc.access, funding.relations) with the words each step
uses; the conditions say why a step is not possible now.
"""
from django.utils.translation import gettext as _

from poc.access import fund_manager_of, officer
from poc.rules import condition

from .relations import tranche_actor  # noqa: F401  (the permission of a tranche's release and payment)


def officer_only(refusal):
    """Bureau officers (superusers and the scheduler too)."""
    return officer.refusing(refusal)


def fund_manager_of_decision(refusal):
    """The managers of the object's fund (``obj.fund``: a decision, a conversion, a risk)."""
    return fund_manager_of("fund").refusing(refusal)


def officer_or_fund_manager(refusal):
    """Bureau officers, or the managers of the object's fund (``obj.fund``)."""
    return (officer | fund_manager_of("fund")).refusing(refusal)


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


@condition
def within_grant_ceiling(decision):
    """The grant part reaches at most the call's grant ceiling."""
    from funding.entry_rules import grant_ceiling_violations

    return grant_ceiling_violations(decision)


@condition
def meets_entry_rules(decision):
    """A convertible grant (先投后股): the company meets the fund's entry rules (age, paid-in capital)."""
    from funding.entry_rules import entry_rule_violations

    return entry_rule_violations(decision)


@condition
def tranche_condition_met(tranche):
    from django.utils import timezone

    if tranche.milestone_id and not tranche.milestone.reported_at:
        return _("Its milestone “%(m)s” has not been reported yet.") % {"m": tranche.milestone.title}
    if tranche.release_on and timezone.localdate() < tranche.release_on:
        return _("It can be released from %(d)s.") % {"d": tranche.release_on}
    from .models import DecisionState

    if tranche.decision.state != DecisionState.APPROVED:
        return _("The funding decision is not approved.")
    return None


@condition
def within_approved_amount(tranche):
    """Released + paid never exceed the approved amount of the tranche's part. Tranche.lock_for_transition locks
    the decision's row first, so two simultaneous releases are judged one after the other."""
    from decimal import Decimal

    from django.db.models import Sum

    from .models.investments import TRANCHE_OUT_STATES, TranchePart

    decision = tranche.decision
    approved = decision.grant_amount if tranche.part == TranchePart.GRANT else decision.equity_amount
    known = getattr(tranche, "sibling_tranches", None)  # a page showing all the decision's tranches lends them
    if known is not None:
        out = sum((t.amount for t in known if t.part == tranche.part and t.state in TRANCHE_OUT_STATES
                   and t.pk != tranche.pk), Decimal("0"))
    else:
        out = (decision.tranches.filter(part=tranche.part, state__in=TRANCHE_OUT_STATES).exclude(pk=tranche.pk)
               .aggregate(s=Sum("amount"))["s"] or Decimal("0"))
    if out + tranche.amount > approved:
        return _("Releasing %(amount)s would bring released and paid to %(sum)s, over the approved %(approved)s.") % {
            "amount": tranche.amount, "sum": out + tranche.amount, "approved": approved}
    return None


@condition
def conversion_within_caps(conversion):
    """The whole grant converts at the recorded round without breaching a cap of the fund."""
    from funding.conversion_caps import conversion_breaches

    if conversion.financing_round_id is None:
        return _("No qualifying round is recorded.")
    return conversion_breaches(conversion)


@condition
def conversion_over_a_cap(conversion):
    from funding.conversion_caps import conversion_breaches

    if conversion.financing_round_id is None or not conversion_breaches(conversion):
        return _("The conversion breaches no cap of the fund.")
    return None


@condition
def some_of_the_grant_fits(conversion):
    from funding.conversion_caps import largest_amount_within_caps

    if largest_amount_within_caps(conversion) <= 0:
        return _("Nothing of the grant fits under the fund's caps: close it as a grant, or ask for a waiver.")
    return None
