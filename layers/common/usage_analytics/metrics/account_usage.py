"""One account's usage as of day D, from its account-day rows (SPEC "Account usage").

Pure: rows in, numbers out. Changes and ratios stay exact (`Fraction`) so the signal and
the health pillars judge exact values; views round them.

Group mode counts users (distinct per range through the sketches); user-property mode has
no user counts (None everywhere users appear) and computes time to first value instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from usage_analytics.ingest.config import IdentityMode
from usage_analytics.ingest.rows import DayUsage
from usage_analytics.metrics.change import change_pct, ratio
from usage_analytics.metrics.distinct_users import DaySketches
from usage_analytics.metrics.windows import DayRange, Windows


class History(BaseModel):
    """What an account's earlier rollup remembers from before the 30-day window: its first
    event, its latest event, and the day of its first tracked-feature event. Only carried
    forward while the configuration is unchanged (a new mapping re-attributes history)."""

    model_config = ConfigDict(frozen=True)

    config_id: str
    first_seen: int | None = None
    last_seen: int | None = None
    first_value_day: dt.date | None = None


class AccountUsage(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    account_id: str
    as_of: dt.date
    identity_mode: IdentityMode
    events_30d: int
    events_this_week: int
    events_last_week: int
    events_change_pct: Fraction | None
    active_users_30d: int | None
    active_users_this_week: int | None
    active_users_last_week: int | None
    active_users_change_pct: Fraction | None
    events_per_user_this_week: Fraction | None
    events_per_user_last_week: Fraction | None
    events_per_user_change_pct: Fraction | None
    active_users_14d: int | None
    seat_count: int | None
    seat_activation: Fraction | None
    days_active: int
    daily: list[tuple[dt.date, int]]
    daily_active_user_days: int | None  # sum of the daily distinct users over the window
    tracked_features: list[str]
    top_features: list[tuple[str, int]]
    first_seen: int | None
    last_seen: int | None
    first_value_day: dt.date | None
    time_to_first_value_days: int | None

    @property
    def has_usage(self) -> bool:
        """Events in the 30-day window: who is ranked, who scores above 0."""
        return self.events_30d > 0

    @property
    def features_used(self) -> int:
        return sum(1 for _, count in self.top_features if count > 0)


def _sum(events: dict[dt.date, int], days: DayRange) -> int:
    return sum(events.get(day, 0) for day in days.days)


def _top_features(rows: Iterable[DayUsage], tracked: Sequence[str]) -> list[tuple[str, int]]:
    """Tracked features with events in the window, most first, ties by name; features no
    longer tracked are left out even if old rows still count them."""
    totals = dict.fromkeys(tracked, 0)
    for usage in rows:
        for name, count in usage.feature_counts.items():
            if name in totals:
                totals[name] += count
    used = [(name, count) for name, count in totals.items() if count > 0]
    return sorted(used, key=lambda item: (-item[1], item[0]))


def _first_value_day(
    rows: dict[dt.date, DayUsage], tracked: Sequence[str], remembered: dt.date | None
) -> dt.date | None:
    if remembered is not None:
        return remembered
    wanted = set(tracked)
    for day in sorted(rows):
        if any(count > 0 for name, count in rows[day].feature_counts.items() if name in wanted):
            return day
    return None


def compute_account_usage(
    account_id: str,
    rows: dict[dt.date, DayUsage],
    *,
    as_of: dt.date,
    mode: IdentityMode,
    tracked_features: Sequence[str],
    seat_count: int | None = None,
    history: History | None = None,
) -> AccountUsage:
    """The account's numbers from its rows by day (days outside the window are ignored)."""
    windows = Windows(as_of)
    in_window = {day: usage for day, usage in rows.items() if day in windows.window}
    events = {day: usage.events for day, usage in in_window.items()}
    this_week, last_week = _sum(events, windows.this_week), _sum(events, windows.last_week)
    group = mode is IdentityMode.GROUP
    users = _users(in_window, windows) if group else None

    first_seen = min((u.first_seen for u in in_window.values()), default=None)
    last_seen = max((u.last_seen for u in in_window.values()), default=None)
    if history is not None:
        first_seen = _earliest(first_seen, history.first_seen)
        last_seen = _latest(last_seen, history.last_seen)
    first_value = None
    ttfv = None
    if not group:
        remembered = history.first_value_day if history else None
        first_value = _first_value_day(in_window, tracked_features, remembered)
        if first_value is not None and first_seen is not None:
            first_day = dt.datetime.fromtimestamp(first_seen, dt.UTC).date()
            ttfv = max(0, (first_value - first_day).days)

    u30, u_this, u_last, u14, user_days = users or (None, None, None, None, None)
    epu_this = ratio(this_week, u_this) if u_this is not None else None
    epu_last = ratio(last_week, u_last) if u_last is not None else None
    seats = seat_count if group and seat_count else None
    return AccountUsage(
        account_id=account_id,
        as_of=as_of,
        identity_mode=mode,
        events_30d=sum(events.values()),
        events_this_week=this_week,
        events_last_week=last_week,
        events_change_pct=change_pct(this_week, last_week),
        active_users_30d=u30,
        active_users_this_week=u_this,
        active_users_last_week=u_last,
        active_users_change_pct=change_pct(u_this, u_last),
        events_per_user_this_week=epu_this,
        events_per_user_last_week=epu_last,
        events_per_user_change_pct=change_pct(epu_this, epu_last),
        active_users_14d=u14,
        seat_count=seat_count,
        seat_activation=None if seats is None or u14 is None else Fraction(u14, seats) * 100,
        days_active=sum(1 for count in events.values() if count > 0),
        daily=[(day, events.get(day, 0)) for day in windows.window.days],
        daily_active_user_days=user_days,
        tracked_features=list(tracked_features),
        top_features=_top_features(in_window.values(), tracked_features),
        first_seen=first_seen,
        last_seen=last_seen,
        first_value_day=first_value,
        time_to_first_value_days=ttfv,
    )


def _users(rows: dict[dt.date, DayUsage], windows: Windows) -> tuple[int, int, int, int, int]:
    """(30 days, this week, last week, 14 days, sum of daily users) in group mode."""
    sketches = DaySketches(
        {day: usage.users_sketch for day, usage in rows.items() if usage.users_sketch}
    )
    user_days = sum(usage.active_users or 0 for usage in rows.values())
    return (
        sketches.distinct(windows.window.days),
        sketches.distinct(windows.this_week.days),
        sketches.distinct(windows.last_week.days),
        sketches.distinct(windows.activation.days),
        user_days,
    )


def _earliest(a: int | None, b: int | None) -> int | None:
    return min((v for v in (a, b) if v is not None), default=None)


def _latest(a: int | None, b: int | None) -> int | None:
    return max((v for v in (a, b) if v is not None), default=None)
