"""Rollups in the usage table: `pk = ROLLUP#<workspace>`, `sk = <account id>`.

One item per account holds everything the Usage tab and the health card show (`doc`, the
`Rollup` as JSON), and three numbers at the top level that the local indexes sort on:
`usage_30d` (`by_usage`), `usage_change_pct` (`by_change`), `seat_activation`
(`by_seat_activation`). A workspace table page is therefore one Query on one index.

Nulls. An item without an index's sort attribute would be missing from that index, so a
null change or seat activation is stored as `NULL_SORT`, a number below every real value
(a change is at least -100, an activation at least 0). Nulls come last in both orders:
descending, they are simply at the end of the index; ascending, the page first reads the
values (`> NULL_SORT`), then the nulls (`= NULL_SORT`, by account id), which can take a
second Query on the page where the values run out. The cursor says which phase is next.

Ties (equal values) come in the index's order for equal sort keys, which is by account id
(reversed when descending); pagination is exact either way, since a page resumes from the
full index key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key

from usage_analytics.metrics.account_usage import History
from usage_analytics.metrics.cursor import TablePosition
from usage_analytics.metrics.rollup import Rollup
from usage_analytics.metrics.views import SortKey, SortOrder, TableRow
from usage_analytics.storage.day_items import query_all

PREFIX = "ROLLUP#"
NULL_SORT = Decimal("-1E+30")
INDEXES: dict[str, str] = {
    "usage_30d": "by_usage",
    "usage_change_pct": "by_change",
    "seat_activation": "by_seat_activation",
}
ROW_FIELDS = "sk, #name, usage_30d, usage_change_pct, seat_activation, as_of"


def rollup_pk(workspace_id: str) -> str:
    return f"{PREFIX}{workspace_id}"


def _number(value: float | int | None) -> Decimal:
    return NULL_SORT if value is None else Decimal(str(value))


def _value(item: dict[str, Any], name: str) -> float | None:
    raw = item.get(name)
    if raw is None or Decimal(raw) == NULL_SORT:
        return None
    return float(raw)


def to_item(rollup: Rollup) -> dict[str, Any]:
    usage, history = rollup.usage, rollup.history
    item: dict[str, Any] = {
        "pk": rollup_pk(rollup.workspace_id),
        "sk": rollup.account_id,
        "type": "rollup",
        "name": rollup.name,
        "as_of": rollup.as_of.isoformat(),
        "config_id": history.config_id,
        "usage_30d": usage.events_30d,
        "usage_change_pct": _number(usage.events_change_pct),
        "seat_activation": _number(usage.seat_activation),
        "doc": rollup.model_dump_json(),
    }
    if history.first_seen is not None:
        item["first_seen"] = history.first_seen
    if history.last_seen is not None:
        item["last_seen"] = history.last_seen
    if history.first_value_day is not None:
        item["first_value_day"] = history.first_value_day.isoformat()
    return item


def _row(item: dict[str, Any]) -> TableRow:
    return TableRow(
        account_id=str(item["sk"]),
        name=str(item.get("name", "")),
        usage_30d=int(item.get("usage_30d", 0)),
        usage_change_pct=_value(item, "usage_change_pct"),
        seat_activation=_value(item, "seat_activation"),
    )


def _history(item: dict[str, Any]) -> History:
    first_value = item.get("first_value_day")
    return History(
        config_id=str(item.get("config_id", "")),
        first_seen=None if item.get("first_seen") is None else int(item["first_seen"]),
        last_seen=None if item.get("last_seen") is None else int(item["last_seen"]),
        first_value_day=None if first_value is None else dt.date.fromisoformat(first_value),
    )


@dataclass(frozen=True)
class TableSlice:
    rows: list[TableRow]
    next: TablePosition | None  # None: this was the last page
    as_of: dt.date | None  # day D of the rows (None on an empty page)


class RollupStore:
    """`table`: the usage table (a boto3 Table resource)."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def histories(self, workspace_id: str) -> dict[str, History]:
        """What every current rollup carries forward, by account id (one paged Query that
        reads only the small attributes)."""
        return {
            str(item["sk"]): _history(item)
            for item in query_all(
                self._table.query,
                KeyConditionExpression=Key("pk").eq(rollup_pk(workspace_id)),
                ProjectionExpression="sk, config_id, first_seen, last_seen, first_value_day",
            )
        }

    def replace(
        self, workspace_id: str, rollups: Iterable[Rollup], existing: Iterable[str]
    ) -> tuple[int, int]:
        """Write these rollups and delete the workspace's others (`existing` ids that are
        not among them). Returns (written, deleted)."""
        written: set[str] = set()
        with self._table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
            for rollup in rollups:
                if rollup.workspace_id != workspace_id:
                    raise ValueError(f"rollup of {rollup.workspace_id} passed for {workspace_id}")
                batch.put_item(Item=to_item(rollup))
                written.add(rollup.account_id)
            stale = sorted(set(existing) - written)
            for account_id in stale:
                batch.delete_item(Key={"pk": rollup_pk(workspace_id), "sk": account_id})
        return len(written), len(stale)

    def get(self, workspace_id: str, account_id: str) -> Rollup | None:
        item = self._table.get_item(
            Key={"pk": rollup_pk(workspace_id), "sk": account_id},
            ProjectionExpression="doc",
        ).get("Item")
        return None if item is None else Rollup.model_validate_json(str(item["doc"]))

    def page(
        self,
        workspace_id: str,
        *,
        sort: SortKey,
        order: SortOrder,
        limit: int,
        position: TablePosition | None = None,
    ) -> TableSlice:
        """One page of the workspace table and where the next starts (None: the end)."""
        position = position or TablePosition(sort=sort, order=order, phase="values")
        rows: list[TableRow] = []
        as_of: dt.date | None = None
        while len(rows) < limit:
            page = self._query(workspace_id, sort, order, limit - len(rows), position)
            for item in page.get("Items", []):
                rows.append(_row(item))
                as_of = as_of or dt.date.fromisoformat(str(item["as_of"]))
            last = page.get("LastEvaluatedKey")
            if last is not None:
                position = position.model_copy(
                    update={"account_id": str(last["sk"]), "value": str(last[sort])}
                )
                continue
            if order == "asc" and sort != "usage_30d" and position.phase == "values":
                position = TablePosition(sort=sort, order=order, phase="nulls")
                continue
            return TableSlice(rows, None, as_of)
        return TableSlice(rows, position, as_of)

    def _query(
        self, workspace_id: str, sort: str, order: str, limit: int, position: TablePosition
    ) -> dict[str, Any]:
        pk = rollup_pk(workspace_id)
        condition: Any = Key("pk").eq(pk)
        if order == "asc" and sort != "usage_30d":
            attribute = Key(sort)
            condition &= (
                attribute.gt(NULL_SORT) if position.phase == "values" else attribute.eq(NULL_SORT)
            )
        kwargs: dict[str, Any] = {
            "IndexName": INDEXES[sort],
            "KeyConditionExpression": condition,
            "ScanIndexForward": order == "asc",
            "Limit": limit,
            "ProjectionExpression": ROW_FIELDS,
            "ExpressionAttributeNames": {"#name": "name"},
        }
        if position.account_id is not None and position.number is not None:
            kwargs["ExclusiveStartKey"] = {
                "pk": pk,
                "sk": position.account_id,
                sort: position.number,
            }
        page: dict[str, Any] = self._table.query(**kwargs)
        return page
