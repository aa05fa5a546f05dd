"""The backfill's steps: Plan, one Day per iteration, Finalize, MarkFailed.

Each step is idempotent, which is what makes Retry (a new execution) and on-call's redrive
(re-running failed iterations of the same execution) safe: a day already done for this
configuration is skipped, a day re-run replaces its rows, Finalize and MarkFailed only set
state that the same inputs would set again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from usage_analytics.clock import Clock
from usage_analytics.integration.model import BACKFILL_DAYS, Integration, Status
from usage_analytics.integration.repository import IntegrationRepository, update_integration
from usage_analytics.sync_history import SyncAttempt, SyncHistoryRepository
from usage_analytics.workflows.day_ingest import DayIngestDeps, day_counts, fetch_day
from usage_analytics.workflows.errors import DeadlineExceeded, PermanentFailure, split_code
from usage_analytics.workflows.progress import ProgressRepository


@dataclass
class BackfillDeps:
    integrations: IntegrationRepository
    progress: ProgressRepository
    history: SyncHistoryRepository
    day: DayIngestDeps
    clock: Clock  # the business clock: which day is "yesterday" (may be pinned)
    timeout_minutes: int = 30
    # Time budgets are about real elapsed time, even when the business clock is pinned.
    wall: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))


def project_yesterday(integration: Integration, now: dt.datetime) -> dt.date:
    """Yesterday in the project's timezone (UTC when unknown): the last complete day."""
    try:
        zone = ZoneInfo(integration.project_timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date() - dt.timedelta(days=1)


def backfill_days(integration: Integration, now: dt.datetime) -> list[dt.date]:
    last = project_yesterday(integration, now)
    return [last - dt.timedelta(days=i) for i in range(BACKFILL_DAYS - 1, -1, -1)]


def _not_configured(workspace_id: str) -> PermanentFailure:
    return PermanentFailure(
        f"Workspace {workspace_id} has no configured Mixpanel integration: finish the setup wizard."
    )


def _configured(deps: BackfillDeps, workspace_id: str) -> Integration:
    integration = deps.integrations.get(workspace_id)
    if integration is None or not integration.configured:
        raise _not_configured(workspace_id)
    return integration


def update(deps: BackfillDeps, workspace_id: str, **changes: Any) -> Integration:
    updated = update_integration(
        deps.integrations, workspace_id, lambda _: changes, now=deps.clock.now()
    )
    if updated is None:
        raise _not_configured(workspace_id)
    return updated


def plan(
    deps: BackfillDeps, *, workspace_id: str, execution_id: str, started_at: str
) -> dict[str, Any]:
    integration = _configured(deps, workspace_id)
    days = backfill_days(integration, deps.clock.now())
    done = deps.progress.days_done(workspace_id, integration.config_id)
    todo = [d for d in days if d not in done]
    started = dt.datetime.fromisoformat(started_at.replace("Z", "+00:00"))
    deadline = started + dt.timedelta(minutes=deps.timeout_minutes)
    update(
        deps,
        workspace_id,
        status=Status.BACKFILLING,
        backfill_execution_arn=execution_id,
        backfill_days_total=len(days),
        backfill_error=None,
    )
    return {
        "config_id": integration.config_id,
        "days": [d.isoformat() for d in todo],
        "days_total": len(days),
        "deadline": deadline.isoformat(),
    }


def run_day(
    deps: BackfillDeps, *, workspace_id: str, config_id: str, day: str, deadline: str
) -> dict[str, Any]:
    the_day = dt.date.fromisoformat(day)
    if deps.wall() >= dt.datetime.fromisoformat(deadline):
        raise DeadlineExceeded(
            f"The backfill ran out of time before {day}; "
            "Retry backfill resumes from the days not yet done."
        )
    integration = _configured(deps, workspace_id)
    if integration.config_id != config_id:
        raise PermanentFailure(
            "The configuration changed during the backfill; a new backfill replaces this one."
        )
    if the_day in deps.progress.days_done(workspace_id, config_id):
        return {"day": day, "skipped": True}
    started = deps.clock.now()
    rows = fetch_day(integration, the_day, deps.day)
    deps.day.write_day(rows)
    counts = day_counts(rows)
    deps.progress.mark_done(workspace_id, config_id, the_day, counts)
    deps.history.record(
        workspace_id,
        SyncAttempt(
            kind="backfill_day",
            outcome="succeeded",
            started_at=started,
            finished_at=deps.clock.now(),
            day=the_day,
            counts=counts,
        ),
    )
    return {"day": day, "accounts": len(rows.accounts), "quarantined": len(rows.quarantine)}


def finalize(
    deps: BackfillDeps,
    *,
    workspace_id: str,
    config_id: str,
    execution_id: str,
    started_at: str,
    recompute: Any = None,
) -> dict[str, Any]:
    integration = _configured(deps, workspace_id)
    days = backfill_days(integration, deps.clock.now())
    missing = [d for d in days if d not in deps.progress.days_done(workspace_id, config_id)]
    if missing and integration.config_id == config_id:
        # A day can be missing when "yesterday" rolled over during the run: fetch it now.
        for day in missing:
            run_day(
                deps,
                workspace_id=workspace_id,
                config_id=config_id,
                day=day.isoformat(),
                deadline=(deps.wall() + dt.timedelta(minutes=15)).isoformat(),
            )
    now = deps.clock.now()
    update(
        deps,
        workspace_id,
        status=Status.CONNECTED,
        backfill_error=None,
        last_sync_at=now,
        last_synced_day=days[-1],
        last_error=None,
        last_error_code=None,
        consecutive_failures=0,
    )
    if recompute is not None:  # after the update: it computes as of last_synced_day
        recompute(workspace_id)
    deps.history.record(
        workspace_id,
        SyncAttempt(
            kind="backfill",
            outcome="succeeded",
            execution_id=execution_id,
            started_at=dt.datetime.fromisoformat(started_at.replace("Z", "+00:00")),
            finished_at=now,
            counts={"days": len(days)},
        ),
    )
    return {"status": Status.CONNECTED.value, "days": len(days)}


def mark_failed(
    deps: BackfillDeps,
    *,
    workspace_id: str,
    execution_id: str,
    error: Any,
    started_at: str | None = None,
) -> dict[str, Any]:
    """Record the failure on the card, unless a newer backfill already replaced this one."""
    integration = deps.integrations.get(workspace_id)
    if integration is None:
        return {"ignored": "no integration"}
    if integration.backfill_execution_arn not in (None, execution_id):
        return {"ignored": "a newer backfill owns the card"}
    code, message = failure_text(error)
    now = deps.clock.now()
    update(
        deps,
        workspace_id,
        status=Status.BACKFILL_FAILED,
        backfill_error=message,
        last_error=message,
        last_error_code=code,
    )
    deps.history.record(
        workspace_id,
        SyncAttempt(
            kind="backfill",
            outcome="failed",
            execution_id=execution_id,
            error=message,
            error_code=code,
            started_at=dt.datetime.fromisoformat(started_at.replace("Z", "+00:00"))
            if started_at
            else now,
            finished_at=now,
        ),
    )
    return {"status": Status.BACKFILL_FAILED.value, "error": message}


def failure_text(error: Any) -> tuple[str, str]:
    """(code, message) from a Step Functions error object {"Error", "Cause"} whose Cause is
    the Lambda error JSON; our messages may start with "[code] "."""
    if not isinstance(error, dict):
        return "unknown", str(error)
    name = str(error.get("Error", "Error"))
    cause = error.get("Cause", "")
    try:
        message = str(json.loads(cause).get("errorMessage", cause))
    except (TypeError, ValueError, AttributeError):
        message = str(cause)
    if name == "States.Timeout":
        return (
            "timeout",
            "The backfill ran out of time; Retry backfill resumes from the days not yet done.",
        )
    default = {
        "DeadlineExceeded": "timeout",
        "RateLimited": "rate_limited",
        "TransientFailure": "transient",
    }.get(name, "error")
    code, message = split_code(message, default)
    return code, message or name
