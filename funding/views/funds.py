"""Funds: the list, one fund with its figures, portfolio and decisions, and its XLSX ledgers."""
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from poc.access import can
from poc.models import TransitionLog

from .. import figures, selectors, services
from ..forms import EntryRulesForm
from ..models import FundingDecision
from .common import allowed_or_403, form_data, form_status, requires, staff, submit_form, visible_fund

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
        "can_set_entry_rules": can(request.user, "set_entry_rules", fund),
        "entry_rule_changes": _entry_rule_changes(fund),
    })


def _entry_rule_changes(fund) -> list[dict]:
    from django.utils.text import capfirst

    rows = (TransitionLog.objects.for_object(fund).filter(transition=services.ENTRY_RULE_CHANGE)
            .select_related("actor"))
    return [{"at": row.created_at, "actor": row.actor, "source": row.source or "—", "target": row.target or "—",
             "label": capfirst(fund._meta.get_field(row.comment).verbose_name)} for row in rows]


@require_http_methods(["GET", "POST"])
@requires(staff)
def fund_entry_rules(request, pk):
    """The fund's entry rules for 先投后股 (its managers and officers)."""
    fund = visible_fund(request, pk)
    allowed_or_403(request.user, "set_entry_rules", fund)
    form = EntryRulesForm(form_data(request), instance=fund)
    done = submit_form(request, form, lambda data: services.set_entry_rules(request.user, fund, **data),
                       success=_("The entry rules are saved."), redirect_to=("funding:fund", fund.pk))
    return done or render(request, "funding/fund_entry_rules.html", {"fund": fund, "form": form},
                          status=form_status(form))
