"""Sync one workspace's yesterday: export, circuit breaker, write, recompute, record.

Failure accounting lives here too (`register_failure`), shared with the fan-out's Catch:
a real failure increments the consecutive-failure counter; at 3 the ALERT line is logged
exactly once and an integration-alert event is published; any success resets it. A day
held by the schema-drift breaker is neither a failure nor a success.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from usage_analytics.clock import Clock
from usage_analytics.events import INTEGRATION_ALERT, Publish
from usage_analytics.integration.model import Integration, Status
from usage_analytics.integration.repository import IntegrationRepository, update_integration
from usage_analytics.sync_history import SyncAttempt, SyncHistoryRepository
from usage_analytics.workflows.backfill import project_yesterday
from usage_analytics.workflows.day_ingest import DayIngestDeps, day_counts, fetch_day
from usage_analytics.workflows.errors import PermanentFailure, split_code
from usage_analytics.workflows.progress import ProgressRepository

ALERT_AFTER = 3
DRIFT_RATIO = 0.10
DRIFT_MIN_BASELINE_DAYS = 3
DRIFT_BASELINE_DAYS = 7
# Error codes no retry can fix: the card turns red at once and says what to do.
HARD_ERRORS = frozenset(
    {
        "bad_credentials",
        "plan_without_api_access",
        "project_forbidden",
        "project_not_found",
        "wrong_region",
        "secret_not_found",
        "identity",
    }
)
SYNC_STATUSES = (Status.CONNECTED, Status.ERROR)

log = logging.getLogger("usage_analytics.daily_sync")


@dataclass
class DailySyncDeps:
    integrations: IntegrationRepository
    progress: ProgressRepository
    history: SyncHistoryRepository
    day: DayIngestDeps
    clock: Clock
    publish: Publish
    recompute: Callable[[str], Any] | None = None


def alert_line(workspace_id: str) -> str:
    return f"ALERT: Mixpanel integration for workspace {workspace_id} has failed 3 times in a row."


def is_drift(attributed: int, baseline: list[int]) -> bool:
    """Under 10% of the trailing synced days' average, judged only with 3+ such days."""
    if len(baseline) < DRIFT_MIN_BASELINE_DAYS:
        return False
    average = sum(baseline) / len(baseline)
    return attributed < DRIFT_RATIO * average


def _update(
    deps: DailySyncDeps, workspace_id: str, change: Callable[[Integration], dict[str, Any]]
) -> Integration:
    updated = update_integration(deps.integrations, workspace_id, change, now=deps.clock.now())
    if updated is None:
        raise PermanentFailure(f"Workspace {workspace_id} has no Mixpanel integration.")
    return updated


def sync_workspace(
    deps: DailySyncDeps,
    *,
    workspace_id: str,
    day: str | None = None,
    execution_id: str | None = None,
) -> dict[str, Any]:
    started = deps.clock.now()
    integration = deps.integrations.get(workspace_id)
    if integration is None or not integration.configured or integration.status not in SYNC_STATUSES:
        status = integration.status.value if integration else "missing"
        return {"workspace_id": workspace_id, "outcome": "skipped", "status": status}
    the_day = dt.date.fromisoformat(day) if day else project_yesterday(integration, started)
    config_id = integration.config_id
    try:
        rows = fetch_day(integration, the_day, deps.day)
        held = integration.drift_held_day
        baseline = deps.progress.recent_totals(
            workspace_id, config_id, the_day, DRIFT_BASELINE_DAYS
        )
        if held is None and is_drift(rows.attributed_events, baseline):
            return _hold(
                deps, integration, the_day, rows.attributed_events, baseline, started, execution_id
            )
        written = [_write(deps, integration, rows)]
        if held is not None and held != the_day:
            # The day after a hold accepts the new level and writes the held day too.
            written.append(_write(deps, integration, fetch_day(integration, held, deps.day)))
    except PermanentFailure as exc:
        return register_failure(
            deps,
            workspace_id=workspace_id,
            day=the_day,
            message=str(exc),
            started_at=started,
            execution_id=execution_id,
        )
    now = deps.clock.now()
    _update(
        deps,
        workspace_id,
        lambda cur: {
            "status": Status.CONNECTED,
            "last_sync_at": now,
            "last_synced_day": max(the_day, cur.last_synced_day or the_day),
            "consecutive_failures": 0,
            "last_error": None,
            "last_error_code": None,
            "drift_held_day": None,
        },
    )
    if deps.recompute is not None:  # after the update: it computes as of last_synced_day
        deps.recompute(workspace_id)
    counts = {**written[0][1], "days_written": len(written)}
    deps.history.record(
        workspace_id,
        SyncAttempt(
            kind="daily_sync",
            outcome="succeeded",
            started_at=started,
            finished_at=now,
            day=the_day,
            counts=counts,
            execution_id=execution_id,
        ),
    )
    return {
        "workspace_id": workspace_id,
        "outcome": "succeeded",
        "days": [d.isoformat() for d, _ in written],
    }


def _write(
    deps: DailySyncDeps, integration: Integration, rows: Any
) -> tuple[dt.date, dict[str, int]]:
    deps.day.write_day(rows)
    counts = day_counts(rows)
    deps.progress.mark_done(integration.workspace_id, integration.config_id, rows.day, counts)
    return rows.day, counts


def _hold(
    deps: DailySyncDeps,
    integration: Integration,
    day: dt.date,
    attributed: int,
    baseline: list[int],
    started: dt.datetime,
    execution_id: str | None,
) -> dict[str, Any]:
    average = sum(baseline) / len(baseline)
    _update(deps, integration.workspace_id, lambda cur: {"drift_held_day": day})
    deps.history.record(
        integration.workspace_id,
        SyncAttempt(
            kind="daily_sync",
            outcome="drift_held",
            started_at=started,
            finished_at=deps.clock.now(),
            day=day,
            execution_id=execution_id,
            counts={"attributed": attributed, "baseline_average": round(average)},
            error=f"{attributed} attributed events against a {average:.0f}/day average: "
            "schema drift suspected; the day is held, not written.",
        ),
    )
    log.warning("schema drift suspected for workspace %s on %s", integration.workspace_id, day)
    return {
        "workspace_id": integration.workspace_id,
        "outcome": "drift_held",
        "day": day.isoformat(),
    }


def register_failure(
    deps: DailySyncDeps,
    *,
    workspace_id: str,
    day: dt.date | None,
    message: str,
    started_at: dt.datetime | None = None,
    execution_id: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    if code is None:
        code, message = split_code(message)
    updated = _update(
        deps,
        workspace_id,
        lambda cur: {
            "consecutive_failures": cur.consecutive_failures + 1,
            "last_error": message,
            "last_error_code": code,
            "status": Status.ERROR
            if (code in HARD_ERRORS or cur.consecutive_failures + 1 >= ALERT_AFTER)
            else cur.status,
        },
    )
    now = deps.clock.now()
    deps.history.record(
        workspace_id,
        SyncAttempt(
            kind="daily_sync",
            outcome="failed",
            started_at=started_at or now,
            finished_at=now,
            day=day,
            error=message,
            error_code=code,
            execution_id=execution_id,
        ),
    )
    if updated.consecutive_failures == ALERT_AFTER:
        log.error(alert_line(workspace_id))
        deps.publish(
            INTEGRATION_ALERT,
            {
                "workspace_id": workspace_id,
                "consecutive_failures": ALERT_AFTER,
                "last_error": message,
                "error_code": code,
            },
        )
    return {"workspace_id": workspace_id, "outcome": "failed", "error": message, "code": code}
