"""Caps of a fund, checked on proposal and again on approval, with messages naming the cap and the numbers."""
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _


def _yuan(v) -> str:
    return f"¥{v:,.2f}"


def cap_violations(decision) -> list[str]:
    fund = decision.fund
    if fund is None or not decision.has_equity_part:
        return []
    amount = decision.equity_amount if decision.instrument != "convertible" else decision.grant_amount
    problems = []
    if fund.cap_per_project is not None and amount > fund.cap_per_project:
        problems.append(_("%(fund)s invests at most %(cap)s per project; this decision asks %(amount)s.") % {
            "fund": fund.name, "cap": _yuan(fund.cap_per_project), "amount": _yuan(amount)})
    if fund.cap_share_per_project is not None and fund.size:
        share = (amount / fund.size * 100).quantize(Decimal("0.0001"))
        if share > fund.cap_share_per_project:
            problems.append(_("%(fund)s puts at most %(cap)s%% of its size (%(size)s) in one project; %(amount)s is "
                              "%(share)s%%.") % {"fund": fund.name, "cap": fund.cap_share_per_project.normalize(),
                                                 "size": _yuan(fund.size), "amount": _yuan(amount), "share": share})
    if fund.cap_stake is not None and decision.pre_money_valuation and decision.instrument != "convertible":
        from .models import stake_percent

        stake = stake_percent(amount, decision.pre_money_valuation)
        if stake > fund.cap_stake:
            problems.append(_("%(fund)s holds at most %(cap)s%% of an investee; %(amount)s at a pre-money valuation of "
                              "%(pre)s is %(stake)s%%.") % {"fund": fund.name, "cap": fund.cap_stake.normalize(),
                                                            "amount": _yuan(amount),
                                                            "pre": _yuan(decision.pre_money_valuation),
                                                            "stake": stake})
    # The fund cannot commit more than it has available.
    from .models import DecisionState, FundingDecision

    committed = (FundingDecision.objects.filter(fund=fund, state=DecisionState.APPROVED).exclude(pk=decision.pk)
                 .aggregate(e=Sum("equity_amount"))["e"] or Decimal("0"))
    if committed + amount > fund.size:
        problems.append(_("%(fund)s has %(left)s uncommitted; this decision asks %(amount)s.") % {
            "fund": fund.name, "left": _yuan(fund.size - committed), "amount": _yuan(amount)})
    return problems
