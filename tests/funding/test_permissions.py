"""Who sees which funds, decisions and investments (DESIGN §3: lists use one permission-filtered selector
each), and the portfolio figures of a small fund computed by hand."""
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding import figures as funding_figures
from funding import selectors
from funding.models import Exit, ValuationMark
from poc.access.relations import forget_roles
from tests.factories import InstitutionFactory, UserFactory, applicant_of, expert, fund_manager, officer
from tests.funding.factories import (
    DecisionFactory,
    FundFactory,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    investment,
    manager_of,
    project_application,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal


@pytest.fixture
def world():
    """Two funds, A and B, each with a manager; institution 1 has a decision with fund A and a grant-only
    one, institution 2 a decision with fund B; each fund holds one investment."""
    fund_a, fund_b = FundFactory(name="Fund A"), FundFactory(name="Fund B")
    inst1, inst2 = InstitutionFactory(), InstitutionFactory()
    d_a = approved_decision(fund=fund_a, application=project_application(inst1))
    d_grant = DecisionFactory(grant_only=True, application=project_application(inst1))
    d_b = approved_decision(fund=fund_b, application=project_application(inst2))
    return {
        "fund_a": fund_a, "fund_b": fund_b, "d_a": d_a, "d_grant": d_grant, "d_b": d_b,
        "i_a": investment(d_a, amount="1000000.00", invested_on=date(2026, 1, 5)),
        "i_b": investment(d_b, amount="2000000.00", invested_on=date(2026, 2, 5)),
        "manager_a": manager_of(fund_a), "manager_b": manager_of(fund_b),
        "owner1": applicant_of(inst1), "owner2": applicant_of(inst2),
    }


def pks(qs):
    return sorted(o.pk for o in qs)


def test_a_fund_manager_sees_only_its_own_funds_decisions_and_investments(world):
    manager = world["manager_a"]
    assert pks(selectors.funds_visible_to(manager)) == [world["fund_a"].pk]
    assert pks(selectors.decisions_visible_to(manager)) == [world["d_a"].pk]
    assert pks(selectors.investments_visible_to(manager)) == [world["i_a"].pk]


def test_a_manager_of_two_funds_sees_both(world):
    both = manager_of(world["fund_a"])
    both.groups.add(world["fund_b"].group)
    assert pks(selectors.funds_visible_to(both)) == pks([world["fund_a"], world["fund_b"]])
    assert pks(selectors.decisions_visible_to(both)) == pks([world["d_a"], world["d_b"]])
    assert pks(selectors.investments_visible_to(both)) == pks([world["i_a"], world["i_b"]])


def test_an_applicant_sees_the_decisions_on_its_own_projects_and_never_the_funds_holdings(world):
    owner1 = world["owner1"]
    assert pks(selectors.decisions_visible_to(owner1)) == pks([world["d_a"], world["d_grant"]])
    assert pks(selectors.decisions_visible_to(world["owner2"])) == [world["d_b"].pk]
    assert list(selectors.investments_visible_to(owner1)) == []
    assert list(selectors.funds_visible_to(owner1)) == []


def test_officers_see_everything(world):
    off = officer()
    assert pks(selectors.funds_visible_to(off)) == pks([world["fund_a"], world["fund_b"]])
    assert pks(selectors.decisions_visible_to(off)) == pks([world["d_a"], world["d_grant"], world["d_b"]])
    assert pks(selectors.investments_visible_to(off)) == pks([world["i_a"], world["i_b"]])


@pytest.mark.parametrize("who", ["applicant of another institution", "expert", "anonymous",
                                 "fund manager of no fund", "user without a role"])
def test_everybody_else_sees_nothing(world, who):
    user = {"applicant of another institution": lambda: applicant_of(InstitutionFactory()),
            "expert": expert, "anonymous": AnonymousUser,
            "fund manager of no fund": fund_manager,
            "user without a role": UserFactory}[who]()
    assert list(selectors.decisions_visible_to(user)) == []
    assert list(selectors.investments_visible_to(user)) == []
    assert list(selectors.funds_visible_to(user)) == []


def test_a_former_manager_left_in_the_funds_group_sees_nothing(world):
    former = world["manager_a"]
    former.groups.remove(Group.objects.get(name="fund_manager"))
    forget_roles(former)
    assert list(selectors.funds_visible_to(former)) == []
    assert list(selectors.decisions_visible_to(former)) == []
    assert list(selectors.investments_visible_to(former)) == []


def test_a_former_applicant_left_in_the_institutions_group_sees_nothing(world):
    former = world["owner1"]
    former.groups.remove(Group.objects.get(name="applicant"))
    forget_roles(former)
    assert list(selectors.decisions_visible_to(former)) == []


def test_the_lists_are_single_queries(world):
    manager = world["manager_a"]
    selectors.funds_visible_to(manager)  # the role codes are read once and cached on the user
    with CaptureQueriesContext(connection) as queries:
        list(selectors.decisions_visible_to(manager))
        list(selectors.investments_visible_to(manager))
    assert len(queries) == 2


# ==================================================================================== portfolio figures

@pytest.fixture
def small_fund():
    """A fund of three holdings, as of 2025-12-31:

    1. ¥1,000,000 invested 2024-01-01, bought back 2025-01-01 for ¥1,100,000 (realised);
    2. ¥2,000,000 invested 2024-07-01, marked ¥2,500,000 (2024-12-31) then ¥3,000,000 (2025-06-30) —
       the latest mark on or before the date counts — and ¥9,999,999 on 2026-01-01 (after the date: ignored);
    3. a ¥500,000 grant converted 2025-01-01, marked ¥400,000 on 2025-12-31.
    Another fund's holding must not count."""
    fund = FundFactory(name="Small fund", size=D("10000000.00"))
    decision = approved_decision(fund=fund, equity_amount=D("3000000.00"))
    by = decision.proposed_by
    first = investment(decision, amount="1000000.00", invested_on=date(2024, 1, 1))
    Exit.objects.create(investment=first, kind="buyback", exited_on=date(2025, 1, 1), proceeds=D("1100000.00"),
                        stake_sold=first.stake, recorded_by=by)
    second = investment(decision, amount="2000000.00", invested_on=date(2024, 7, 1))
    for on, value in ((date(2024, 12, 31), "2500000.00"), (date(2025, 6, 30), "3000000.00"),
                      (date(2026, 1, 1), "9999999.00")):
        ValuationMark.objects.create(investment=second, marked_on=on, value=D(value), recorded_by=by)
    converted = investment(approved_decision(convertible=True, fund=fund), amount="500000.00",
                           invested_on=date(2025, 1, 1), is_conversion=True)
    ValuationMark.objects.create(investment=converted, marked_on=date(2025, 12, 31), value=D("400000.00"),
                                 recorded_by=by)
    stranger = investment(approved_decision(), amount="7000000.00", invested_on=date(2024, 1, 1))
    ValuationMark.objects.create(investment=stranger, marked_on=date(2025, 1, 1), value=D("1.00"), recorded_by=by)
    return fund


def test_portfolio_figures_of_a_small_fund_by_hand(small_fund):
    figures = funding_figures.portfolio(small_fund, as_of=date(2025, 12, 31))
    assert figures.invested == D("3000000.00")       # 1,000,000 + 2,000,000
    assert figures.converted == D("500000.00")
    assert figures.realised == D("1100000.00")
    assert figures.unrealised == D("3400000.00")     # 3,000,000 + 400,000
    assert figures.moic == D("1.29")                 # (1,100,000 + 3,400,000) / 3,500,000 = 1.2857…
    assert (figures.investments, figures.cash_flows) == (3, 5)  # 3 out, 1 exit, 1 terminal value
    # XIRR of: −1,000,000 (day 0), −2,000,000 (day 182), +1,100,000 and −500,000 (day 366),
    # +3,400,000 (day 730, the unrealised value on the date):
    rate = 0.20977089703
    npv = (-1000000 - 2000000 / (1 + rate) ** (182 / 365) + 600000 / (1 + rate) ** (366 / 365)
           + 3400000 / (1 + rate) ** (730 / 365))
    assert abs(npv) < 1e-3
    assert figures.irr == pytest.approx(rate, abs=1e-9)


def test_portfolio_as_of_an_earlier_date_uses_the_marks_known_then(small_fund):
    figures = funding_figures.portfolio(small_fund, as_of=date(2025, 1, 1))
    assert figures.unrealised == D("2500000.00")  # only the 2024-12-31 mark existed
    assert figures.moic == D("1.03")  # (1,100,000 + 2,500,000) / 3,500,000 = 1.0285…


def test_portfolio_defaults_to_today(small_fund):
    import time_machine

    from tests.poc.workflow_support import local_moment

    with time_machine.travel(local_moment(2026, 3, 1), tick=False):
        figures = funding_figures.portfolio(small_fund)
    assert figures.unrealised == D("9999999.00") + D("400000.00")


def test_an_empty_fund_has_no_multiple_and_no_rate():
    figures = funding_figures.portfolio(FundFactory(), as_of=date(2026, 1, 1))
    assert (figures.invested, figures.realised, figures.unrealised, figures.moic, figures.irr) == (
        D("0"), D("0"), D("0"), None, None)


def test_a_fund_with_nothing_back_yet_has_a_zero_multiple_and_no_rate():
    fund = FundFactory()
    investment(approved_decision(fund=fund), amount="1000000.00", invested_on=date(2025, 1, 1))
    figures = funding_figures.portfolio(fund, as_of=date(2026, 1, 1))
    assert (figures.moic, figures.irr) == (D("0.00"), None)


def test_fund_figures(small_fund):
    figures = funding_figures.fund_figures(small_fund)
    # Approved decisions of the fund commit their investment (3,000,000) and a convertible grant its whole grant
    # (1,000,000), which the fund holds as equity if it converts; caps count it the same way.
    assert (figures.committed, figures.invested, figures.available) == (
        D("4000000.00"), D("3000000.00"), D("6000000.00"))


def test_the_portfolio_takes_a_fixed_number_of_queries(small_fund):
    with CaptureQueriesContext(connection) as few:
        funding_figures.portfolio(small_fund, as_of=date(2025, 12, 31))
    for _ in range(5):
        investment(approved_decision(fund=small_fund), amount="100.00", invested_on=date(2025, 3, 1))
    with CaptureQueriesContext(connection) as more:
        funding_figures.portfolio(small_fund, as_of=date(2025, 12, 31))
    assert len(more) == len(few) <= 3


def plain_portfolio(fund, as_of):
    """The portfolio read the plain way (every object loaded, as the selector first did): the oracle."""
    from funding import finance
    from funding.models import Investment

    investments = list(Investment.objects.filter(fund=fund).prefetch_related("exits", "marks"))
    invested = sum((i.amount for i in investments if not i.is_conversion), D("0"))
    converted = sum((i.amount for i in investments if i.is_conversion), D("0"))
    flows, realised, unrealised = [], D("0"), D("0")
    for inv in investments:
        flows.append((inv.invested_on, -float(inv.amount)))
        for e in inv.exits.all():
            realised += e.proceeds
            flows.append((e.exited_on, float(e.proceeds)))
        marks = [m for m in inv.marks.all() if m.marked_on <= as_of]
        if marks:
            unrealised += max(marks, key=lambda m: (m.marked_on, m.pk)).value
    if unrealised:
        flows.append((as_of, float(unrealised)))
    cost = invested + converted
    return funding_figures.Portfolio(
        invested=invested, converted=converted, realised=realised, unrealised=unrealised,
        moic=((realised + unrealised) / cost).quantize(D("0.01")) if cost else None, irr=finance.xirr(flows),
        investments=len(investments), cash_flows=len(flows))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_portfolio_agrees_exactly_with_the_plain_reading(seed):
    """Random holdings, with marks on the same day (the later one counts), marks after the date, exits before
    and after it, conversions, and another fund's holdings: the same figures, the XIRR to the last bit."""
    import random
    from datetime import timedelta

    rng = random.Random(seed)
    fund, other = FundFactory(), FundFactory()
    decisions = {f: approved_decision(fund=f) for f in (fund, other)}
    by = decisions[fund].proposed_by
    for _ in range(25):
        f = fund if rng.random() < 0.8 else other
        inv = investment(decisions[f], amount=D(rng.randrange(10_000, 3_000_000)) / 100 * 100,
                         invested_on=date(2022, 1, 1) + timedelta(days=rng.randrange(0, 900)),
                         is_conversion=rng.random() < 0.2)
        for _ in range(rng.randrange(0, 6)):
            ValuationMark.objects.create(investment=inv, recorded_by=by,
                                         marked_on=date(2023, 1, 1) + timedelta(days=rng.choice([0, 0, 100, 400, 800])),
                                         value=D(rng.randrange(1, 9_000_000_00)) / 100)
        for _ in range(rng.randrange(0, 3)):
            Exit.objects.create(investment=inv, kind="secondary", recorded_by=by, stake_sold=D("0.0001"),
                                exited_on=date(2023, 6, 1) + timedelta(days=rng.randrange(0, 1000)),
                                proceeds=D(rng.randrange(1, 5_000_000_00)) / 100)
    for as_of in (date(2023, 1, 1), date(2024, 6, 30), date(2026, 12, 31)):
        assert funding_figures.portfolio(fund, as_of=as_of) == plain_portfolio(fund, as_of), as_of
