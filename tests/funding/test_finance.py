"""The money arithmetic (funding.finance), against hand-computed tables. No database."""
from datetime import date
from decimal import Decimal
from fractions import Fraction

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
# The pre-money convention (funding.finance): the round's investors pay P = pre-money / S per share; the grant
# converts at P × (1 − discount), or at the cap's price if the cap is below the discounted valuation.
# Conversion shares = grant / conversion price; new-money shares = raised / P; stake after the round =
# conversion shares / (S + new-money shares + conversion shares). Stake at conversion = grant / (valuation + grant).
# A ¥1,000,000 grant; the round: ¥20,000,000 pre-money, ¥5,000,000 raised (new money S/4).

@pytest.mark.parametrize(("case", "discount", "cap", "valuation", "at_conversion", "after_round"), [
    ("at the round's price", None, None, "20000000.00", "4.7619", "3.8462"),        # 1/21; S/20: 1/26
    ("discount only (20 %)", "20", None, "16000000.00", "5.8824", "4.7619"),        # 1/17; S/16: 1/21
    ("cap only (¥15M)", None, "15000000", "15000000.00", "6.2500", "5.0633"),       # 1/16; S/15: 4/79
    ("cap above the round price", None, "25000000", "20000000.00", "4.7619", "3.8462"),
    ("both, the cap lower", "20", "15000000", "15000000.00", "6.2500", "5.0633"),   # 16M vs 15M
    ("both, the discount lower", "30", "15000000", "14000000.00", "6.6667", "5.4054"),  # 1/15; S/14: 2/37
    ("both equal", "25", "15000000", "15000000.00", "6.2500", "5.0633"),
    ("zero discount", "0", None, "20000000.00", "4.7619", "3.8462"),
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


def test_conversion_worked_example_2_4390_percent():
    """The worked example of the module docstring and the README: ¥1,000,000 grant; ¥40,000,000 pre-money
    raising ¥10,000,000; 20 % discount, no cap."""
    shares = finance.conversion_shares(D("1000000"), D("40000000"), D("10000000"), D("20"), None)
    assert shares.stake_after_round == Fraction(1, 41)
    assert shares.new_money_stake == Fraction(8, 41)
    assert shares.earlier_holders_stake == Fraction(32, 41)
    # In multiples of S (the shares before the round): conversion S/32, new money S/4.
    assert (shares.conversion / shares.earlier, shares.new_money / shares.earlier) == (Fraction(1, 32), Fraction(1, 4))
    assert [finance.percent(s) for s in (shares.stake_after_round, shares.new_money_stake,
                                         shares.earlier_holders_stake)] == [D("2.4390"), D("19.5122"), D("78.0488")]
    assert finance.conversion_stake(D("1000000"), D("40000000"), D("10000000"), D("20"), None) == {
        "conversion_valuation": D("32000000.00"), "stake_at_conversion": D("3.0303"), "stake_after_round": D("2.4390")}


def test_conversion_price_per_share_is_exactly_0_8_of_the_round_price():
    shares = finance.conversion_shares(D("1000000"), D("40000000"), D("10000000"), D("20"), None)
    grant_price = Fraction(1000000) / shares.conversion
    round_price = Fraction(10000000) / shares.new_money
    assert grant_price / round_price == Fraction(4, 5)
    # The mixed convention (pre-round stake × pre-money / post-money) made it 0.825 × the round's price.
    assert finance.percent(Fraction(1, 33) * Fraction(40, 50)) == D("2.4242")


def test_conversion_cap_below_the_discounted_valuation_replaces_0_8_p():
    # Cap ¥30,000,000 < 0.8 × ¥40,000,000: the grant converts at the cap's price cap / S, shares S/30.
    shares = finance.conversion_shares(D("1000000"), D("40000000"), D("10000000"), D("20"), D("30000000"))
    assert shares.conversion / shares.earlier == Fraction(1, 30)
    assert shares.stake_after_round == Fraction(2, 77)  # (1/30) / (1 + 1/4 + 1/30)
    grant_price = Fraction(1000000) / shares.conversion
    assert grant_price / (Fraction(10000000) / shares.new_money) == Fraction(3, 4)  # the cap's price, 30/40 of P
    assert finance.conversion_stake(D("1000000"), D("40000000"), D("10000000"), D("20"), D("30000000")) == {
        "conversion_valuation": D("30000000.00"), "stake_at_conversion": D("3.2258"), "stake_after_round": D("2.5974")}
    # A cap above the discounted valuation changes nothing.
    assert finance.conversion_shares(D("1000000"), D("40000000"), D("10000000"), D("20"), D("32000001")) == \
        finance.conversion_shares(D("1000000"), D("40000000"), D("10000000"), D("20"), None)


def test_conversion_then_dilution_by_a_later_round_stays_exact():
    # 1/41 after the round; a later round at ¥90,000,000 pre-money raising ¥30,000,000: × 3/4 = 3/164.
    share = finance.conversion_shares(D("1000000"), D("40000000"), D("10000000"), D("20"), None).stake_after_round
    later = finance.dilute(share, D("90000000"), D("30000000"))
    assert later == Fraction(3, 164)
    assert finance.percent(later) == D("1.8293")  # 1.829268…%
    # Rounded only at the end: ¥1 at ¥7 pre-money, ¥1 raised, no discount: 1/9 exactly, then three rounds of ×2/3.
    share = finance.conversion_shares(D("1"), D("7"), D("1")).stake_after_round
    assert share == Fraction(1, 9)
    for _ in range(3):
        share = finance.dilute(share, D("2"), D("1"))
    assert (share, finance.percent(share)) == (Fraction(8, 243), D("3.2922"))


def test_percent_rounds_half_up_for_display_only():
    assert finance.percent(Fraction(1, 41)) == D("2.4390")
    assert finance.percent(Fraction(5, 10 ** 7)) == D("0.0001")  # 0.00005 % → up
    assert finance.percent(Fraction(0)) == D("0")


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
