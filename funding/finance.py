"""The money arithmetic of funding, exact: shares and stakes as Fractions, money in Decimal; rounding only for
display (stakes to 4 decimals in %, half up). XIRR in float, reported rounded.

- Stake from pre-money: stake = amount / (pre-money + amount).
- Conversion of a convertible grant (拨投结合 / 先投后股) at a qualifying round, by the standard pre-money
  convention: the round's new investors pay P = pre-money / S per share (S = the shares before the round); the
  grant converts at the same time at the conversion price, 0.8 P for a 20 % discount (P × (1 − discount)), or
  the cap's price cap / S if that is lower. Conversion shares = grant / conversion price, new-money shares =
  raised / P, and both are issued at the round: stake after the round = conversion shares / (S + new-money shares
  + conversion shares). The conversion valuation shown is pre-money × (1 − discount), or the cap if lower.
  Worked example: a ¥1,000,000 grant; the round: ¥40,000,000 pre-money, raising ¥10,000,000; 20 % discount, no
  cap. P = 40,000,000 / S; conversion price 0.8 P; conversion shares 1,000,000 / 0.8 P = S / 32; new-money
  shares 10,000,000 / P = S / 4. Stake after the round = (S/32) / (S + S/4 + S/32) = 1/41 = 2.4390 %; the new
  money holds 8/41 = 19.5122 %, the earlier holders 32/41 = 78.0488 %: per share the grant pays exactly 0.8 ×
  what the new investors pay. With a ¥30,000,000 cap (below the discounted ¥32,000,000) the cap's price
  replaces 0.8 P: conversion shares S / 30, stake 1/38.5 = 2.5974 %.
  The stake *at conversion* (shown beside it) counts the conversion shares against the earlier ones only, before
  the new money: (S/32) / (S + S/32) = 1/33 = 3.0303 %.
- Shares are counted here in yuan at the round's price (S shares are worth the pre-money), so they stay exact
  whatever S is: earlier = pre-money, new money = raised, conversion = grant / (1 − discount), or grant ×
  pre-money / cap under the cap.
- Dilution by a later round: stake × pre-money / (pre-money + amount raised).
- Founder buyback: principal × (1 + rate × days / 365), simple interest, by dates.
- XIRR: the rate r with Σ cf_i / (1 + r)^((d_i − d_0)/365) = 0, by Newton's method with bisection fallback.
"""
import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Q2 = Decimal("0.01")
Q4 = Decimal("0.0001")
HUNDRED = Decimal("100")


def stake_from_pre_money(amount: Decimal, pre_money: Decimal) -> Decimal:
    post = pre_money + amount
    return (amount / post * HUNDRED).quantize(Q4, rounding=ROUND_HALF_UP) if post > 0 else Decimal("0")


def conversion_valuation(round_pre_money: Decimal, discount_percent: Decimal | None,
                         valuation_cap: Decimal | None) -> Decimal:
    """The pre-money valuation the grant converts at: discounted round valuation, or the cap if lower."""
    discounted = round_pre_money * (1 - (discount_percent or Decimal("0")) / HUNDRED)
    if valuation_cap is not None and valuation_cap < discounted:
        return valuation_cap.quantize(Q2)
    return discounted.quantize(Q2, rounding=ROUND_HALF_UP)


def percent(share: Fraction) -> Decimal:
    """A share of a company (0 to 1, exact) as a percentage to 4 decimals, half up: the display rounding."""
    scaled = Fraction(share) * 1_000_000
    units = math.floor(scaled + Fraction(1, 2)) if scaled >= 0 else -math.floor(-scaled + Fraction(1, 2))
    return Decimal(units).scaleb(-4)


@dataclass(frozen=True)
class RoundShares:
    """The shares after a qualifying round that converts a grant, counted in yuan at the round's price P.

    ``earlier`` = the shares before the round (worth the pre-money), ``new_money`` = what the round's investors
    bought (worth what they paid), ``conversion`` = what the grant bought at its conversion price."""

    earlier: Fraction
    new_money: Fraction
    conversion: Fraction

    @property
    def total(self) -> Fraction:
        return self.earlier + self.new_money + self.conversion

    def _of(self, part: Fraction, whole: Fraction) -> Fraction:
        return part / whole if whole > 0 else Fraction(0)

    @property
    def stake_after_round(self) -> Fraction:
        return self._of(self.conversion, self.total)

    @property
    def new_money_stake(self) -> Fraction:
        return self._of(self.new_money, self.total)

    @property
    def earlier_holders_stake(self) -> Fraction:
        return self._of(self.earlier, self.total)

    @property
    def stake_at_conversion(self) -> Fraction:
        """The conversion shares against the earlier ones only, before the round's new money."""
        return self._of(self.conversion, self.earlier + self.conversion)


def conversion_shares(grant: Decimal, round_pre_money: Decimal, round_amount: Decimal,
                      discount_percent: Decimal | None = None, valuation_cap: Decimal | None = None) -> RoundShares:
    """The round's shares by the pre-money convention (module docstring): the grant converts at P × (1 − discount),
    or at the cap's price if the cap is below the discounted valuation."""
    pre, grant = Fraction(round_pre_money), Fraction(grant)
    kept = 1 - Fraction(discount_percent or 0) / 100
    if valuation_cap is not None and Fraction(valuation_cap) < pre * kept:
        cap = Fraction(valuation_cap)
        converted = grant * pre / cap if cap > 0 else None
    else:
        converted = grant / kept if kept > 0 else None
    if converted is None:  # a conversion price of nothing: the grant takes the whole company
        return RoundShares(Fraction(0), Fraction(0), Fraction(1))
    return RoundShares(pre, Fraction(round_amount), converted)


def conversion_stake(grant: Decimal, round_pre_money: Decimal, round_amount: Decimal,
                     discount_percent: Decimal | None = None, valuation_cap: Decimal | None = None) -> dict:
    """Stakes (in %, 4 decimals) of a converting grant: at conversion, and after the round (pre-money convention)."""
    shares = conversion_shares(grant, round_pre_money, round_amount, discount_percent, valuation_cap)
    return {
        "conversion_valuation": conversion_valuation(round_pre_money, discount_percent, valuation_cap),
        "stake_at_conversion": percent(shares.stake_at_conversion),
        "stake_after_round": percent(shares.stake_after_round),
    }


def dilute(share: Fraction, pre_money: Decimal, amount_raised: Decimal) -> Fraction:
    """A share (exact) after a later round: × pre-money / (pre-money + raised)."""
    post = Fraction(pre_money) + Fraction(amount_raised)
    return share * Fraction(pre_money) / post if post > 0 else share


def diluted(stake_percent: Decimal, pre_money: Decimal, amount_raised: Decimal) -> Decimal:
    return percent(dilute(Fraction(stake_percent) / 100, pre_money, amount_raised))


def buyback_amount(principal: Decimal, annual_rate_percent: Decimal, start: date, end: date) -> Decimal:
    days = max((end - start).days, 0)
    return (principal * (1 + annual_rate_percent / HUNDRED * Decimal(days) / Decimal(365))).quantize(
        Q2, rounding=ROUND_HALF_UP)


def xirr(cash_flows: list[tuple[date, float]], guess: float = 0.1) -> float | None:
    """Annualised internal rate of return of dated cash flows (negative = paid out). None if undefined."""
    flows = [(d, float(v)) for d, v in cash_flows if v]
    if len(flows) < 2 or all(v >= 0 for _, v in flows) or all(v <= 0 for _, v in flows):
        return None
    import numpy as np

    d0 = min(d for d, _ in flows)
    t = np.array([(d - d0).days / 365.0 for d, _ in flows])
    v = np.array([x for _, x in flows])

    def npv(r):
        return float(np.sum(v / (1.0 + r) ** t))

    def d_npv(r):
        return float(np.sum(-t * v / (1.0 + r) ** (t + 1)))

    r = guess
    for _ in range(100):
        f = npv(r)
        if abs(f) < 1e-7:
            return r
        df = d_npv(r)
        if df == 0:
            break
        step = r - f / df
        if step <= -0.999999 or not np.isfinite(step):
            break
        if abs(step - r) < 1e-12:
            return step
        r = step
    lo, hi = -0.999999, 1.0
    while npv(hi) > 0 and hi < 1e6:
        hi *= 2
    f_lo, f_hi = npv(lo), npv(hi)
    if f_lo * f_hi > 0:
        return None
    for _ in range(300):
        mid = (lo + hi) / 2
        f_mid = npv(mid)
        if abs(f_mid) < 1e-9:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2
