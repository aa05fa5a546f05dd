"""Response bodies. Field names are a contract with the SPA (docs/api.md): add fields
freely, rename none without a documented breaking change."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from usage_analytics.integration.model import (
    TRACKED_FEATURE_CAP,
    IdentityMode,
    Mapping,
    Region,
    Status,
)


class Severity(StrEnum):
    YELLOW = "yellow"
    RED = "red"


class BannerKind(StrEnum):
    SCHEMA_DRIFT = "schema_drift"
    STALE = "stale"
    ERROR = "error"
    BACKFILL_FAILED = "backfill_failed"


class Banner(BaseModel):
    kind: BannerKind
    severity: Severity
    message: str


class BackfillProgress(BaseModel):
    days_done: int = Field(ge=0)
    days_total: int = Field(ge=0)


class Card(BaseModel):
    """The integration card: everything the SPA shows about the connection."""

    workspace_id: str
    status: Status
    identity_mode: IdentityMode | None = None
    identity_key: str | None = None
    region: Region
    project_id: int
    project_timezone: str | None = None
    mapping: Mapping | None = None
    tracked_features: list[str] = Field(default_factory=list)
    tracked_feature_cap: int = TRACKED_FEATURE_CAP
    excluded_keys: list[str] = Field(default_factory=list)
    last_sync_at: dt.datetime | None = Field(default=None, description="last successful sync")
    unmatched_keys: int = Field(default=0, ge=0, description="account values in quarantine")
    backfill: BackfillProgress
    banners: list[Banner] = Field(default_factory=list)
    probe_status: str | None = None
    version: int = Field(description="send it back to refuse a stale write (409)")


class NameCount(BaseModel):
    name: str
    count: int


class ValueCount(BaseModel):
    value: str
    count: int


class ProbeStatus(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ProbeView(BaseModel):
    """What the probe found on one sampled day (yesterday)."""

    status: ProbeStatus
    error: str | None = None
    identity_mode: IdentityMode | None = None
    identity_key: str | None = None
    day: dt.date | None = None
    events_sampled: int = 0
    event_names: list[NameCount] = Field(default_factory=list)
    suggested_features: list[str] = Field(
        default_factory=list, description="top events, pre-selected as tracked features"
    )
    account_values: list[ValueCount] = Field(default_factory=list)
    values_truncated: bool = False


class MatchedValue(BaseModel):
    value: str
    count: int
    account_id: str
    account_name: str = ""


class UnmatchedValue(BaseModel):
    value: str
    count: int
    candidates: list[str] = Field(
        default_factory=list, description="accounts sharing this key (ambiguous when several)"
    )


class MatchPreview(BaseModel):
    mapping: Mapping
    matched: list[MatchedValue] = Field(default_factory=list)
    unmatched: list[UnmatchedValue] = Field(default_factory=list)
    excluded: list[ValueCount] = Field(default_factory=list)
    match_rate: float = Field(
        ge=0, le=1, description="share of the sampled, non-excluded events whose value matched"
    )
    value_match_rate: float = Field(ge=0, le=1, description="share of the distinct values matched")


class SyncAttemptView(BaseModel):
    kind: str
    outcome: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    day: dt.date | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    error: str | None = None
    error_code: str | None = None


class SyncHistory(BaseModel):
    attempts: list[SyncAttemptView] = Field(default_factory=list)


class SyncStarted(BaseModel):
    workspace_id: str
    started_at: dt.datetime
    message: str


class Disconnected(BaseModel):
    workspace_id: str
    disconnected: bool = True
    usage: str = Field(description="what happened to the usage already synced: kept")
    message: str


class AccountsUpserted(BaseModel):
    upserted: int
