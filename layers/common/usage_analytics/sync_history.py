"""Sync history: every backfill, daily sync, re-sync and rematch attempt of a workspace.

pk = workspace_id, sk = "<started_at ISO>#<kind>#<id>" so a query newest-first is the
card's history. Items expire after 90 days (TTL attribute `expires_at`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key
from pydantic import BaseModel, Field

RETENTION = dt.timedelta(days=90)


class SyncAttempt(BaseModel):
    kind: str  # backfill | backfill_day | daily_sync | manual_sync | rematch
    outcome: str  # succeeded | failed | drift_held | skipped
    started_at: dt.datetime
    finished_at: dt.datetime
    day: dt.date | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    error: str | None = None
    error_code: str | None = None
    execution_id: str | None = None
    attempt_id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])


class SyncHistoryRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def record(self, workspace_id: str, attempt: SyncAttempt) -> None:
        item = attempt.model_dump(mode="json", exclude_none=True)
        item.update(
            pk=workspace_id,
            sk=f"{attempt.started_at.isoformat()}#{attempt.kind}#{attempt.attempt_id}",
            expires_at=int((attempt.finished_at + RETENTION).timestamp()),
        )
        self._table.put_item(Item=item)

    def recent(self, workspace_id: str, limit: int = 50) -> list[SyncAttempt]:
        page = self._table.query(
            KeyConditionExpression=Key("pk").eq(workspace_id), ScanIndexForward=False, Limit=limit
        )
        return [SyncAttempt.model_validate(_plain(item)) for item in page["Items"]]


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in item.items() if k not in ("pk", "sk", "expires_at")}
    if "counts" in out:
        out["counts"] = {k: int(v) for k, v in out["counts"].items()}
    return {k: int(v) if isinstance(v, Decimal) else v for k, v in out.items()}
