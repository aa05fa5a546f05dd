"""Nightly rematch of one workspace (a Distributed Map child of the `rematch` workflow).

`day` arrives from the fan-out's input and is ignored: the rematch always covers every
quarantined day. The Lambda's remaining time bounds the run (the next run continues).
"""

from typing import Any

from pydantic import BaseModel

from usage_analytics.wiring import rematch_deps
from usage_analytics.workflows.rematch import rematch_workspace


class RematchInput(BaseModel):
    workspace_id: str
    day: str | None = None
    execution_id: str | None = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = RematchInput.model_validate(event)
    remaining_ms = getattr(context, "get_remaining_time_in_millis", None)
    return rematch_workspace(
        rematch_deps(),
        workspace_id=request.workspace_id,
        execution_id=request.execution_id,
        time_left=(lambda: remaining_ms() / 1000) if remaining_ms else None,
    )
