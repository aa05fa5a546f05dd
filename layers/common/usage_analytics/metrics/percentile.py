"""Percentile rank within the workspace, with a tie rule that never punishes a tie.

rank(x) = (number of values at or below x) / (number of values) * 100

- Tied accounts share one rank: the highest of the places they span (three accounts tied
  at the top of ten all get 100, not 80, 90 and 100 in arbitrary order).
- The best account always gets 100; the lowest gets 100/n, never 0: having usage is
  worth something. With one account, it gets 100 (a mid-rank rule would give 50, which
  reads as "average" when there is nobody to compare with).
- Only accounts with usage are ranked (SPEC); accounts without usage score 0 elsewhere.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from fractions import Fraction


class PercentileRanks:
    """Ranks against a fixed population (sorted once, each lookup O(log n))."""

    def __init__(self, population: Sequence[Fraction | int]) -> None:
        self._sorted = sorted(Fraction(v) for v in population)

    def __len__(self) -> int:
        return len(self._sorted)

    def rank(self, value: Fraction | int) -> Fraction:
        if not self._sorted:
            return Fraction(0)
        at_or_below = bisect_right(self._sorted, Fraction(value))
        return Fraction(at_or_below * 100, len(self._sorted))
