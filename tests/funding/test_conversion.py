"""Convertible grants (拨投结合 / 先投后股): conversion at the first qualifying round, the lapse job,
dilution by later rounds; recorded investments; exits (DOMAIN §3)."""
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings

from funding import services, tasks
from funding.models import Conversion, ConversionState, Exit, FinancingRound, FundingDecision, Investment
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import TransitionLog
from tests.factories import applicant_of, make_credit_code, officer
from tests.funding.factories import (
    DecisionFactory,
    FundFactory,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    investment,
    manager_of,
)
from tests.poc.workflow_support import audit_rows, local_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]

D = Decimal


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


@pytest.fixture
def convertible():
    """Approved: a ¥1,000,000 convertible grant; a round of ≥ ¥5,000,000 by 2026-12-31 (inclusive) qualifies;
    20 % discount, ¥15,000,000 cap; buyback at 6 % simple interest."""
    return approved_decision(convertible=True)


def record_round(decision, user, name, closed_on, pre_money, raised):
    return services.record_round(user, decision, round_name=name, closed_on=closed_on,
                                 pre_money_valuation=pre_money, amount_raised=raised, lead_investor="Lead VC")


def conversion_of(decision):
    return Conversion.objects.filter(decision=decision).first()


# ============================================================================================== conversion

def test_a_convertible_grant_converts_at_the_first_qualifying_round(convertible):
    manager = manager_of(convertible.fund)
    series_a = record_round(convertible, manager, "Series A", date(2026, 9, 1), "20000000.00", "5000000.00")
    conversion = conversion_of(convertible)
    # Valuation: ¥20M × (1 − 20 %) = ¥16M, the ¥15M cap is lower; stake 1 / (15 + 1) = 6.25 % at conversion.
    # After the round (pre-money convention): the grant buys S/15 at the cap's price, the new money S/4:
    # (1/15) / (1 + 1/4 + 1/15) = 4/79 = 5.0633 %.
    assert (conversion.state, conversion.financing_round, conversion.conversion_valuation, conversion.stake) == (
        ConversionState.CONVERTED, series_a, D("15000000.00"), D("6.2500"))
    held = Investment.objects.get(decision=convertible)
    assert (held.is_conversion, held.fund, held.amount, held.pre_money_valuation, held.stake, held.invested_on) == (
        True, convertible.fund, D("1000000.00"), D("15000000.00"), D("6.2500"), date(2026, 9, 1))
    assert held.investee_name == convertible.application.institution.name
    assert [(r.transition, r.source, r.target, r.actor, r.comment) for r in audit_rows(conversion)] == [(
        "convert", "outstanding", "converted", manager,
        "Converted at Series A: valuation 15000000.00, stake 6.2500% (5.0633% after the round).")]
    # The holding once the round's new money is in.
    assert services.current_stake(held) == D("5.0633")


def test_the_discount_applies_when_it_is_lower_than_the_cap():
    decision = approved_decision(convertible=True, conversion_discount=D("30"))
    record_round(decision, officer(), "Series A", date(2026, 9, 1), "20000000.00", "5000000.00")
    conversion = conversion_of(decision)
    # ¥20M × 70 % = ¥14M < ¥15M cap: 1 / 15 = 6.6667 %; after the round (1/14) / (1 + 1/4 + 1/14) = 2/37
    assert (conversion.conversion_valuation, conversion.stake) == (D("14000000.00"), D("6.6667"))
    assert services.current_stake(Investment.objects.get(decision=decision)) == D("5.4054")


def test_only_the_first_qualifying_round_converts_and_later_rounds_dilute(convertible):
    manager = manager_of(convertible.fund)
    record_round(convertible, manager, "Series A", date(2026, 9, 1), "20000000.00", "5000000.00")
    record_round(convertible, manager, "Series B", date(2027, 3, 1), "45000000.00", "15000000.00")
    assert Investment.objects.filter(decision=convertible).count() == 1
    assert [r.transition for r in TransitionLog.objects.filter(transition="convert")] == ["convert"]
    held = Investment.objects.get(decision=convertible)
    assert services.current_stake(held) == D("3.7975")  # 4/79 × 45 / 60 = 3/79
    record_round(convertible, manager, "Series C", date(2028, 1, 10), "100000000.00", "25000000.00")
    assert services.current_stake(held) == D("3.0380")  # 3/79 × 100 / 125 = 12/395


@pytest.mark.parametrize(("closed_on", "raised", "why"), [
    (date(2026, 9, 1), "4999999.99", "one cent short of the minimum"),
    (date(2027, 1, 1), "50000000.00", "the day after the deadline"),
])
def test_a_round_that_does_not_qualify_does_not_convert(convertible, closed_on, raised, why):
    record_round(convertible, officer(), "Angel", closed_on, "20000000.00", raised)
    assert conversion_of(convertible).state == ConversionState.OUTSTANDING, why
    assert not Investment.objects.filter(decision=convertible).exists()
    assert not TransitionLog.objects.filter(transition="convert").exists()


def test_a_round_on_the_deadline_of_exactly_the_minimum_qualifies(convertible):
    record_round(convertible, officer(), "Angel", date(2026, 10, 1), "8000000.00", "4999999.99")
    round_ = record_round(convertible, officer(), "Series A", date(2026, 12, 31), "20000000.00", "5000000.00")
    assert (conversion_of(convertible).state, conversion_of(convertible).financing_round) == ("converted", round_)


def test_rounds_of_a_decision_not_approved_or_not_convertible_convert_nothing():
    proposed = DecisionFactory(convertible=True)
    record_round(proposed, officer(), "Series A", date(2026, 9, 1), "20000000.00", "5000000.00")
    assert conversion_of(proposed) is None
    equity = approved_decision(equity_only=True)
    record_round(equity, officer(), "Series A", date(2026, 9, 1), "20000000.00", "5000000.00")
    assert conversion_of(equity) is None
    assert not Investment.objects.exists()
    assert FinancingRound.objects.count() == 2


def test_only_officers_or_the_funds_managers_record_rounds(convertible):
    for user in (applicant_of(convertible.application.institution), manager_of(FundFactory())):
        with pytest.raises(NotAllowed) as refused:
            record_round(convertible, user, "Series A", date(2026, 9, 1), "20000000.00", "5000000.00")
        assert refused.value.messages == ["Only bureau officers or the fund's managers can record a financing round."]
    assert not FinancingRound.objects.exists()


# ============================================================================================ the lapse job

def run_lapse_job():
    """Through Celery, eagerly (in-process), as the nightly beat entry would."""
    return tasks.lapse_conversions.apply().get()


def test_the_lapse_job_is_scheduled_nightly():
    assert settings.CELERY_BEAT_SCHEDULE["lapse-conversions-nightly"]["task"] == "funding.tasks.lapse_conversions"
    assert tasks.lapse_conversions.name == "funding.tasks.lapse_conversions"


def test_after_the_deadline_the_job_closes_the_grant_as_a_grant_once(convertible):
    with time_machine.travel(local_moment(2026, 12, 31, 23, 59), tick=False):
        assert run_lapse_job() == []  # the deadline day itself is still open
    assert conversion_of(convertible) is None or conversion_of(convertible).state == "outstanding"
    with time_machine.travel(local_moment(2027, 1, 1, 1, 15), tick=False):
        assert run_lapse_job() == [convertible.pk]
        conversion = conversion_of(convertible)
        assert conversion.state == ConversionState.LAPSED
        assert [(r.transition, r.source, r.target, r.actor, r.comment) for r in audit_rows(conversion)] == [
            ("lapse", "outstanding", "lapsed", None, "No qualifying round by 2026-12-31: closed as a grant.")]
        assert run_lapse_job() == []  # idempotent
        assert len(audit_rows(conversion)) == 1
    # A round after it lapsed converts nothing.
    record_round(convertible, officer(), "Series A", date(2027, 2, 1), "20000000.00", "5000000.00")
    assert conversion_of(convertible).state == ConversionState.LAPSED
    assert not Investment.objects.exists()


def test_the_job_leaves_converted_and_unapproved_grants_alone(convertible):
    record_round(convertible, officer(), "Series A", date(2026, 9, 1), "20000000.00", "5000000.00")
    proposed = DecisionFactory(convertible=True)
    with time_machine.travel(local_moment(2027, 6, 1), tick=False):
        assert run_lapse_job() == []
    assert conversion_of(convertible).state == ConversionState.CONVERTED
    assert conversion_of(proposed) is None


def test_the_job_closes_only_those_past_their_own_deadline():
    early = approved_decision(convertible=True, conversion_deadline=date(2026, 6, 30))
    late = approved_decision(convertible=True, conversion_deadline=date(2026, 12, 31))
    with time_machine.travel(local_moment(2026, 7, 1), tick=False):
        assert run_lapse_job() == [early.pk]
    assert conversion_of(late) is None  # nothing happened to it (its conversion record is made when needed)
    assert services.outstanding_conversion(late).state == ConversionState.OUTSTANDING


# ============================================================================================= investments

@pytest.fixture
def equity():
    """Approved: ¥2,000,000 of investment (with a ¥500,000 grant), fund without caps."""
    return approved_decision()


def record(decision, user, amount, pre_money, **kw):
    return services.record_investment(user, decision, investee_name="温州某某科技有限公司",
                                      investee_credit_code=make_credit_code(4242), amount=amount,
                                      pre_money_valuation=pre_money, invested_on=date(2026, 6, 1), **kw)


def test_an_investment_is_recorded_with_its_derived_stake(equity):
    manager = manager_of(equity.fund)
    first = record(equity, manager, "1000000.00", "9000000.00")
    assert (first.stake, first.fund, first.is_conversion) == (D("10.0000"), equity.fund, False)
    typed = record(equity, manager, "1000000.00", "127000000.00", stake="0.78125")  # typed, rounded half up
    assert typed.stake == D("0.7813")


def test_a_typed_stake_that_disagrees_is_refused(equity):
    with pytest.raises(BadInput) as refused:
        record(equity, manager_of(equity.fund), "1000000.00", "9000000.00", stake="10.0001")
    assert refused.value.messages == ["The stake 10.0001% disagrees with amount / post-money = 10.0000%."]


def test_more_than_the_approved_investment_is_refused(equity):
    manager = manager_of(equity.fund)
    record(equity, manager, "1500000.00", "9000000.00")
    with pytest.raises(BadInput) as refused:
        record(equity, manager, "500000.01", "9000000.00")
    assert refused.value.messages == [
        "The approved investment is 2000000.00; 1500000.00 is already recorded, so 500000.01 is too much."]
    assert record(equity, manager, "500000.00", "9000000.00").amount == D("500000.00")


def test_the_stake_cap_is_checked_again_on_the_actual_valuation():
    fund = FundFactory(cap_stake=D("20"))
    decision = approved_decision(equity_only=True, fund=fund, pre_money_valuation=D("8000000.00"))
    manager = manager_of(fund)
    with pytest.raises(BadInput) as refused:
        record(decision, manager, "2000000.00", "7999999.99")
    assert refused.value.messages == [f"{fund.name} holds at most 20% of an investee; this is 20.0001%."]
    assert record(decision, manager, "2000000.00", "8000000.00").stake == D("20.0000")


def test_investments_are_recorded_by_the_funds_managers_for_approved_equity_decisions(equity):
    for user in (officer(), manager_of(FundFactory())):
        with pytest.raises(NotAllowed) as refused:
            record(equity, user, "1000000.00", "9000000.00")
        assert refused.value.messages == ["Only a manager of this decision's fund can record its investment."]
    for decision in (DecisionFactory(), approved_decision(convertible=True)):
        with pytest.raises(NotNow) as refused:
            record(decision, manager_of(decision.fund), "1000000.00", "9000000.00")
        assert refused.value.messages == ["An investment is recorded for an approved decision with an equity part."]


def test_an_ordinary_investment_is_diluted_by_rounds_after_it_only(equity):
    held = record(equity, manager_of(equity.fund), "1000000.00", "9000000.00")  # 10 % on 2026-06-01
    record_round(equity, officer(), "Same day", date(2026, 6, 1), "9000000.00", "1000000.00")
    assert services.current_stake(held) == D("10.0000")
    record_round(equity, officer(), "Series A", date(2027, 1, 1), "30000000.00", "10000000.00")
    assert services.current_stake(held) == D("7.5000")


# ==================================================================================================== exits

@pytest.fixture
def converted(convertible):
    record_round(convertible, officer(), "Series A", date(2026, 9, 1), "20000000.00", "5000000.00")
    return Investment.objects.get(decision=convertible)


def test_a_buyback_is_priced_by_dates_at_the_agreed_simple_interest(converted):
    manager = manager_of(converted.fund)
    # 2026-09-01 → 2028-09-01: 731 days (29 February 2028 inside); ¥1,000,000 × (1 + 6 % × 731/365)
    exit_ = services.record_exit(manager, converted, kind="buyback", exited_on=date(2028, 9, 1), stake_sold="5.0633")
    assert (exit_.proceeds, exit_.stake_sold) == (D("1120164.38"), D("5.0633"))
    assert services.current_stake(converted) == D("0")


def test_a_buyback_after_one_ordinary_year(equity):
    manager = manager_of(equity.fund)
    FundingDecision.objects.filter(pk=equity.pk).update(buyback_rate=D("8"))
    held = investment(FundingDecision.objects.get(pk=equity.pk), amount="1000000.00", invested_on=date(2026, 1, 1))
    exit_ = services.record_exit(manager, held, kind="buyback", exited_on=date(2027, 1, 1), stake_sold="10")
    assert exit_.proceeds == D("1080000.00")


def test_given_proceeds_are_taken_as_given(converted):
    exit_ = services.record_exit(manager_of(converted.fund), converted, kind="secondary", exited_on=date(2027, 5, 1),
                                 proceeds="2500000.00", stake_sold="2.5")
    assert (exit_.proceeds, services.current_stake(converted)) == (D("2500000.00"), D("2.5633"))


def test_selling_more_than_is_held_is_refused(converted):
    manager = manager_of(converted.fund)
    with pytest.raises(BadInput) as refused:
        services.record_exit(manager, converted, kind="secondary", exited_on=date(2027, 5, 1), proceeds="1.00",
                             stake_sold="5.0634")
    assert refused.value.messages == ["Only 5.0633% is held; 5.0634% cannot be sold."]
    services.record_exit(manager, converted, kind="secondary", exited_on=date(2027, 5, 1), proceeds="1000000.00",
                         stake_sold="2")
    with pytest.raises(BadInput) as refused:
        services.record_exit(manager, converted, kind="secondary", exited_on=date(2027, 6, 1), proceeds="1.00",
                             stake_sold="3.0634")
    assert refused.value.messages == ["Only 3.0633% is held; 3.0634% cannot be sold."]
    assert Exit.objects.count() == 1


def test_a_buyback_without_an_agreed_rate_needs_its_proceeds(equity):
    held = investment(equity, amount="1000000.00", invested_on=date(2026, 1, 1))
    with pytest.raises(BadInput) as refused:
        services.record_exit(manager_of(equity.fund), held, kind="buyback", exited_on=date(2027, 1, 1),
                             stake_sold="10")
    assert refused.value.messages == ["No buyback rate was agreed; give the proceeds."]


def test_only_the_funds_managers_record_exits(converted):
    for user in (officer(), manager_of(FundFactory())):
        with pytest.raises(NotAllowed) as refused:
            services.record_exit(user, converted, kind="buyback", exited_on=date(2027, 1, 1), stake_sold="1")
        assert refused.value.messages == ["Only the fund's managers can record an exit."]
    assert not Exit.objects.exists()


def test_an_exit_before_a_round_is_diluted_less_than_one_after_it(equity):
    """Order matters: hold 10 %, sell 2 % (8 % left), then a round dilutes by 0.75 → 6 %, not (10 × 0.75) − 2 = 5.5 %."""
    manager = manager_of(equity.fund)
    held = record(equity, manager, "1000000.00", "9000000.00")  # 10 % on 2026-06-01
    services.record_exit(manager, held, kind="secondary", exited_on=date(2026, 10, 1), proceeds="300000.00",
                         stake_sold="2.0000")
    record_round(equity, officer(), "Series A", date(2027, 1, 1), "30000000.00", "10000000.00")
    assert services.current_stake(held) == D("6.0000")
