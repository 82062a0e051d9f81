"""The money arithmetic of funding, in Decimal (XIRR in float, reported rounded).

- Stake from pre-money: stake = amount / (pre-money + amount).
- Conversion of a convertible grant (先投后股) at a qualifying round: the conversion valuation is the round's
  pre-money × (1 − discount), or the valuation cap if lower; the grant buys grant / (conversion valuation +
  grant) of the company *before* the round's new money, then is diluted by the round's new money:
  stake after the round = pre-round stake × pre-money / post-money.
- Dilution by a later round: stake × pre-money / (pre-money + amount raised).
- Founder buyback: principal × (1 + rate × days / 365), simple interest, by dates.
- XIRR: the rate r with Σ cf_i / (1 + r)^((d_i − d_0)/365) = 0, by Newton's method with bisection fallback.
"""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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


def conversion_stake(grant: Decimal, round_pre_money: Decimal, round_amount: Decimal,
                     discount_percent: Decimal | None = None, valuation_cap: Decimal | None = None) -> dict:
    """Stakes (in %) of a converting grant: at conversion, and after the round's new money."""
    valuation = conversion_valuation(round_pre_money, discount_percent, valuation_cap)
    at_conversion = grant / (valuation + grant) * HUNDRED
    after_round = at_conversion * round_pre_money / (round_pre_money + round_amount)
    return {
        "conversion_valuation": valuation,
        "stake_at_conversion": at_conversion.quantize(Q4, rounding=ROUND_HALF_UP),
        "stake_after_round": after_round.quantize(Q4, rounding=ROUND_HALF_UP),
    }


def diluted(stake_percent: Decimal, pre_money: Decimal, amount_raised: Decimal) -> Decimal:
    post = pre_money + amount_raised
    return (stake_percent * pre_money / post).quantize(Q4, rounding=ROUND_HALF_UP) if post > 0 else stake_percent


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
