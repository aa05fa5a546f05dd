"""One account's precomputed answer as of day D: the Usage tab, the health card, the table
columns, and what the next recompute carries forward. Built once per recompute so that
every read is a single item."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from usage_analytics.metrics.account_usage import AccountUsage, History
from usage_analytics.metrics.change import rounded
from usage_analytics.metrics.health import Health
from usage_analytics.metrics.views import DailyPoint, FeatureCount, HealthView, TableRow, UsageView


class Rollup(BaseModel):
    model_config = ConfigDict(frozen=True)

    workspace_id: str
    account_id: str
    name: str
    as_of: dt.date
    usage: UsageView
    health: Health
    history: History

    @property
    def table_row(self) -> TableRow:
        return TableRow(
            account_id=self.account_id,
            name=self.name,
            usage_30d=self.usage.events_30d,
            usage_change_pct=self.usage.events_change_pct,
            seat_activation=self.usage.seat_activation,
        )

    @property
    def health_view(self) -> HealthView:
        return HealthView(
            account_id=self.account_id,
            has_data=self.usage.has_data,
            as_of=self.as_of,
            adoption=self.health.adoption,
            engagement=self.health.engagement,
        )


def usage_view(usage: AccountUsage) -> UsageView:
    last_seen = (
        None if usage.last_seen is None else dt.datetime.fromtimestamp(usage.last_seen, dt.UTC)
    )
    return UsageView(
        account_id=usage.account_id,
        has_data=usage.last_seen is not None,
        as_of=usage.as_of,
        identity_mode=usage.identity_mode,
        events_30d=usage.events_30d,
        events_change_pct=rounded(usage.events_change_pct),
        events_this_week=usage.events_this_week,
        events_last_week=usage.events_last_week,
        active_users_30d=usage.active_users_30d,
        active_users_change_pct=rounded(usage.active_users_change_pct),
        events_per_user_change_pct=rounded(usage.events_per_user_change_pct),
        days_active=usage.days_active,
        last_seen=last_seen,
        daily=[DailyPoint(date=day, events=events) for day, events in usage.daily],
        top_features=[FeatureCount(name=n, events=e) for n, e in usage.top_features],
        seat_activation=rounded(usage.seat_activation),
        time_to_first_value_days=usage.time_to_first_value_days,
    )


def build_rollup(
    workspace_id: str, usage: AccountUsage, health: Health, *, name: str, config_id: str
) -> Rollup:
    return Rollup(
        workspace_id=workspace_id,
        account_id=usage.account_id,
        name=name,
        as_of=usage.as_of,
        usage=usage_view(usage),
        health=health,
        history=History(
            config_id=config_id,
            first_seen=usage.first_seen,
            last_seen=usage.last_seen,
            first_value_day=usage.first_value_day,
        ),
    )
