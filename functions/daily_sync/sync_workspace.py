"""Daily sync of one workspace (a Distributed Map child; also the manual re-sync)."""

from typing import Any

from pydantic import BaseModel

from usage_analytics.wiring import daily_sync_deps
from usage_analytics.workflows.daily_sync import sync_workspace


class SyncInput(BaseModel):
    workspace_id: str
    day: str | None = None
    execution_id: str | None = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return sync_workspace(daily_sync_deps(), **SyncInput.model_validate(event).model_dump())
