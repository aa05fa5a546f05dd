"""Fan-out Catch: a per-workspace step crashed or ran out of retries. For the daily sync it
counts as a failure (consecutive counter, ALERT at 3); for the rematch it is recorded."""

import datetime as dt
from typing import Any

from pydantic import BaseModel

from usage_analytics.clock import default_clock
from usage_analytics.wiring import daily_sync_deps, history
from usage_analytics.workflows.backfill import failure_text
from usage_analytics.workflows.daily_sync import register_failure
from usage_analytics.workflows.fan_out import record_failure


class FailureInput(BaseModel):
    job: str
    workspace_id: str
    day: str | None = None
    error: Any = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failure = FailureInput.model_validate(event)
    if failure.job == "daily_sync":
        code, message = failure_text(failure.error)
        day = dt.date.fromisoformat(failure.day) if failure.day else None
        return register_failure(
            daily_sync_deps(),
            workspace_id=failure.workspace_id,
            day=day,
            message=message,
            code=code,
        )
    return record_failure(history(), default_clock(), **failure.model_dump())
