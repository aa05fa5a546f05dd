"""SPEC "Account usage": the 30-day window, the two weeks, the activation range, the week
key of a signal."""

from __future__ import annotations

import datetime as dt

from tests.unit.metrics.world import D, ago
from usage_analytics.metrics.windows import Windows, iso_week


def test_the_window_is_d_minus_29_to_d_thirty_days_oldest_first() -> None:
    window = Windows(D).window
    assert (window.first, window.last) == (ago(29), D)
    assert len(window.days) == 30 and window.days[0] == ago(29) and window.days[-1] == D


def test_this_week_is_d_minus_6_to_d_and_last_week_d_minus_13_to_d_minus_7() -> None:
    w = Windows(D)
    assert (w.this_week.first, w.this_week.last) == (ago(6), D)
    assert (w.last_week.first, w.last_week.last) == (ago(13), ago(7))
    assert ago(7) not in w.this_week and ago(7) in w.last_week
    assert ago(14) not in w.last_week and ago(6) not in w.last_week


def test_seat_activation_counts_the_fourteen_days_d_minus_13_to_d() -> None:
    activation = Windows(D).activation
    assert (activation.first, activation.last) == (ago(13), D) and len(activation.days) == 14


def test_the_weeks_are_rolling_not_calendar_weeks_on_any_weekday() -> None:
    monday = dt.date(2026, 11, 16)
    w = Windows(monday)
    assert (w.this_week.first, w.last_week.last) == (dt.date(2026, 11, 10), dt.date(2026, 11, 9))


def test_the_signal_week_is_the_iso_week_of_d_including_across_a_new_year() -> None:
    assert iso_week(D) == "2026-W47"
    assert iso_week(dt.date(2026, 11, 22)) == "2026-W47"  # Sunday: same week
    assert iso_week(dt.date(2026, 11, 23)) == "2026-W48"  # Monday: next week
    assert iso_week(dt.date(2027, 1, 1)) == "2026-W53"
    assert iso_week(dt.date(2025, 12, 29)) == "2026-W01"
