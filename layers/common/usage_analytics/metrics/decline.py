"""The usage-decline churn signal (SPEC "Usage-decline churn signal"), group mode only.

This week (D-6..D) against last week (D-13..D-7), three dimensions: events, active users
(distinct per week) and events per active user. A dimension fires when it dropped by
`drop_pct` (30%) or more, judged exactly (no float rounding at the boundary). Nothing is
judged unless last week had at least `min_baseline_events` (10) events: a drop from 4
events to 1 is noise. A dimension without a baseline (0 users last week) is not judged.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from usage_analytics.ingest.config import IdentityMode
from usage_analytics.metrics.account_usage import AccountUsage
from usage_analytics.metrics.change import change_pct, rounded
from usage_analytics.metrics.explanation import explain_decline
from usage_analytics.metrics.rules import SignalRules
from usage_analytics.metrics.windows import Windows, iso_week

USAGE_DECLINE = "usage_decline"
DimensionName = Literal["events", "active_users", "events_per_user"]


class SignalDimension(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: DimensionName
    before: float = Field(description="last week (D-13..D-7)")
    after: float = Field(description="this week (D-6..D)")
    change_pct: float = Field(description="(after - before) / before * 100, one decimal")


class WeekTotals(BaseModel):
    """Both weeks' volume and users, carried by every signal (the explanation quotes them)."""

    model_config = ConfigDict(frozen=True)

    events_before: int
    events_after: int
    active_users_before: int | None
    active_users_after: int | None


class UsageDeclineSignal(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    name: str = Field(default="", description="the account's name in the CRM")
    type: Literal["usage_decline"] = "usage_decline"
    week: str = Field(description="ISO week of day D, e.g. 2026-W47: at most one per week")
    as_of: dt.date = Field(description="day D: this week is D-6..D, last week D-13..D-7")
    dimensions: list[SignalDimension]
    totals: WeekTotals
    explanation: str

    @property
    def signal_id(self) -> str:
        return f"{self.week}#{self.account_id}"


def _dimensions(
    usage: AccountUsage,
) -> list[tuple[DimensionName, Fraction | int | None, Fraction | int | None]]:
    return [
        ("events", usage.events_last_week, usage.events_this_week),
        ("active_users", usage.active_users_last_week, usage.active_users_this_week),
        ("events_per_user", usage.events_per_user_last_week, usage.events_per_user_this_week),
    ]


def dropped_dimensions(usage: AccountUsage, rules: SignalRules) -> list[SignalDimension]:
    """The dimensions that dropped by the threshold or more, in SPEC order."""
    if usage.identity_mode is not IdentityMode.GROUP:
        return []
    if usage.events_last_week < rules.min_baseline_events:
        return []
    dropped = []
    for name, before, after in _dimensions(usage):
        change = change_pct(after, before)
        if change is None or change > -rules.drop_pct:
            continue
        assert before is not None and after is not None
        dropped.append(
            SignalDimension(
                name=name,
                before=rounded(before, 2) or 0.0,
                after=rounded(after, 2) or 0.0,
                change_pct=rounded(change) or 0.0,
            )
        )
    return dropped


def detect_decline(
    usage: AccountUsage, rules: SignalRules, *, name: str = ""
) -> UsageDeclineSignal | None:
    """The account's signal for the ISO week of D, or None when nothing dropped enough."""
    dropped = dropped_dimensions(usage, rules)
    if not dropped:
        return None
    totals = WeekTotals(
        events_before=usage.events_last_week,
        events_after=usage.events_this_week,
        active_users_before=usage.active_users_last_week,
        active_users_after=usage.active_users_this_week,
    )
    windows = Windows(usage.as_of)
    return UsageDeclineSignal(
        account_id=usage.account_id,
        name=name,
        week=iso_week(usage.as_of),
        as_of=usage.as_of,
        dimensions=dropped,
        totals=totals,
        explanation=explain_decline(name or usage.account_id, dropped, totals, windows),
    )
