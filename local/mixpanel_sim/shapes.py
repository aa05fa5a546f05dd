"""How busy an account is on a given day: the usage curves a customer-success team looks for.

Levels are expressed against "yesterday" (the day a daily sync reads), so "this week" is
days_ago 0..6 and "last week" 7..13, the windows of the usage-decline signal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from local.mixpanel_sim.plan import AccountPlan

WEEKEND_ACTIVITY = 0.15
DECLINE_DEPTH = 0.45  # "depth" decliners keep their users, who do less than half as much
DECLINE_KEEP_DEPTH = 0.9  # "users" decliners lose every other user, the rest slow down a bit
ERODING_WEEKLY = 0.92  # a slow slide that never trips a 30% week-over-week rule
RAMP_LOW, RAMP_HIGH, RAMP_DAYS = 0.45, 1.35, 44


@dataclass(frozen=True, slots=True)
class DayLevel:
    depth: float  # multiplier on events per active user (0: the account is silent)
    silence_even_users: bool = False  # users at even positions do nothing that day

    @property
    def silent(self) -> bool:
        return self.depth <= 0.0


SILENT = DayLevel(depth=0.0)


def weekday_activity(day: dt.date) -> float:
    """B2B products are quiet at weekends."""
    return WEEKEND_ACTIVITY if day.weekday() >= 5 else 1.0


def day_level(account: AccountPlan, days_ago: int) -> DayLevel:
    """The account's level `days_ago` days before yesterday (-1 is today)."""
    shape = account.shape
    if shape == "ramping":
        progress = min(1.0, max(0.0, 1.0 - days_ago / RAMP_DAYS))
        return DayLevel(depth=RAMP_LOW + (RAMP_HIGH - RAMP_LOW) * progress)
    if shape == "eroding":
        weeks_in = (RAMP_DAYS - min(days_ago, RAMP_DAYS)) / 7.0
        return DayLevel(depth=ERODING_WEEKLY**weeks_in)
    if shape == "declining":
        if days_ago >= 7:
            return DayLevel(depth=1.0)
        if account.decline_mode == "users":
            return DayLevel(depth=DECLINE_KEEP_DEPTH, silence_even_users=True)
        return DayLevel(depth=DECLINE_DEPTH)
    if shape == "churned":
        if days_ago < account.churned_days_ago:
            return SILENT
        fading = days_ago - account.churned_days_ago < 7
        return DayLevel(depth=0.6 if fading else 1.0)
    if shape == "new":
        if days_ago > account.started_days_ago:
            return SILENT
        age = account.started_days_ago - days_ago
        return DayLevel(depth=min(1.0, 0.5 + age / 14.0))
    return DayLevel(depth=1.0)
