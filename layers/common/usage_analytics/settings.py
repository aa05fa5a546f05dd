"""Settings read from the environment, validated once, with errors that say what to fix.

Nothing reads the environment at import time: call `get_settings()` (cached) inside a
handler or a domain entry point, and `reset_settings()` in tests that change the env.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class SettingsError(ValueError):
    """A setting has a value the service cannot use; the message names the variable."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Mixpanel
    mixpanel_base_url: str | None = Field(
        default=None,
        description="Points every Mixpanel host of every region at one base URL "
        "(the simulator or any Mixpanel-compatible server).",
    )
    mixpanel_timeout_seconds: float = Field(default=300.0, gt=60.0)
    # Reproducible runs: fixes "today" (UTC) for every clock in the process.
    today: dt.date | None = None

    # AWS resources (names injected by CDK as environment variables)
    integrations_table: str = "usage-analytics-integrations"
    usage_table: str = "usage-analytics-usage"
    quarantine_table: str = "usage-analytics-quarantine"
    accounts_table: str = "usage-analytics-accounts"
    sync_history_table: str = "usage-analytics-sync-history"
    backfill_progress_table: str = "usage-analytics-backfill-progress"
    secret_prefix: str = "usage-analytics/mixpanel/"
    event_bus_name: str = "usage-analytics"
    backfill_state_machine_arn: str | None = None
    daily_sync_state_machine_arn: str | None = None
    rematch_state_machine_arn: str | None = None
    probe_function_name: str | None = None
    aws_region: str = "us-east-1"
    # The backfill's time budget (the soft limit; the state machine's hard stop is 2 min later)
    backfill_timeout_minutes: int = Field(default=30, ge=0, le=24 * 60)
    # Set by Lambda: the function's memory, which bounds the largest day it can ingest
    function_memory_mb: int | None = Field(default=None, ge=128)

    # Health pillars (SPEC "Health pillars"): each pillar's weights must add up to 1.
    health_adoption_breadth_weight: float = Field(default=0.5, ge=0, le=1)
    health_adoption_depth_weight: float = Field(default=0.5, ge=0, le=1)
    health_engagement_volume_weight: float = Field(default=0.4, ge=0, le=1)
    health_engagement_days_weight: float = Field(default=0.3, ge=0, le=1)
    health_engagement_stickiness_weight: float = Field(default=0.3, ge=0, le=1)
    # User-property mode has no user counts: engagement is volume and days active only.
    health_user_property_volume_weight: float = Field(default=0.6, ge=0, le=1)
    health_user_property_days_weight: float = Field(default=0.4, ge=0, le=1)
    # Usage-decline signal: a drop of at least this many percent, judged only when last
    # week had at least this many events.
    signal_drop_pct: float = Field(default=30.0, gt=0, le=100)
    signal_min_baseline_events: int = Field(default=10, ge=1)

    @field_validator("mixpanel_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(
                f"must be an absolute http(s) URL such as http://127.0.0.1:8765 (got {value!r})"
            )
        return value.rstrip("/")

    @model_validator(mode="after")
    def _weights_add_up(self) -> Settings:
        for pillar, names in HEALTH_WEIGHT_GROUPS.items():
            total = sum(getattr(self, name) for name in names)
            if abs(total - 1.0) > 1e-6:
                listed = ", ".join(f"{FIELD_ENV[n]}={getattr(self, n)}" for n in names)
                raise ValueError(f"the {pillar} weights must add up to 1 (got {listed})")
        return self


# environment variable -> settings field
ENV_VARS: Mapping[str, str] = {
    "MIXPANEL_BASE_URL": "mixpanel_base_url",
    "MIXPANEL_TIMEOUT_SECONDS": "mixpanel_timeout_seconds",
    "USAGE_ANALYTICS_TODAY": "today",
    "INTEGRATIONS_TABLE": "integrations_table",
    "USAGE_TABLE": "usage_table",
    "QUARANTINE_TABLE": "quarantine_table",
    "ACCOUNTS_TABLE": "accounts_table",
    "SYNC_HISTORY_TABLE": "sync_history_table",
    "BACKFILL_PROGRESS_TABLE": "backfill_progress_table",
    "SECRET_PREFIX": "secret_prefix",
    "EVENT_BUS_NAME": "event_bus_name",
    "BACKFILL_STATE_MACHINE_ARN": "backfill_state_machine_arn",
    "DAILY_SYNC_STATE_MACHINE_ARN": "daily_sync_state_machine_arn",
    "REMATCH_STATE_MACHINE_ARN": "rematch_state_machine_arn",
    "PROBE_FUNCTION_NAME": "probe_function_name",
    "AWS_REGION": "aws_region",
    "BACKFILL_TIMEOUT_MINUTES": "backfill_timeout_minutes",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "function_memory_mb",
    "HEALTH_ADOPTION_BREADTH_WEIGHT": "health_adoption_breadth_weight",
    "HEALTH_ADOPTION_DEPTH_WEIGHT": "health_adoption_depth_weight",
    "HEALTH_ENGAGEMENT_VOLUME_WEIGHT": "health_engagement_volume_weight",
    "HEALTH_ENGAGEMENT_DAYS_WEIGHT": "health_engagement_days_weight",
    "HEALTH_ENGAGEMENT_STICKINESS_WEIGHT": "health_engagement_stickiness_weight",
    "HEALTH_USER_PROPERTY_VOLUME_WEIGHT": "health_user_property_volume_weight",
    "HEALTH_USER_PROPERTY_DAYS_WEIGHT": "health_user_property_days_weight",
    "SIGNAL_DROP_PCT": "signal_drop_pct",
    "SIGNAL_MIN_BASELINE_EVENTS": "signal_min_baseline_events",
}
FIELD_ENV: Mapping[str, str] = {field: var for var, field in ENV_VARS.items()}
# pillar -> the weight fields that must add up to 1
HEALTH_WEIGHT_GROUPS: Mapping[str, tuple[str, ...]] = {
    "adoption (group mode)": ("health_adoption_breadth_weight", "health_adoption_depth_weight"),
    "engagement (group mode)": (
        "health_engagement_volume_weight",
        "health_engagement_days_weight",
        "health_engagement_stickiness_weight",
    ),
    "engagement (user-property mode)": (
        "health_user_property_volume_weight",
        "health_user_property_days_weight",
    ),
}


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping; raise SettingsError naming the variable."""
    values = {field: environ[var] for var, field in ENV_VARS.items() if environ.get(var, "") != ""}
    if "today" in values:
        try:
            values["today"] = dt.date.fromisoformat(values["today"])  # type: ignore[assignment]
        except ValueError:
            raise SettingsError(
                f"USAGE_ANALYTICS_TODAY must be a date written YYYY-MM-DD "
                f"(got {environ['USAGE_ANALYTICS_TODAY']!r})"
            ) from None
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        field_to_var = {field: var for var, field in ENV_VARS.items()}
        problems = []
        for err in exc.errors():
            if not err["loc"]:  # a rule across fields; its message names the variables
                problems.append(str(err["msg"]).removeprefix("Value error, "))
                continue
            field = str(err["loc"][0])
            problems.append(f"{field_to_var.get(field, field)}: {err['msg']}")
        raise SettingsError("invalid settings: " + "; ".join(problems)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings(os.environ)


def reset_settings() -> None:
    get_settings.cache_clear()
