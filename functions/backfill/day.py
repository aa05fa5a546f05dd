"""Backfill step 2 (one Map iteration): export, ingest and replace one day's rows."""

from typing import Any

from pydantic import BaseModel

from usage_analytics.wiring import backfill_deps
from usage_analytics.workflows import backfill


class DayInput(BaseModel):
    workspace_id: str
    config_id: str
    day: str
    deadline: str


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return backfill.run_day(backfill_deps(), **DayInput.model_validate(event).model_dump())
