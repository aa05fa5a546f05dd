"""The workspace's Mixpanel integration: what the wizard configured and where it stands."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from usage_analytics.ingest.config import IdentityMode, IngestConfig
from usage_analytics.ingest.matching import AccountMapping
from usage_analytics.ingest.matching import MappingKind as MappingField
from usage_analytics.mixpanel.hosts import Region

__all__ = ["IdentityMode", "Integration", "Mapping", "MappingField", "Region", "Status"]

TRACKED_FEATURE_CAP = 25
BACKFILL_DAYS = 30


class Status(StrEnum):
    PROBING = "probing"
    CONFIGURING = "configuring"
    BACKFILLING = "backfilling"
    CONNECTED = "connected"
    BACKFILL_FAILED = "backfill_failed"
    ERROR = "error"


class Mapping(BaseModel):
    """The mapping as the API writes it; `account_mapping` is the form matching uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: MappingField
    custom_field_key: str | None = Field(default=None, min_length=1, max_length=128)

    @model_validator(mode="after")
    def _key_only_for_custom_field(self) -> Mapping:
        if self.field is MappingField.CUSTOM_FIELD and not self.custom_field_key:
            raise ValueError("custom_field mapping needs custom_field_key (the CRM field name)")
        if self.field is not MappingField.CUSTOM_FIELD and self.custom_field_key:
            raise ValueError("custom_field_key is only for the custom_field mapping")
        return self

    @property
    def account_mapping(self) -> AccountMapping:
        return AccountMapping(kind=self.field, key=self.custom_field_key)

    @property
    def written(self) -> str:
        """How the spec writes it: crm_id, domain, or cf::KEY."""
        return str(self.account_mapping)


class ProbeResult(BaseModel):
    day: dt.date
    event_names: list[tuple[str, int]] = Field(default_factory=list)  # (name, count), most first
    account_values: list[tuple[str, int]] = Field(default_factory=list)
    events_sampled: int = 0
    values_truncated: bool = False


class Integration(BaseModel):
    """One item per workspace. `version` increases on every write (optimistic concurrency)."""

    workspace_id: str
    status: Status = Status.CONFIGURING
    region: Region = Region.US
    project_id: int
    project_timezone: str | None = None
    secret_name: str
    identity_mode: IdentityMode | None = None
    identity_key: str | None = None
    mapping: Mapping | None = None
    tracked_features: list[str] = Field(default_factory=list)
    excluded_keys: list[str] = Field(default_factory=list)
    probe_status: str | None = None  # running | done | failed
    probe_error: str | None = None
    probe: ProbeResult | None = None
    backfill_execution_arn: str | None = None
    backfill_days_total: int = BACKFILL_DAYS
    backfill_error: str | None = None
    last_sync_at: dt.datetime | None = None  # last successful sync (any kind)
    last_synced_day: dt.date | None = None
    last_error: str | None = None
    last_error_code: str | None = None
    consecutive_failures: int = 0
    drift_held_day: dt.date | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = 0

    @property
    def configured(self) -> bool:
        return bool(
            self.identity_mode and self.identity_key and self.mapping and self.tracked_features
        )

    def ingest_config(self) -> IngestConfig:
        if not (
            self.identity_mode and self.identity_key and self.mapping and self.tracked_features
        ):
            raise ValueError("the integration is not configured yet (identity, mapping, features)")
        return IngestConfig(
            identity_mode=self.identity_mode,
            account_property=self.identity_key,
            tracked_features=tuple(self.tracked_features),
            excluded_keys=frozenset(self.excluded_keys),
            mapping=self.mapping.account_mapping,
        )

    @property
    def config_id(self) -> str:
        """Identifies what the backfilled rows depend on; a new configuration re-fetches days."""
        material = {
            "mode": self.identity_mode,
            "key": self.identity_key,
            "mapping": self.mapping.written if self.mapping else None,
            "features": sorted(self.tracked_features),
            "excluded": sorted(self.excluded_keys),
            "project": self.project_id,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:16]
