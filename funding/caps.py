"""Caps of a fund, checked on proposal and again on approval, with messages naming the cap and the numbers."""
from decimal import ROUND_UP, Decimal

from django.utils.translation import gettext as _

Q4 = Decimal("0.0001")


def _yuan(v) -> str:
    return f"¥{v:,.2f}"


def _percent(v) -> str:
    """A cap in %, as typed: 10.0000 → "10", 12.5000 → "12.5" (never "1E+1")."""
    return format(v.normalize(), "f")


def _share_shown(exact: Decimal) -> Decimal:
    """A share or stake over a cap, shown to 4 decimals rounded up, so that it never reads as the cap itself."""
    return exact.quantize(Q4, rounding=ROUND_UP)


def stake_over_cap(amount: Decimal, pre_money: Decimal, cap: Decimal) -> Decimal | None:
    """The stake amount / (pre-money + amount) in %, shown to 4 decimals, if it is over ``cap``; else None.

    Compared exactly, so one cent over the largest amount the cap allows is refused."""
    post = pre_money + amount
    if post <= 0:
        return None
    exact = amount / post * 100
    return _share_shown(exact) if exact > cap else None


def cap_violations(decision) -> list[str]:
    """The caps a decision would breach. A convertible grant's stake is unknown until its round: its conversion is
    checked against the caps then (funding.conversion_caps), and waits if it would breach one."""
    fund = decision.fund
    if fund is None or not decision.has_equity_part:
        return []
    amount = decision.equity_amount if decision.instrument != "convertible" else decision.grant_amount
    problems = []
    if fund.cap_per_project is not None and amount > fund.cap_per_project:
        problems.append(_("%(fund)s invests at most %(cap)s per project; this decision asks %(amount)s.") % {
            "fund": fund.name, "cap": _yuan(fund.cap_per_project), "amount": _yuan(amount)})
    if fund.cap_share_per_project is not None and fund.size:
        # Compared exactly: one cent over the cap is over it, although it rounds to the cap at 4 decimals.
        share = amount / fund.size * 100
        if share > fund.cap_share_per_project:
            problems.append(_("%(fund)s puts at most %(cap)s%% of its size (%(size)s) in one project; %(amount)s is "
                              "%(share)s%%.") % {"fund": fund.name, "cap": _percent(fund.cap_share_per_project),
                                                 "size": _yuan(fund.size), "amount": _yuan(amount),
                                                 "share": _share_shown(share)})
    if fund.cap_stake is not None and decision.pre_money_valuation and decision.instrument != "convertible":
        stake = stake_over_cap(amount, decision.pre_money_valuation, fund.cap_stake)
        if stake is not None:
            problems.append(_("%(fund)s holds at most %(cap)s%% of an investee; %(amount)s at a pre-money valuation of "
                              "%(pre)s is %(stake)s%%.") % {"fund": fund.name, "cap": _percent(fund.cap_stake),
                                                            "amount": _yuan(amount),
                                                            "pre": _yuan(decision.pre_money_valuation),
                                                            "stake": stake})
    # The fund cannot commit more than it has available.
    from .figures import fund_figures
    from .models import DecisionState

    committed = fund_figures(fund).committed
    if decision.pk and decision.state == DecisionState.APPROVED:
        committed -= amount  # the decision's own commitment is already counted
    if committed + amount > fund.size:
        problems.append(_("%(fund)s has %(left)s uncommitted; this decision asks %(amount)s.") % {
            "fund": fund.name, "left": _yuan(fund.size - committed), "amount": _yuan(amount)})
    return problems
