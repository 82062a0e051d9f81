"""The conversion of a convertible grant (先投后股) at a qualifying round, within the fund's caps.

A qualifying round converts the whole grant if that breaches no cap (funding.conversion_caps); otherwise the
conversion waits, with the breach in its audit row, until the fund's managers convert up to the cap (the rest
closes as a grant) or ask for a waiver with a reason that a bureau officer approves (or refuses). Every step is
a declared transition of Conversion run through poc.workflow.run_transition; the holding the conversion creates
is recorded here.
"""
from django.db import transaction
from django.utils.translation import gettext as _

from poc.errors import BadInput, NotNow
from poc.workflow import run_transition

from .conversion_caps import conversion_breaches, conversion_terms
from .models import Conversion, ConversionState, Investment

# The steps a person takes on a waiting conversion (pages and API); convert and hold follow from a round.
MANUAL_STEPS = ("convert_up_to_cap", "request_waiver", "approve_waiver", "refuse_waiver", "lapse")


def _record_holding(user, conversion) -> Investment:
    decision = conversion.decision
    return Investment.objects.create(
        decision=decision, fund=decision.fund, investee_name=decision.application.institution.name,
        investee_credit_code=decision.application.institution.credit_code, amount=conversion.converted_amount,
        pre_money_valuation=conversion.conversion_valuation, stake=conversion.stake,
        invested_on=conversion.financing_round.closed_on, is_conversion=True, recorded_by=user)


def convert_at_round(user, conversion, financing_round) -> Conversion:
    """The qualifying ``financing_round`` converts the whole grant, or, over a cap, the conversion waits."""
    Conversion.objects.filter(pk=conversion.pk).update(financing_round=financing_round)  # the round it converts at
    conversion.refresh_from_db()
    breaches = conversion_breaches(conversion)
    if breaches:
        return run_transition(conversion, "hold", user, _("Qualifying round %(round)s; the conversion waits: "
                                                          "%(breaches)s") % {
            "round": financing_round.round_name, "breaches": " ".join(breaches)})
    grant = conversion.decision.grant_amount
    terms = conversion_terms(conversion, grant)
    converted = run_transition(
        conversion, "convert", user,
        _("Converted at %(round)s: valuation %(v)s, stake %(s)s%% (%(after)s%% after the round).") % {
            "round": financing_round.round_name, "v": terms["conversion_valuation"],
            "s": terms["stake_at_conversion"], "after": terms["stake_after_round"]},
        financing_round=financing_round, conversion_valuation=terms["conversion_valuation"],
        stake=terms["stake_at_conversion"])
    _record_holding(user, converted)
    return converted


@transaction.atomic
def convert_up_to_cap(user, conversion, comment="") -> Conversion:
    """Convert the largest part of the grant within the caps; the rest closes as a grant (both in the audit row)."""
    from .conversion_caps import largest_amount_within_caps

    if conversion.state == ConversionState.WAITING_ON_CAP and conversion.financing_round_id:
        amount = largest_amount_within_caps(conversion)
        rest = conversion.decision.grant_amount - amount
        note = _("Converted %(amount)s up to the cap; %(rest)s closes as a grant.") % {
            "amount": f"¥{amount:,.2f}", "rest": f"¥{rest:,.2f}"}
        comment = f"{note} {comment}".strip() if comment else note
    converted = run_transition(conversion, "convert_up_to_cap", user, comment)
    _record_holding(user, converted)
    return converted


def request_cap_waiver(user, conversion, reason) -> Conversion:
    return run_transition(conversion, "request_waiver", user, reason)


@transaction.atomic
def approve_cap_waiver(user, conversion, comment="") -> Conversion:
    converted = run_transition(conversion, "approve_waiver", user, comment)
    _record_holding(user, converted)
    return converted


def refuse_cap_waiver(user, conversion, reason) -> Conversion:
    return run_transition(conversion, "refuse_waiver", user, reason)


def close_as_grant(user, conversion, comment="") -> Conversion:
    return run_transition(conversion, "lapse", user, comment)


_STEPS = {"convert_up_to_cap": convert_up_to_cap, "request_waiver": request_cap_waiver,
          "approve_waiver": approve_cap_waiver, "refuse_waiver": refuse_cap_waiver, "lapse": close_as_grant}


def run_conversion_step(user, conversion, name, comment="") -> Conversion:
    """One step a person takes on a conversion, by name (pages and API)."""
    if name in ("convert", "hold"):
        raise NotNow(_("A convertible grant converts, or waits on a cap, when a qualifying round is recorded."))
    if name not in _STEPS:
        raise BadInput(_("Unknown step “%(name)s”.") % {"name": name})
    return _STEPS[name](user, conversion, comment)
