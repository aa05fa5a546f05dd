"""Backfill step 3: rollups, health and signals; the integration becomes connected."""

from typing import Any

from pydantic import BaseModel

from usage_analytics.wiring import backfill_deps, recompute
from usage_analytics.workflows import backfill


class FinalizeInput(BaseModel):
    workspace_id: str
    config_id: str
    execution_id: str
    started_at: str


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    inputs = FinalizeInput.model_validate(event).model_dump()
    return backfill.finalize(backfill_deps(), recompute=recompute, **inputs)
