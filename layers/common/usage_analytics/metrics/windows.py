"""The day ranges every number is computed over, all relative to day D ("as of").

D is the last day written for the workspace (the integration's `last_synced_day`), which is
yesterday in the project's timezone once the daily sync has run. All ranges are inclusive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WINDOW_DAYS = 30
WEEK_DAYS = 7
ACTIVATION_DAYS = 14


@dataclass(frozen=True)
class DayRange:
    first: dt.date
    last: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last

    @property
    def days(self) -> list[dt.date]:
        """Every day of the range, oldest first."""
        count = (self.last - self.first).days + 1
        return [self.first + dt.timedelta(days=i) for i in range(count)]


def _ending(last: dt.date, days: int) -> DayRange:
    return DayRange(last - dt.timedelta(days=days - 1), last)


@dataclass(frozen=True)
class Windows:
    """SPEC: 30-day window D-29..D; this week D-6..D; last week D-13..D-7; seat activation
    counts users over D-13..D (both weeks)."""

    as_of: dt.date

    @property
    def window(self) -> DayRange:
        return _ending(self.as_of, WINDOW_DAYS)

    @property
    def this_week(self) -> DayRange:
        return _ending(self.as_of, WEEK_DAYS)

    @property
    def last_week(self) -> DayRange:
        return _ending(self.as_of - dt.timedelta(days=WEEK_DAYS), WEEK_DAYS)

    @property
    def activation(self) -> DayRange:
        return _ending(self.as_of, ACTIVATION_DAYS)


def iso_week(day: dt.date) -> str:
    """The ISO week of a day, e.g. 2026-W47 (2027-01-01 is in 2026-W53): the signal's
    once-per-week key."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
