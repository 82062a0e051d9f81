"""Funds: the list, one fund with its figures, portfolio and decisions, and its XLSX ledgers."""
from django.shortcuts import render

from .. import figures, selectors
from ..models import FundingDecision
from .common import requires, staff, visible_fund


@requires(staff)
def fund_list(request):
    funds = selectors.funds_visible_to(request.user).select_related("parent")
    rows = [{"fund": fund, "figures": figures.fund_figures(fund)} for fund in funds]
    return render(request, "funding/fund_list.html", {"rows": rows})


@requires(staff)
def fund_detail(request, pk):
    fund = visible_fund(request, pk)
    decisions = (FundingDecision.objects.filter(fund=fund).select_related("application", "application__institution")
                 .order_by("-proposed_at"))
    return render(request, "funding/fund_detail.html", {
        "fund": fund,
        "figures": figures.fund_figures(fund),
        "portfolio": figures.portfolio(fund),
        "decisions": decisions,
        "sub_funds": fund.sub_funds.all(),
        "managers": fund.group.user_set.order_by("username"),
    })
