"""What a synthetic Mixpanel project is made of: the knobs, with defaults that look like a
mid-sized B2B product (about 300 accounts, 45 days of history)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Region = Literal["US", "EU", "IN"]
ExportFrame = Literal["utc", "project_timezone"]

DEFAULT_SEED = 7
DEFAULT_ACCOUNTS = 300
DEFAULT_DAYS = 45
DEV_PROJECT_ID = 2_718_281
# Mixpanel reads export dates as UTC days for projects created after this date, and in the
# project's timezone (with `time` shifted to that zone) for older projects.
UTC_FRAME_SINCE = dt.date(2023, 1, 1)


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class ProjectSpec:
    """A deterministic synthetic project: the same spec always yields the same bytes.

    `today` is the simulator's "today": history covers the `days` days ending today (today
    itself is partial, cut at the simulator's clock). Everything about the accounts (names,
    ids, CRM status, shapes) depends only on `seed`, `accounts` and the user knobs, so the
    CRM fixture can be built without knowing `today`.
    """

    seed: int = DEFAULT_SEED
    accounts: int = DEFAULT_ACCOUNTS
    days: int = DEFAULT_DAYS
    today: dt.date = field(default_factory=utc_today)
    project_id: int = DEV_PROJECT_ID
    name: str = "Example Product (simulated)"
    timezone: str = "America/Los_Angeles"
    created: dt.date = dt.date(2023, 9, 12)
    region: Region = "US"
    group_key: str = "company_id"
    domain_property: str = "company_domain"
    mean_users_per_account: float = 11.0
    max_users_per_account: int = 150
    events_per_active_user: float = 14.0
    # When set, event intensities are scaled so that a weekday has about this many events.
    target_events_per_day: int | None = None
    duplicate_rate: float = 0.01
    missing_insert_id_rate: float = 0.03
    # A customer's sync bot sends `bot_events_per_day` events every day (None: 5% of the
    # users' weekday volume). On one day, `hot_shard_days_ago` days before today, it crossed
    # Mixpanel's hot-shard threshold and its events were rewritten to `$hotshard_events`
    # with an empty distinct_id. `hot_shard_days_ago=None`: no bot at all.
    hot_shard_days_ago: int | None = 8
    bot_events_per_day: int | None = None
    anonymous_share: float = 0.02

    def __post_init__(self) -> None:
        if self.accounts < 1:
            raise ValueError("accounts must be at least 1")
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.region not in ("US", "EU", "IN"):
            raise ValueError(f"region must be US, EU or IN (got {self.region!r})")

    @property
    def export_frame(self) -> ExportFrame:
        return "utc" if self.created >= UTC_FRAME_SINCE else "project_timezone"

    @property
    def first_day(self) -> dt.date:
        return self.today - dt.timedelta(days=self.days - 1)

    @property
    def yesterday(self) -> dt.date:
        return self.today - dt.timedelta(days=1)

    @property
    def hot_shard_day(self) -> dt.date | None:
        if self.hot_shard_days_ago is None:
            return None
        return self.today - dt.timedelta(days=self.hot_shard_days_ago)
