"""The rows one ingested day produces (SPEC "Account-day row").

One `DayUsage` shape serves both an account's day and a quarantined value's day, so the
nightly rematch can add a quarantined value's days into an account's rows field by field
(`DayUsage.merge`).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from usage_analytics.ingest.sketch import distinct_estimate, union_sketches
from usage_analytics.ingest.stats import IngestStats


class DayUsage(BaseModel):
    model_config = ConfigDict(frozen=True)

    events: int = Field(ge=1, description="attributed events")
    feature_counts: dict[str, int] = Field(
        default_factory=dict, description="tracked features only; absent when zero"
    )
    active_users: int | None = Field(
        default=None, description="distinct non-empty distinct_ids (group mode only)"
    )
    users_sketch: bytes | None = Field(
        default=None, description="serialized Theta sketch of those users (group mode only)"
    )
    first_seen: int = Field(description="earliest event time that day, epoch seconds")
    last_seen: int = Field(description="latest event time that day, epoch seconds")

    def merge(self, other: DayUsage) -> DayUsage:
        """The usage of both, as if their events had been attributed together."""
        features = dict(self.feature_counts)
        for name, count in other.feature_counts.items():
            features[name] = features.get(name, 0) + count
        sketch: bytes | None = None
        active: int | None = None
        blobs = [b for b in (self.users_sketch, other.users_sketch) if b is not None]
        if blobs:
            sketch = union_sketches(blobs)
            active = distinct_estimate([sketch])
        return DayUsage(
            events=self.events + other.events,
            feature_counts=features,
            active_users=active,
            users_sketch=sketch,
            first_seen=min(self.first_seen, other.first_seen),
            last_seen=max(self.last_seen, other.last_seen),
        )


class AccountDayRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    workspace_id: str
    account_id: str
    day: dt.date
    usage: DayUsage


class QuarantineDayRow(BaseModel):
    """One unmatched account value's usage on one day, waiting for the rematch."""

    model_config = ConfigDict(frozen=True)

    workspace_id: str
    value: str
    day: dt.date
    usage: DayUsage


class DayRows(BaseModel):
    """Everything day D of a workspace writes: it replaces that day's rows as a whole."""

    model_config = ConfigDict(frozen=True)

    workspace_id: str
    day: dt.date
    accounts: list[AccountDayRow]
    quarantine: list[QuarantineDayRow]
    stats: IngestStats

    @property
    def attributed_events(self) -> int:
        """Events the circuit breaker compares across days (matched or quarantined)."""
        return self.stats.attributed
