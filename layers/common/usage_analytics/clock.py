"""The service's notion of "now": real UTC time, or a fixed day for reproducible runs."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """UTC wall clock; when `today` is set (USAGE_ANALYTICS_TODAY) it is that day at 12:00
    UTC, fixed, so a local run gives the same days and numbers whenever it runs (noon UTC is
    the same calendar day in every Mixpanel project timezone from UTC-12 to UTC+11)."""

    def __init__(self, today: dt.date | None = None) -> None:
        self._today = today

    def now(self) -> dt.datetime:
        if self._today is None:
            return dt.datetime.now(dt.UTC)
        return dt.datetime.combine(self._today, dt.time(12, 0), tzinfo=dt.UTC)


class FixedClock:
    """A clock for tests: returns the instant it was given, movable with `advance`."""

    def __init__(self, instant: dt.datetime) -> None:
        self._instant = instant

    def now(self) -> dt.datetime:
        return self._instant

    def advance(self, delta: dt.timedelta) -> None:
        self._instant += delta


def default_clock() -> Clock:
    from usage_analytics.settings import get_settings

    return SystemClock(get_settings().today)
