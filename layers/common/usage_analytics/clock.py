"""The service's notion of "now": real UTC time, or a fixed day for reproducible runs."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """UTC wall clock; when `today` is set (USAGE_ANALYTICS_TODAY) the date is pinned to it
    while the time of day keeps moving, so durations and 'hours since' stay meaningful."""

    def __init__(self, today: dt.date | None = None) -> None:
        self._today = today

    def now(self) -> dt.datetime:
        real = dt.datetime.now(dt.UTC)
        if self._today is None:
            return real
        return dt.datetime.combine(self._today, real.timetz())


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
