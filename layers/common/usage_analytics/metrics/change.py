"""Week-over-week change, computed exactly.

Fractions, not floats: the signal fires at a drop of exactly 30%, and in floats
(7 - 10) / 10 * 100 is -30.000000000000004, which would make the boundary depend on the
order of operations. Values are rounded only when they leave the domain (`rounded`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | Fraction


def change_pct(this: Number | None, last: Number | None) -> Fraction | None:
    """(this - last) / last * 100; None when last week is 0 (or unknown): no baseline."""
    if this is None or last is None or last == 0:
        return None
    return (Fraction(this) - Fraction(last)) / Fraction(last) * 100


def ratio(numerator: Number, denominator: Number) -> Fraction | None:
    """numerator / denominator; None when the denominator is 0."""
    if denominator == 0:
        return None
    return Fraction(numerator) / Fraction(denominator)


def rounded(value: Fraction | int | float | None, places: int = 1) -> float | None:
    """Half away from zero at `places` decimals (so 12.25 -> 12.3 and -12.25 -> -12.3)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
