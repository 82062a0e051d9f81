"""Funds: the list, one fund with its figures, portfolio and decisions, and its XLSX ledgers."""
from django.core.paginator import Paginator
from django.shortcuts import render

from .. import figures, selectors
from ..models import FundingDecision
from .common import requires, staff, visible_fund

DECISIONS_PER_PAGE = 25


@requires(staff)
def fund_list(request):
    funds = list(selectors.funds_visible_to(request.user).select_related("parent"))
    by_fund = figures.fund_figures_of(funds)
    rows = [{"fund": fund, "figures": by_fund[fund.pk]} for fund in funds]
    return render(request, "funding/fund_list.html", {"rows": rows})


@requires(staff)
def fund_detail(request, pk):
    """The fund's figures and portfolio (cached until money moves in the fund) and its decisions, a page at a time."""
    fund = visible_fund(request, pk)
    decisions = (FundingDecision.objects.filter(fund=fund).select_related("application", "application__institution")
                 .order_by("-proposed_at", "-pk"))
    return render(request, "funding/fund_detail.html", {
        "fund": fund,
        "figures": figures.fund_figures(fund),
        "portfolio": figures.portfolio(fund),
        "page": Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page")),
        "sub_funds": fund.sub_funds.all(),
        "managers": fund.group.user_set.order_by("username"),
    })
