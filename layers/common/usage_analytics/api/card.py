"""The integration card: the stored integration, its backfill progress and its banners."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from usage_analytics.api.banners import banners_for
from usage_analytics.api.loading import load_integration
from usage_analytics.api.ports import ApiServices
from usage_analytics.api.responses import BackfillProgress, Card
from usage_analytics.integration.model import Integration, Status


def get_card(services: ApiServices, workspace_id: str) -> Card:
    return build_card(services, load_integration(services, workspace_id))


def build_card(services: ApiServices, integration: Integration) -> Card:
    now = services.clock.now()
    return Card(
        workspace_id=integration.workspace_id,
        status=integration.status,
        identity_mode=integration.identity_mode,
        identity_key=integration.identity_key,
        region=integration.region,
        project_id=integration.project_id,
        project_timezone=integration.project_timezone,
        mapping=integration.mapping,
        tracked_features=list(integration.tracked_features),
        excluded_keys=list(integration.excluded_keys),
        last_sync_at=integration.last_sync_at,
        unmatched_keys=max(0, services.unmatched(integration)),
        backfill=backfill_progress(services, integration, now),
        banners=banners_for(integration, now),
        probe_status=integration.probe_status,
        version=integration.version,
    )


def backfill_progress(
    services: ApiServices, integration: Integration, now: dt.datetime
) -> BackfillProgress:
    """Days of the 30-day window written for the current configuration.

    Once connected the backfill is complete by definition (the daily sync keeps the
    window moving); before the backfill starts nothing is done.
    """
    total = integration.backfill_days_total
    if integration.status is Status.CONNECTED:
        return BackfillProgress(days_done=total, days_total=total)
    if integration.status not in (Status.BACKFILLING, Status.BACKFILL_FAILED, Status.ERROR):
        return BackfillProgress(days_done=0, days_total=total)
    if not integration.configured:
        return BackfillProgress(days_done=0, days_total=total)
    window = set(backfill_window(integration, now))
    done = services.days_done(integration.workspace_id, integration.config_id) & window
    return BackfillProgress(days_done=min(len(done), total), days_total=total)


def backfill_window(integration: Integration, now: dt.datetime) -> list[dt.date]:
    """The backfill's days: `backfill_days_total` days ending yesterday in the project's
    timezone (UTC when unknown), as the backfill plans them."""
    try:
        zone = ZoneInfo(integration.project_timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    last = now.astimezone(zone).date() - dt.timedelta(days=1)
    return [last - dt.timedelta(days=i) for i in range(integration.backfill_days_total)]
