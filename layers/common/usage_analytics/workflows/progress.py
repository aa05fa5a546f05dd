"""Backfill progress: which days are written for a workspace's current configuration.

pk = "<workspace>#<config_id>", sk = "YYYY-MM-DD". A day is recorded only after its rows
are written, so a crash in between re-runs the day (whose write replaces, never adds).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from boto3.dynamodb.conditions import Key


class ProgressRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    @staticmethod
    def _pk(workspace_id: str, config_id: str) -> str:
        return f"{workspace_id}#{config_id}"

    def mark_done(
        self, workspace_id: str, config_id: str, day: dt.date, counts: dict[str, int]
    ) -> None:
        self._table.put_item(
            Item={"pk": self._pk(workspace_id, config_id), "sk": day.isoformat(), **counts}
        )

    def days_done(self, workspace_id: str, config_id: str) -> set[dt.date]:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(self._pk(workspace_id, config_id)),
            "ProjectionExpression": "sk",
        }
        days: set[dt.date] = set()
        while True:
            page = self._table.query(**kwargs)
            days.update(dt.date.fromisoformat(item["sk"]) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                return days
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def recent_totals(
        self, workspace_id: str, config_id: str, before: dt.date, limit: int = 7
    ) -> list[int]:
        """Attributed events of the last `limit` written days before `before` (newest
        first): the circuit breaker's baseline."""
        page = self._table.query(
            KeyConditionExpression=Key("pk").eq(self._pk(workspace_id, config_id))
            & Key("sk").lt(before.isoformat()),
            ScanIndexForward=False,
            Limit=limit,
        )
        return [int(item.get("attributed", 0)) for item in page["Items"]]
