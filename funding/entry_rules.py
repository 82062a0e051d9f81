"""What a funding decision must respect beyond the fund's caps, with messages that give the numbers.

* The call's grant ceiling (``Call.grant_ceiling``, e.g. PoC projects ≤ ¥500,000): the decision's grant part may
  reach it, not pass it by a cent.
* The fund's entry rules for a convertible grant (先投后股), read from the company record of the applicant
  institution (``Institution.founded_on``, ``registered_capital``, ``paid_in_capital``):
  - company age ≤ N years (``Fund.entry_max_company_age_years``): founded on 2023-03-10, N = 3, the company is
    still in on 2026-03-10 and out from 2026-03-11 (calendar years, as ``add_months`` counts them);
  - paid-in capital ≥ X % of registered capital (``Fund.entry_min_paid_in_percent``), compared exactly: exactly
    X % is in.

Checked when the decision is proposed and again by its approvals (the transitions' conditions in funding.rules).
"""
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from poc.centers.models import add_months

Q4 = Decimal("0.0001")


def _yuan(v) -> str:
    return f"¥{v:,.2f}"


def _percent(v: Decimal) -> str:
    """A rule in %, as typed: 30.0000 → "30", 12.5000 → "12.5"."""
    return format(v.normalize(), "f")


def company_age(founded_on, on) -> tuple[int, int, int]:
    """(years, months, days) from ``founded_on`` to ``on``, in calendar years and months."""
    months = (on.year - founded_on.year) * 12 + on.month - founded_on.month
    if add_months(founded_on, months) > on:
        months -= 1
    days = (on - add_months(founded_on, months)).days
    return months // 12, months % 12, days


def age_words(years: int, months: int, days: int) -> str:
    """"3 years 2 months", "3 years 1 day" (the parts that are not zero)."""
    parts = []
    if years:
        parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if months:
        parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    if days or not parts:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    return " ".join(parts)


def grant_ceiling_violations(decision) -> list[str]:
    """The decision's grant part over its call's grant ceiling, in numbers."""
    if not decision.has_grant_part:
        return []
    over = decision.application.call.grant_over_ceiling(decision.grant_amount, _("The decision's grant"))
    return [over] if over else []


def entry_rule_violations(decision, on=None) -> list[str]:
    """Why the applicant company does not meet the fund's entry rules for a convertible grant on ``on`` (default
    today); empty when it does, or when the decision is no convertible grant or its fund has no entry rules."""
    fund = decision.fund
    if decision.instrument != "convertible" or fund is None or not fund.has_entry_rules:
        return []
    company = decision.application.institution
    on = on or timezone.localdate()
    problems = []
    max_years = fund.entry_max_company_age_years
    if max_years is not None:
        if company.founded_on is None:
            problems.append(_("%(fund)s admits a convertible grant only for a company at most %(max)s years old, but "
                              "the founding date of %(company)s is not recorded in its institution record.")
                            % {"fund": fund.name, "max": max_years, "company": company.name})
        elif on > add_months(company.founded_on, 12 * max_years):
            problems.append(_("The company was founded %(age)s ago (on %(founded)s), more than the %(max)s years "
                              "%(fund)s allows for a convertible grant.")
                            % {"age": age_words(*company_age(company.founded_on, on)),
                               "founded": company.founded_on.isoformat(), "max": max_years, "fund": fund.name})
    min_percent = fund.entry_min_paid_in_percent
    if min_percent is not None:
        registered, paid_in = company.registered_capital, company.paid_in_capital
        if not registered or paid_in is None:
            problems.append(_("%(fund)s admits a convertible grant only if the paid-in capital is at least %(min)s%% "
                              "of the registered capital, but the capital of %(company)s is not recorded in its "
                              "institution record.")
                            % {"fund": fund.name, "min": _percent(min_percent), "company": company.name})
        else:
            share = paid_in / registered * 100
            if share < min_percent:
                # Shown rounded down, so that a share just under the rule never reads as the rule itself.
                problems.append(_("The company's paid-in capital of %(paid)s is %(share)s%% of its registered capital "
                                  "of %(registered)s, less than the %(min)s%% %(fund)s requires for a convertible "
                                  "grant.")
                                % {"paid": _yuan(paid_in), "registered": _yuan(registered),
                                   "share": share.quantize(Q4, rounding=ROUND_DOWN), "min": _percent(min_percent),
                                   "fund": fund.name})
    return problems
