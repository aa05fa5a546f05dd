"""DynamoDB item codec for day usage, shared by the usage and quarantine tables.

Both tables store the same `DayUsage` fields on a per-day item, so an account-day row and
a quarantined value's day read and write identically (and the rematch can move one into
the other). Numbers come back from boto3 as `Decimal` and binaries as `Binary`; this module
is the one place that turns them back into ints and bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from usage_analytics.ingest.rows import DayUsage

DAY_PREFIX = "DAY#"


def day_sk(day: dt.date) -> str:
    return f"{DAY_PREFIX}{day.isoformat()}"


def day_key(workspace_id: str, day: dt.date) -> str:
    """The `by_day` index partition: every row of one workspace-day, in both tables."""
    return f"{workspace_id}#{day.isoformat()}"


def usage_attributes(usage: DayUsage) -> dict[str, Any]:
    item: dict[str, Any] = {
        "events": usage.events,
        "feature_counts": dict(usage.feature_counts),
        "first_seen": usage.first_seen,
        "last_seen": usage.last_seen,
    }
    if usage.active_users is not None:
        item["active_users"] = usage.active_users
    if usage.users_sketch is not None:
        item["users_sketch"] = usage.users_sketch
    return item


def _int(value: Any) -> int:
    return int(value) if isinstance(value, Decimal | int) else int(str(value))


def _bytes(value: Any) -> bytes:
    return bytes(getattr(value, "value", value))


def usage_from_item(item: Mapping[str, Any]) -> DayUsage:
    active = item.get("active_users")
    sketch = item.get("users_sketch")
    return DayUsage(
        events=_int(item["events"]),
        feature_counts={k: _int(v) for k, v in (item.get("feature_counts") or {}).items()},
        active_users=None if active is None else _int(active),
        users_sketch=None if sketch is None else _bytes(sketch),
        first_seen=_int(item["first_seen"]),
        last_seen=_int(item["last_seen"]),
    )


def query_all(query: Callable[..., Any], **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Every item of a (paginated) Table.query."""
    while True:
        page = query(**kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
