"""Backfill failure: the card shows "Backfill failed" with the error text.

Called by the state machine's Catch ({workspace_id, execution_id, error}) and by the
watchdog rule for executions that timed out or were aborted (an EventBridge event).
"""

import json
from typing import Any

from pydantic import BaseModel

from usage_analytics.wiring import backfill_deps
from usage_analytics.workflows import backfill


class MarkFailedInput(BaseModel):
    workspace_id: str
    execution_id: str
    error: Any = None
    started_at: str | None = None


def _from_watchdog(event: dict[str, Any]) -> MarkFailedInput:
    detail = event["detail"]
    payload = json.loads(detail.get("input") or "{}")
    return MarkFailedInput(
        workspace_id=payload["workspace_id"],
        execution_id=detail["executionArn"],
        error={
            "Error": "States.Timeout" if detail["status"] == "TIMED_OUT" else "States.Aborted",
            "Cause": detail.get("cause")
            or f"The backfill execution was {detail['status'].lower()}.",
        },
        started_at=None,
    )


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    parsed = (
        _from_watchdog(event) if "detail-type" in event else MarkFailedInput.model_validate(event)
    )
    return backfill.mark_failed(backfill_deps(), **parsed.model_dump())
