"""The money arithmetic (funding.finance), against hand-computed tables. No database."""
from datetime import date
from decimal import Decimal

import pytest

from funding import finance
from funding.models import stake_percent

D = Decimal


# ------------------------------------------------------------------------------- stake from pre-money
# stake = amount / (pre-money + amount), in %, 4 decimals, half up.

@pytest.mark.parametrize(("amount", "pre_money", "stake"), [
    ("1000000", "9000000", "10.0000"),          # 1 / 10
    ("2000000", "8000000", "20.0000"),          # 2 / 10
    ("1000000", "3000000", "25.0000"),
    ("1000000", "2000000", "33.3333"),          # 33.33333…: down
    ("2000000", "1000000", "66.6667"),          # 66.66666…: up
    ("1000000", "127000000", "0.7813"),         # 0.78125 exactly: half up (half even would say 0.7812)
    ("1", "79999", "0.0013"),                   # 0.00125 exactly: half up
    ("3", "79997", "0.0038"),                   # 0.00375 exactly
    ("500000", "0", "100.0000"),                # nothing before: the whole company
    ("0", "1000000", "0.0000"),
    ("0", "0", "0"),                            # no company at all: no stake, no division by zero
])
def test_stake_from_pre_money(amount, pre_money, stake):
    assert finance.stake_from_pre_money(D(amount), D(pre_money)) == D(stake)
    # The model's helper (used by the caps) says the same.
    assert stake_percent(D(amount), D(pre_money)) == D(stake)


def test_a_stake_has_four_decimals():
    assert finance.stake_from_pre_money(D("1000000"), D("9000000")).as_tuple().exponent == -4


# ------------------------------------------------------------------------------------------ conversion
# Conversion valuation = round pre-money × (1 − discount), or the cap if lower.
# Stake at conversion = grant / (valuation + grant); after the round: × pre-money / (pre-money + raised).
# A ¥1,000,000 grant; the round: ¥20,000,000 pre-money, ¥5,000,000 raised (×0.8 after the round).

@pytest.mark.parametrize(("case", "discount", "cap", "valuation", "at_conversion", "after_round"), [
    ("at the round's price", None, None, "20000000.00", "4.7619", "3.8095"),        # 1/21; ×0.8
    ("discount only (20 %)", "20", None, "16000000.00", "5.8824", "4.7059"),        # 1/17 = 5.88235…
    ("cap only (¥15M)", None, "15000000", "15000000.00", "6.2500", "5.0000"),       # 1/16
    ("cap above the round price", None, "25000000", "20000000.00", "4.7619", "3.8095"),
    ("both, the cap lower", "20", "15000000", "15000000.00", "6.2500", "5.0000"),   # 16M vs 15M
    ("both, the discount lower", "30", "15000000", "14000000.00", "6.6667", "5.3333"),  # 14M vs 15M: 1/15
    ("both equal", "25", "15000000", "15000000.00", "6.2500", "5.0000"),
    ("zero discount", "0", None, "20000000.00", "4.7619", "3.8095"),
])
def test_conversion(case, discount, cap, valuation, at_conversion, after_round):
    discount = D(discount) if discount is not None else None
    cap = D(cap) if cap is not None else None
    assert finance.conversion_valuation(D("20000000"), discount, cap) == D(valuation), case
    stakes = finance.conversion_stake(D("1000000"), D("20000000"), D("5000000"), discount, cap)
    assert stakes == {
        "conversion_valuation": D(valuation),
        "stake_at_conversion": D(at_conversion),
        "stake_after_round": D(after_round),
    }, case


def test_the_discounted_valuation_is_rounded_to_the_fen_half_up():
    # 12,345,678.91 × (1 − 12.5 %) = 10,802,469.04625 → 10,802,469.05
    assert finance.conversion_valuation(D("12345678.91"), D("12.5"), None) == D("10802469.05")


def test_the_stake_after_the_round_is_computed_from_the_unrounded_stake():
    # 1/21 = 4.76190476…% (rounded 4.7619); × 20/25 = 3.80952380…% → 3.8095. From the rounded stake:
    # 4.7619 × 0.8 = 3.80952 → 3.8095 as well; a case where they differ: a ¥1 grant at ¥7 pre-money,
    # ¥1 raised: 12.5 % × 7/8 = 10.9375 % (exact, 4 decimals).
    stakes = finance.conversion_stake(D("1"), D("7"), D("1"))
    assert stakes["stake_at_conversion"] == D("12.5000")
    assert stakes["stake_after_round"] == D("10.9375")


# -------------------------------------------------------------------------------------------- dilution
# stake × pre-money / (pre-money + raised)

@pytest.mark.parametrize(("stake", "pre_money", "raised", "after"), [
    ("10.0000", "30000000", "10000000", "7.5000"),    # ×3/4
    ("10.0000", "20000000", "0", "10.0000"),          # nothing raised: no dilution
    ("6.2500", "45000000", "15000000", "4.6875"),
    ("5.0000", "20000000", "10000000", "3.3333"),     # 3.33333…
    ("5.0000", "10000000", "20000000", "1.6667"),     # 1.66666…
    ("12.3456", "0", "0", "12.3456"),                 # no company value at all: unchanged
])
def test_dilution_by_a_later_round(stake, pre_money, raised, after):
    assert finance.diluted(D(stake), D(pre_money), D(raised)) == D(after)


def test_two_rounds_dilute_one_after_the_other():
    stake = finance.diluted(D("10.0000"), D("30000000"), D("10000000"))   # 7.5
    assert finance.diluted(stake, D("60000000"), D("20000000")) == D("5.6250")  # 7.5 × 3/4


# ---------------------------------------------------------------------------------------------- buyback
# principal × (1 + rate × days / 365), simple interest, by dates; 2 decimals half up.

@pytest.mark.parametrize(("start", "end", "rate", "amount"), [
    (date(2022, 3, 1), date(2023, 3, 1), "6", "1060000.00"),       # 365 days
    (date(2023, 3, 1), date(2024, 3, 1), "6", "1060164.38"),       # 366 days (29 February 2024)
    (date(2024, 1, 1), date(2025, 1, 1), "6", "1060164.38"),       # the leap year itself: 366 days
    (date(2022, 1, 1), date(2024, 1, 1), "5", "1100000.00"),       # 730 days, no 29 February
    (date(2023, 1, 1), date(2025, 1, 1), "5", "1100136.99"),       # 731 days: 1 + 0.05 × 731/365
    (date(2024, 2, 28), date(2024, 3, 1), "36.5", "1002000.00"),   # 2 days: 0.365 × 2/365 = 0.2 %
    (date(2024, 6, 1), date(2024, 6, 1), "6", "1000000.00"),       # the same day: the principal
    (date(2024, 6, 1), date(2024, 5, 1), "6", "1000000.00"),       # an end before the start: no interest
    (date(2023, 3, 1), date(2024, 3, 1), "0", "1000000.00"),       # no interest agreed
])
def test_buyback_amount(start, end, rate, amount):
    assert finance.buyback_amount(D("1000000.00"), D(rate), start, end) == D(amount)


def test_buyback_rounds_half_up_to_the_fen():
    # 1,000 × (1 + 0.073 × 1/365) = 1,000.2 exactly; 333.33 × 0.06 × 100/365 = 5.4793… → 338.81
    assert finance.buyback_amount(D("1000.00"), D("7.3"), date(2023, 1, 1), date(2023, 1, 2)) == D("1000.20")
    assert finance.buyback_amount(D("333.33"), D("6"), date(2023, 1, 1), date(2023, 4, 11)) == D("338.81")


# ------------------------------------------------------------------------------------------------- XIRR

def test_xirr_excel_documented_example():
    """Microsoft's XIRR example: 0.373362535 (37.34 %)."""
    flows = [(date(2008, 1, 1), -10000), (date(2008, 3, 1), 2750), (date(2008, 10, 30), 4250),
             (date(2009, 2, 15), 3250), (date(2009, 4, 1), 2750)]
    rate = finance.xirr(flows)
    assert rate == pytest.approx(0.373362535, abs=1e-8)
    # The root itself: the flows discounted at it add up to nothing.
    npv = sum(v / (1 + rate) ** ((d - date(2008, 1, 1)).days / 365) for d, v in flows)
    assert abs(npv) < 1e-6


@pytest.mark.parametrize(("flows", "rate"), [
    ([(date(2023, 1, 1), -1000), (date(2024, 1, 1), 1100)], 0.10),                   # one year (365 days), 10 %
    # two years of 731 days (29 February 2024 inside): (1 + r)^(731/365) = 1.21
    ([(date(2023, 1, 1), -1000), (date(2025, 1, 1), 1210)], 1.21 ** (365 / 731) - 1),
    ([(date(2022, 1, 1), -1000), (date(2024, 1, 1), 1210)], 0.10),                   # 730 days, no leap day
    ([(date(2023, 1, 1), -1000), (date(2024, 1, 1), 1000)], 0.0),                    # money back: 0 %
    ([(date(2023, 1, 1), -1000), (date(2024, 1, 1), 500)], -0.5),                    # half lost in a year
    ([(date(2023, 1, 1), 1000), (date(2024, 1, 1), -1100)], 0.10),                   # the signs the other way
    ([(date(2023, 1, 1), -500), (date(2023, 1, 1), -500), (date(2024, 1, 1), 1100)], 0.10),  # same-day flows
])
def test_xirr_known_values(flows, rate):
    assert finance.xirr(flows) == pytest.approx(rate, abs=1e-9)


def test_xirr_order_of_the_flows_does_not_matter():
    flows = [(date(2024, 1, 1), 1100), (date(2023, 1, 1), -1000)]
    assert finance.xirr(flows) == pytest.approx(0.10, abs=1e-9)


@pytest.mark.parametrize("flows", [
    [(date(2023, 1, 1), -1000), (date(2024, 1, 1), -1100)],      # all paid out
    [(date(2023, 1, 1), 1000), (date(2024, 1, 1), 1100)],        # all received
    [(date(2023, 1, 1), -1000)],                                   # one flow
    [],                                                            # none
    [(date(2023, 1, 1), -1000), (date(2024, 1, 1), 0)],            # zero flows do not count
])
def test_xirr_undefined_is_none(flows):
    assert finance.xirr(flows) is None


@pytest.mark.parametrize(("back", "rate"), [("10000.00", -0.99), ("100.00", -0.9999)])
def test_xirr_accepts_decimals_and_near_total_losses(back, rate):
    # −¥1,000,000 then ¥10,000 (or ¥100) a year later: Newton's method leaves the domain, bisection finds it.
    assert finance.xirr([(date(2023, 1, 1), D("-1000000.00")), (date(2024, 1, 1), D(back))]) == pytest.approx(
        rate, abs=1e-9)


def test_xirr_high_return():
    # ×10 in a year: 900 %.
    assert finance.xirr([(date(2023, 1, 1), -100), (date(2024, 1, 1), 1000)]) == pytest.approx(9.0, abs=1e-7)
