"""The card's banners (SPEC "Daily sync and the card"), most severe first.

- schema drift suspected: yellow, while a day is held by the circuit breaker;
- stale: yellow, "Usage data hasn't synced in Xh" once the last success is over 36 h old;
- hard error: red, with the error text; credential errors say to reconnect;
- backfill failed: red, with the error text and the way out (Retry backfill).
"""

from __future__ import annotations

import datetime as dt

from usage_analytics.api.responses import Banner, BannerKind, Severity
from usage_analytics.integration.model import Integration, Status

STALE_AFTER = dt.timedelta(hours=36)
# Error codes that only new credentials (or a fix in Mixpanel's settings) can cure.
CREDENTIAL_ERRORS = frozenset(
    {
        "bad_credentials",
        "wrong_region",
        "project_forbidden",
        "project_not_found",
        "plan_without_api_access",
        "secret_not_found",
    }
)
RECONNECT_HINT = (
    "Reconnect Mixpanel with a valid service account (Settings > Mixpanel > Reconnect)."
)


def banners_for(integration: Integration, now: dt.datetime) -> list[Banner]:
    found = [
        _backfill_failed(integration),
        _hard_error(integration),
        _schema_drift(integration),
        _stale(integration, now),
    ]
    return [banner for banner in found if banner is not None]


def _backfill_failed(integration: Integration) -> Banner | None:
    if integration.status is not Status.BACKFILL_FAILED:
        return None
    reason = integration.backfill_error or "the backfill stopped with an error"
    return Banner(
        kind=BannerKind.BACKFILL_FAILED,
        severity=Severity.RED,
        message=f"Backfill failed: {reason}. Use Retry backfill to resume from the days not "
        "done yet.",
    )


def _hard_error(integration: Integration) -> Banner | None:
    failing = integration.status is Status.ERROR or integration.consecutive_failures > 0
    if not failing or not (integration.last_error or integration.status is Status.ERROR):
        return None
    text = integration.last_error or "the last sync failed"
    if integration.last_error_code in CREDENTIAL_ERRORS:
        text = f"{text} {RECONNECT_HINT}"
    return Banner(kind=BannerKind.ERROR, severity=Severity.RED, message=text)


def _schema_drift(integration: Integration) -> Banner | None:
    if integration.drift_held_day is None:
        return None
    return Banner(
        kind=BannerKind.SCHEMA_DRIFT,
        severity=Severity.YELLOW,
        message=f"Schema drift suspected: events for {integration.drift_held_day.isoformat()} "
        "fell under 10% of the usual level, so that day is held. If your tracking changed, "
        "the next sync accepts the new level and writes the held day too.",
    )


def _stale(integration: Integration, now: dt.datetime) -> Banner | None:
    if integration.last_sync_at is None or integration.status not in (
        Status.CONNECTED,
        Status.ERROR,
    ):
        return None
    age = now - _aware(integration.last_sync_at)
    if age <= STALE_AFTER:
        return None
    hours = int(age.total_seconds() // 3600)
    return Banner(
        kind=BannerKind.STALE,
        severity=Severity.YELLOW,
        message=f"Usage data hasn't synced in {hours}h.",
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
