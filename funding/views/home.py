"""The fund manager's home ("funding:home"; poc's home redirects fund managers here by URL name)."""
from django.shortcuts import render

from .. import figures, selectors
from .common import fund_manager, requires


@requires(fund_manager)
def home(request):
    user = request.user
    funds = list(selectors.managed_funds(user).select_related("parent"))
    by_fund, portfolios = figures.fund_figures_of(funds), figures.portfolios_of(funds)
    rows = [{"fund": fund, "figures": by_fund[fund.pk], "portfolio": portfolios[fund.pk]} for fund in funds]
    year, quarter, _end = selectors.last_finished_quarter()
    return render(request, "funding/home.html", {
        "rows": rows,
        "pipeline": selectors.awaiting_equity_approval(funds),
        "overdue_reports": selectors.overdue_quarterly_reports(funds),
        "last_quarter": f"{year}Q{quarter}",
        "warnings": selectors.risk_warnings(funds),
    })
