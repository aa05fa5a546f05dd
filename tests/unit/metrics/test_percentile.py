"""Percentile ranks among the workspace's accounts with usage, ties sharing the top."""

from __future__ import annotations

from fractions import Fraction

from usage_analytics.metrics.percentile import PercentileRanks


def test_rank_is_the_share_of_accounts_at_or_below_the_value() -> None:
    ranks = PercentileRanks([10, 20, 30, 40])
    assert [ranks.rank(v) for v in (10, 20, 30, 40)] == [25, 50, 75, 100]


def test_tied_accounts_share_the_highest_rank_they_span() -> None:
    ranks = PercentileRanks([5, 7, 7, 7, 9])
    assert ranks.rank(5) == 20
    assert ranks.rank(7) == 80  # places 2, 3, 4 of 5: all get 4/5
    assert ranks.rank(9) == 100


def test_when_everyone_ties_everyone_gets_100_and_a_single_account_gets_100() -> None:
    assert PercentileRanks([3, 3, 3]).rank(3) == 100
    assert PercentileRanks([42]).rank(42) == 100


def test_ranks_compare_exact_fractions() -> None:
    ranks = PercentileRanks([Fraction(1, 3), Fraction(2, 3), Fraction(1)])
    assert ranks.rank(Fraction(2, 3)) == Fraction(200, 3)


def test_an_empty_population_ranks_nothing_above_zero() -> None:
    assert PercentileRanks([]).rank(5) == 0
