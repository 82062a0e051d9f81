"""The fund's caps applied to a conversion (先投后股): the stake the fund holds after the round, the amount per
project and the share of the fund. A conversion that would breach one waits (ConversionState.WAITING_ON_CAP)
until the fund's managers convert up to the cap (the rest closes as a grant) or the bureau approves a waiver.

The stake is the fund's holding once the round closes, by the pre-money convention of funding.finance (the
grant's shares are issued beside the round's new money): compared exactly as a fraction, so one cent or one
step of 0.0001 % over the cap is over it; rounded only for display (4 decimals half up, as stakes are shown
everywhere, or up where half up would read as the cap itself).
"""
import math
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from . import finance
from .caps import _percent, _share_shown, _yuan

CENT = Decimal("0.01")


def _round_terms(conversion):
    decision, r = conversion.decision, conversion.financing_round
    return decision, (r.pre_money_valuation, r.amount_raised, decision.conversion_discount, decision.valuation_cap)


def conversion_terms(conversion, amount: Decimal) -> dict:
    """Valuation and stakes (4 decimals) of converting ``amount`` of the grant at the conversion's round."""
    _decision, terms = _round_terms(conversion)
    return finance.conversion_stake(amount, *terms)


def stake_after_round(conversion, amount: Decimal) -> Fraction:
    _decision, terms = _round_terms(conversion)
    return finance.conversion_shares(amount, *terms).stake_after_round


def conversion_breaches(conversion, amount: Decimal | None = None) -> list[str]:
    """The caps that converting ``amount`` (default: the whole grant) at the conversion's round would breach, each
    with its numbers; [] when it fits or no round is pending."""
    if conversion.financing_round_id is None:
        return []
    decision = conversion.decision
    fund = decision.fund
    amount = decision.grant_amount if amount is None else amount
    problems = []
    if fund.cap_per_project is not None and amount > fund.cap_per_project:
        problems.append(_("%(fund)s invests at most %(cap)s per project; converting the grant puts %(amount)s "
                          "in.") % {"fund": fund.name, "cap": _yuan(fund.cap_per_project), "amount": _yuan(amount)})
    if fund.cap_share_per_project is not None and fund.size:
        share = amount / fund.size * 100
        if share > fund.cap_share_per_project:
            problems.append(_("%(fund)s puts at most %(cap)s%% of its size (%(size)s) in one project; converting "
                              "%(amount)s is %(share)s%%.") % {
                "fund": fund.name, "cap": _percent(fund.cap_share_per_project), "size": _yuan(fund.size),
                "amount": _yuan(amount), "share": _share_shown(share)})
    if fund.cap_stake is not None:
        stake = stake_after_round(conversion, amount)
        if stake * 100 > Fraction(fund.cap_stake):
            shown = _stake_shown(stake, fund.cap_stake)
            problems.append(_("%(fund)s holds at most %(cap)s%% of an investee; converting %(amount)s at %(round)s "
                              "makes %(stake)s%% after the round.") % {
                "fund": fund.name, "cap": _percent(fund.cap_stake), "amount": _yuan(amount),
                "round": conversion.financing_round.round_name, "stake": shown})
    return problems


def _stake_shown(stake: Fraction, cap: Decimal) -> Decimal:
    """A stake over the cap as shown everywhere (4 decimals, half up), or rounded up where that would read as
    the cap itself."""
    shown = finance.percent(stake)
    return shown if shown > cap else _share_shown(Decimal(stake.numerator * 100) / Decimal(stake.denominator))


def _cents_down(value: Fraction) -> Decimal:
    return Decimal(math.floor(value * 100)) * CENT


def largest_amount_within_caps(conversion) -> Decimal:
    """The largest part of the grant, to the cent, that converts within every cap (the rest closes as a grant)."""
    decision, terms = _round_terms(conversion)
    fund = decision.fund
    limits = [Fraction(decision.grant_amount)]
    if fund.cap_per_project is not None:
        limits.append(Fraction(fund.cap_per_project))
    if fund.cap_share_per_project is not None and fund.size:
        limits.append(Fraction(fund.cap_share_per_project) * Fraction(fund.size) / 100)
    if fund.cap_stake is not None and fund.cap_stake < 100:
        # stake = k·g / (pre + raised + k·g) ≤ s  ⇔  g ≤ s·(pre + raised) / (k·(1 − s)), k = shares per yuan.
        s = Fraction(fund.cap_stake) / 100
        per_yuan = finance.conversion_shares(Decimal("1"), *terms).conversion
        pre, raised = Fraction(terms[0]), Fraction(terms[1])
        limits.append(s * (pre + raised) / (per_yuan * (1 - s)) if per_yuan > 0 else Fraction(0))
    return max(_cents_down(min(limits)), Decimal("0.00"))
