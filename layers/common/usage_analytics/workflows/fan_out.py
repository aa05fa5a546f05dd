"""The fan-out workflows' shared steps: which workspaces to visit, and recording a
per-workspace step that crashed (so one workspace never stops the others)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from usage_analytics.clock import Clock
from usage_analytics.integration.model import Status
from usage_analytics.integration.repository import IntegrationRepository
from usage_analytics.sync_history import SyncAttempt, SyncHistoryRepository
from usage_analytics.workflows.backfill import failure_text

# Workspaces each job visits: a sync keeps retrying integrations in error (a success resets
# them); rematch also serves integrations whose backfill failed (their rows still count).
JOB_STATUSES = {
    "daily_sync": (Status.CONNECTED, Status.ERROR),
    "rematch": (Status.CONNECTED, Status.ERROR, Status.BACKFILL_FAILED),
}


def list_workspaces(
    integrations: IntegrationRepository, job: str, request: dict[str, Any]
) -> dict[str, Any]:
    """`request` is the execution input: {} from the schedule, or on-call's
    {"workspace_ids": [...], "day": "YYYY-MM-DD"} to re-run chosen workspaces for a day."""
    if job not in JOB_STATUSES:
        raise ValueError(f"unknown job {job!r}")
    day = request.get("day")
    if day is not None:
        try:
            dt.date.fromisoformat(day)
        except (TypeError, ValueError):
            raise ValueError(f"day must be a date written YYYY-MM-DD, got {day!r}") from None
    chosen = request.get("workspace_ids")
    if chosen:
        ids = sorted(set(map(str, chosen)))
    else:
        ids = sorted(set(integrations.workspace_ids_with_status(*JOB_STATUSES[job])))
    return {"day": day, "workspaces": ids, "count": len(ids)}


def record_failure(
    history: SyncHistoryRepository,
    clock: Clock,
    *,
    job: str,
    workspace_id: str,
    day: str | None,
    error: Any,
) -> dict[str, Any]:
    code, message = failure_text(error)
    now = clock.now()
    history.record(
        workspace_id,
        SyncAttempt(
            kind=job,
            outcome="failed",
            started_at=now,
            finished_at=now,
            day=dt.date.fromisoformat(day) if day else None,
            error=message,
            error_code=code,
        ),
    )
    return {"workspace_id": workspace_id, "outcome": "failed", "error": message}
