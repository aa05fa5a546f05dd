"""Backfill step 1: the days to fetch (30 ending yesterday, minus those already done)."""

from typing import Any

from pydantic import BaseModel

from usage_analytics.wiring import backfill_deps
from usage_analytics.workflows import backfill


class PlanInput(BaseModel):
    workspace_id: str
    execution_id: str
    started_at: str


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return backfill.plan(backfill_deps(), **PlanInput.model_validate(event).model_dump())
