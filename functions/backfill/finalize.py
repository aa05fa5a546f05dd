"""Backfill step 3: rollups, health and signals; the integration becomes connected."""

from typing import Any

from pydantic import BaseModel

from usage_analytics.wiring import backfill_deps
from usage_analytics.workflows import backfill


class FinalizeInput(BaseModel):
    workspace_id: str
    config_id: str
    execution_id: str
    started_at: str


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return backfill.finalize(backfill_deps(), **FinalizeInput.model_validate(event).model_dump())
