"""What the routes answer. Field names are a contract with the SPA and the assistant
(issue 9): add fields freely, rename none."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from usage_analytics.ingest.config import IdentityMode
from usage_analytics.metrics.decline import UsageDeclineSignal
from usage_analytics.metrics.health import Pillar

SortKey = Literal["usage_30d", "usage_change_pct", "seat_activation"]
SortOrder = Literal["asc", "desc"]


class DailyPoint(BaseModel):
    date: dt.date
    events: int


class FeatureCount(BaseModel):
    name: str
    events: int


class UsageView(BaseModel):
    """The account's Usage tab. Changes are week over week (D-6..D against D-13..D-7),
    percentages with one decimal, null without a baseline."""

    account_id: str
    has_data: bool = Field(description="false until the account's first event arrives")
    as_of: dt.date | None = Field(default=None, description="day D, the last day synced")
    identity_mode: IdentityMode | None = None
    events_30d: int = 0
    events_change_pct: float | None = None
    events_this_week: int = 0
    events_last_week: int = 0
    active_users_30d: int | None = Field(default=None, description="group mode only")
    active_users_change_pct: float | None = Field(default=None, description="group mode only")
    events_per_user_change_pct: float | None = Field(default=None, description="group mode only")
    days_active: int = Field(default=0, description="days with events, of 30")
    last_seen: dt.datetime | None = Field(default=None, description="latest event, UTC")
    daily: list[DailyPoint] = Field(
        default_factory=list, description="30 days oldest first (empty before the first sync)"
    )
    top_features: list[FeatureCount] = Field(
        default_factory=list, description="tracked features used in 30 days, most first"
    )
    seat_activation: float | None = Field(
        default=None, description="% of seats active in 14 days; null without a seat count"
    )
    time_to_first_value_days: int | None = Field(
        default=None,
        description="user-property mode: days from the first event to the first tracked "
        "feature event (null until that happens)",
    )


class HealthView(BaseModel):
    account_id: str
    has_data: bool
    as_of: dt.date | None = None
    adoption: Pillar
    engagement: Pillar


class TableRow(BaseModel):
    """The workspace table's usage columns for one account."""

    account_id: str
    name: str
    usage_30d: int = Field(description="events in the 30-day window")
    usage_change_pct: float | None = Field(description="events, week over week")
    seat_activation: float | None = Field(description="null ('—') without a seat count")


class TablePage(BaseModel):
    accounts: list[TableRow]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")
    sort: SortKey
    order: SortOrder
    as_of: dt.date | None = None


class SignalPage(BaseModel):
    signals: list[UsageDeclineSignal]
    next_cursor: str | None = None
