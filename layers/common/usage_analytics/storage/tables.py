"""The DynamoDB tables, declared once: CDK builds them from this, the repositories read it.

Every table keys on string `pk`/`sk`; what goes into them is the repositories' business
(see each repository module). Index names and key attributes here are the contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AttrType = Literal["S", "N"]


@dataclass(frozen=True)
class Key:
    name: str
    type: AttrType = "S"


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: Key
    sort_key: Key | None = None
    local: bool = False
    projection: Literal["ALL", "KEYS_ONLY"] = "ALL"


@dataclass(frozen=True)
class TableSpec:
    id: str  # CDK construct id and the suffix of the table name
    env_var: str  # the environment variable that carries the real table name
    settings_field: str
    purpose: str
    partition_key: Key = Key("pk")
    sort_key: Key | None = Key("sk")
    indexes: tuple[Index, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = None


INTEGRATIONS = TableSpec(
    id="Integrations",
    env_var="INTEGRATIONS_TABLE",
    settings_field="integrations_table",
    purpose="one item per workspace integration: configuration, status, counters, version",
    indexes=(Index("by_status", Key("status"), Key("pk"), projection="KEYS_ONLY"),),
)
USAGE = TableSpec(
    id="Usage",
    env_var="USAGE_TABLE",
    settings_field="usage_table",
    purpose="account-day rows (pk ACCT#ws#account, sk DAY#date) and per-account rollups "
    "(pk ROLLUP#ws, sk account); local indexes sort the workspace table",
    indexes=(
        Index("by_day", Key("day_key"), Key("sk"), projection="KEYS_ONLY"),
        Index("by_usage", Key("pk"), Key("usage_30d", "N"), local=True),
        Index("by_change", Key("pk"), Key("usage_change_pct", "N"), local=True),
        Index("by_seat_activation", Key("pk"), Key("seat_activation", "N"), local=True),
    ),
)
QUARANTINE = TableSpec(
    id="Quarantine",
    env_var="QUARANTINE_TABLE",
    settings_field="quarantine_table",
    purpose="unmatched account values with their per-day usage, awaiting the nightly rematch",
    indexes=(Index("by_day", Key("day_key"), Key("sk"), projection="KEYS_ONLY"),),
)
ACCOUNTS = TableSpec(
    id="Accounts",
    env_var="ACCOUNTS_TABLE",
    settings_field="accounts_table",
    purpose="the CRM mirror: pk workspace, sk account id",
)
SYNC_HISTORY = TableSpec(
    id="SyncHistory",
    env_var="SYNC_HISTORY_TABLE",
    settings_field="sync_history_table",
    purpose="sync, backfill and rematch attempts per workspace, newest first by sk",
    ttl_attribute="expires_at",
)
BACKFILL_PROGRESS = TableSpec(
    id="BackfillProgress",
    env_var="BACKFILL_PROGRESS_TABLE",
    settings_field="backfill_progress_table",
    purpose="days done per workspace and configuration: pk ws#config, sk day",
)

ALL_TABLES: tuple[TableSpec, ...] = (
    INTEGRATIONS,
    USAGE,
    QUARANTINE,
    ACCOUNTS,
    SYNC_HISTORY,
    BACKFILL_PROGRESS,
)
