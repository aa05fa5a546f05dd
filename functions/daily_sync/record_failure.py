"""Fan-out Catch: a per-workspace step crashed; record it and end that child cleanly."""

from typing import Any

from pydantic import BaseModel

from usage_analytics.clock import default_clock
from usage_analytics.wiring import history
from usage_analytics.workflows.fan_out import record_failure


class FailureInput(BaseModel):
    job: str
    workspace_id: str
    day: str | None = None
    error: Any = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failure = FailureInput.model_validate(event)
    return record_failure(history(), default_clock(), **failure.model_dump())
