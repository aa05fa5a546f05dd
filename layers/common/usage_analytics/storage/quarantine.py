"""Quarantine: account values that matched no account, with their usage per day.

Layout inside the quarantine table (pk/sk are strings; `value_key` below):

- per-day item: `pk = QDAY#<workspace>#<value_key>`, `sk = DAY#<YYYY-MM-DD>`,
  `day_key = <workspace>#<YYYY-MM-DD>` (the keys-only `by_day` index, to replace a day),
  with the `DayUsage` fields (sketch included), so the rematch can add a value's days into
  an account's rows exactly as the engine would have;
- summary item, one per value: `pk = QVAL#<workspace>`, `sk = <value_key>`, with the
  value and a map `days = {YYYY-MM-DD: {events, first_seen, last_seen}}`. Querying
  `QVAL#<workspace>` lists the quarantine (the card's unmatched count, the rematch's work
  list); totals and first/last seen are derived from `days` when read.

The summary keeps one map entry per day, not running totals, because days are written
concurrently (the backfill's Map) and re-written (reruns, redrives): `SET days.D` and
`REMOVE days.D` are idempotent and commute across days, a running total would not be.

`replace_day` makes day D's quarantine exactly the given rows. New values: per-day item
first, then the summary entry. Values gone from D: summary entry removed first, then the
per-day item (and the summary itself once it has no day left). Either way the per-day item
(found again through `by_day`) is the last thing to go, so a crash at any point leaves work
that re-running the day finds and finishes; writing a day twice gives the same items.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from usage_analytics.ingest.rows import QuarantineDayRow
from usage_analytics.storage.day_items import (
    day_key,
    day_sk,
    query_all,
    usage_attributes,
    usage_from_item,
)

BY_DAY_INDEX = "by_day"
MAX_KEY_BYTES = 400  # DynamoDB keys: 2048 bytes (partition), 1024 (sort)
_ATTEMPTS = 5


def value_key(value: str) -> str:
    """The value as a key: itself, or for very long values a prefix plus a hash."""
    raw = value.encode()
    if len(raw) <= MAX_KEY_BYTES:
        return value
    prefix = raw[:300].decode("utf-8", "ignore")
    return f"{prefix}~{hashlib.sha256(raw).hexdigest()[:32]}"


def day_pk(workspace_id: str, value: str) -> str:
    return f"QDAY#{workspace_id}#{value_key(value)}"


def summary_pk(workspace_id: str) -> str:
    return f"QVAL#{workspace_id}"


class QuarantineDay(BaseModel):
    model_config = ConfigDict(frozen=True)

    events: int
    first_seen: int
    last_seen: int


class QuarantinedValue(BaseModel):
    """One unmatched value across its days: what the card and the rematch list."""

    model_config = ConfigDict(frozen=True)

    workspace_id: str
    value: str
    days: dict[dt.date, QuarantineDay]

    @property
    def total_events(self) -> int:
        return sum(d.events for d in self.days.values())

    @property
    def first_seen(self) -> int:
        return min(d.first_seen for d in self.days.values())

    @property
    def last_seen(self) -> int:
        return max(d.last_seen for d in self.days.values())


def quarantine_day_item(row: QuarantineDayRow) -> dict[str, Any]:
    return {
        "pk": day_pk(row.workspace_id, row.value),
        "sk": day_sk(row.day),
        "day_key": day_key(row.workspace_id, row.day),
        "type": "quarantine_day",
        "workspace_id": row.workspace_id,
        "value": row.value,
        "day": row.day.isoformat(),
        **usage_attributes(row.usage),
    }


def quarantine_day_from_item(item: dict[str, Any]) -> QuarantineDayRow:
    return QuarantineDayRow(
        workspace_id=item["workspace_id"],
        value=item["value"],
        day=dt.date.fromisoformat(item["day"]),
        usage=usage_from_item(item),
    )


def _summary_from_item(item: dict[str, Any]) -> QuarantinedValue:
    days = {
        dt.date.fromisoformat(day): QuarantineDay(
            events=int(entry["events"]),
            first_seen=int(entry["first_seen"]),
            last_seen=int(entry["last_seen"]),
        )
        for day, entry in (item.get("days") or {}).items()
    }
    return QuarantinedValue(workspace_id=item["workspace_id"], value=item["value"], days=days)


def _conditional_failed(exc: ClientError) -> bool:
    return bool(exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


class QuarantineRepository:
    """The quarantine table (`table`: a boto3 DynamoDB Table resource)."""

    def __init__(self, table: Any) -> None:
        self._table = table

    # -- writing a day ---------------------------------------------------------------

    def replace_day(
        self, workspace_id: str, day: dt.date, rows: Sequence[QuarantineDayRow]
    ) -> tuple[int, int]:
        """Make `rows` the whole quarantine of day D; returns (written, deleted)."""
        _check_rows(workspace_id, day, rows)
        existing = self._day_items(workspace_id, day)
        items = [quarantine_day_item(row) for row in rows]
        with self._table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
            for item in items:
                batch.put_item(Item=item)
        for row in rows:
            self._set_summary_day(row)
        stale = sorted(set(existing) - {item["pk"] for item in items})
        for pk in stale:
            self._remove_summary_day(workspace_id, existing[pk], day)
        with self._table.batch_writer() as batch:
            for pk in stale:
                batch.delete_item(Key={"pk": pk, "sk": day_sk(day)})
        return len(items), len(stale)

    def _day_items(self, workspace_id: str, day: dt.date) -> dict[str, str]:
        """pk -> summary sort key (the value key) of each per-day item of day D."""
        prefix = f"QDAY#{workspace_id}#"
        return {
            item["pk"]: item["pk"][len(prefix) :]
            for item in query_all(
                self._table.query,
                IndexName=BY_DAY_INDEX,
                KeyConditionExpression=Key("day_key").eq(day_key(workspace_id, day)),
            )
            if item["pk"].startswith(prefix)
        }

    def _set_summary_day(self, row: QuarantineDayRow) -> None:
        key = {"pk": summary_pk(row.workspace_id), "sk": value_key(row.value)}
        entry = {
            "events": row.usage.events,
            "first_seen": row.usage.first_seen,
            "last_seen": row.usage.last_seen,
        }
        day = row.day.isoformat()
        for _ in range(_ATTEMPTS):
            try:
                self._table.update_item(
                    Key=key,
                    UpdateExpression="SET #days.#day = :entry",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeNames={"#days": "days", "#day": day},
                    ExpressionAttributeValues={":entry": entry},
                )
                return
            except ClientError as exc:
                if not _conditional_failed(exc):
                    raise
            try:  # first day of this value: create the summary
                self._table.put_item(
                    Item={
                        **key,
                        "type": "quarantine_value",
                        "workspace_id": row.workspace_id,
                        "value": row.value,
                        "days": {day: entry},
                    },
                    ConditionExpression="attribute_not_exists(pk)",
                )
                return
            except ClientError as exc:  # created concurrently by another day: update it
                if not _conditional_failed(exc):
                    raise
        raise RuntimeError(f"could not record quarantine day {day} for {row.value!r}")

    def _remove_summary_day(self, workspace_id: str, key: str, day: dt.date) -> None:
        table_key = {"pk": summary_pk(workspace_id), "sk": key}
        try:
            self._table.update_item(
                Key=table_key,
                UpdateExpression="REMOVE #days.#day",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#days": "days", "#day": day.isoformat()},
            )
            self._table.delete_item(
                Key=table_key,
                ConditionExpression="size(#days) = :zero",
                ExpressionAttributeNames={"#days": "days"},
                ExpressionAttributeValues={":zero": 0},
            )
        except ClientError as exc:  # no summary, or it still has other days
            if not _conditional_failed(exc):
                raise

    # -- reading, and the rematch's removal ------------------------------------------------

    def values(self, workspace_id: str) -> list[QuarantinedValue]:
        """Every quarantined value of the workspace, by value key."""
        return [
            _summary_from_item(item)
            for item in query_all(
                self._table.query,
                KeyConditionExpression=Key("pk").eq(summary_pk(workspace_id)),
                ConsistentRead=True,
            )
        ]

    def count(self, workspace_id: str) -> int:
        """The quarantine size: the card's unmatched key count."""
        total = 0
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(summary_pk(workspace_id)),
            "Select": "COUNT",
        }
        while True:
            page = self._table.query(**kwargs)
            total += int(page.get("Count", 0))
            if "LastEvaluatedKey" not in page:
                return total
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def value_days(self, workspace_id: str, value: str) -> list[QuarantineDayRow]:
        """A value's per-day usage (sketches included), oldest first."""
        return [
            quarantine_day_from_item(item)
            for item in query_all(
                self._table.query,
                KeyConditionExpression=Key("pk").eq(day_pk(workspace_id, value)),
                ConsistentRead=True,
            )
        ]

    def remove_value(self, workspace_id: str, value: str) -> None:
        """Drop a value from quarantine: its per-day items, then its summary (idempotent)."""
        pk = day_pk(workspace_id, value)
        with self._table.batch_writer() as batch:
            for row in self.value_days(workspace_id, value):
                batch.delete_item(Key={"pk": pk, "sk": day_sk(row.day)})
        self._table.delete_item(Key={"pk": summary_pk(workspace_id), "sk": value_key(value)})


def _check_rows(workspace_id: str, day: dt.date, rows: Sequence[QuarantineDayRow]) -> None:
    keys = set()
    for row in rows:
        if row.workspace_id != workspace_id or row.day != day:
            raise ValueError(
                f"row for {row.workspace_id}/{row.day} passed to replace {workspace_id}/{day}"
            )
        if value_key(row.value) in keys:
            raise ValueError(f"two quarantine rows for value {row.value!r} on {day}")
        keys.add(value_key(row.value))
