"""Reads a workspace's account-day rows over the 30-day window in few requests.

Not one Query per account (2,000 accounts would be 2,000 round trips): the keys of each
day's rows come from the keys-only `by_day` index (one Query per day, 30 in all), and
the rows themselves from BatchGetItem, 100 keys a request, a few requests in parallel.
Keys are sorted by account, so rows arrive account by account and each account is handed
over as soon as all its rows are in: memory holds a few batches, not the workspace.

`by_day` is a global index, so it is eventually consistent: keys written a moment ago
(day D, just written by the sync that now recomputes) may be missing for a second. For
the `recent` days the reader therefore also asks for every known account's row directly
(a consistent BatchGetItem of keys that may not exist): that costs one request per 100
accounts and day, and makes the freshest day exact.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from boto3.dynamodb.conditions import Key

from usage_analytics.ingest.rows import DayUsage
from usage_analytics.storage.day_items import day_key, day_sk, query_all, usage_from_item
from usage_analytics.storage.usage_days import BY_DAY_INDEX, account_pk

BATCH_KEYS = 100  # BatchGetItem's maximum
MAX_ATTEMPTS = 8

RowsByDay = dict[dt.date, DayUsage]


class WindowRows:
    """`table`: the usage table (a boto3 Table resource). BatchGetItem goes through the
    resource's client (`table.meta.client`: thread-safe, unlike resources, and it converts
    Python values to DynamoDB types and back like the resource does)."""

    def __init__(self, table: Any, *, workers: int = 4, sleep: Any = time.sleep) -> None:
        self._table = table
        self._client = table.meta.client
        self._workers = workers
        self._sleep = sleep
        self.requests = 0  # BatchGetItem calls made (for the benchmark and tests)
        self._count = threading.Lock()

    def day_keys(self, workspace_id: str, day: dt.date) -> set[tuple[str, str]]:
        return {
            (str(item["pk"]), str(item["sk"]))
            for item in query_all(
                self._table.query,
                IndexName=BY_DAY_INDEX,
                KeyConditionExpression=Key("day_key").eq(day_key(workspace_id, day)),
            )
        }

    def read(
        self,
        workspace_id: str,
        days: Sequence[dt.date],
        *,
        accounts: Iterable[str] = (),
        recent: Iterable[dt.date] = (),
    ) -> Iterator[tuple[str, RowsByDay]]:
        """(account id, its rows by day) for every account with a row on one of `days`,
        grouped by account in id order."""
        keys: set[tuple[str, str]] = set()
        for day in days:
            keys |= self.day_keys(workspace_id, day)
        account_ids = list(accounts)
        for day in recent:
            keys |= {(account_pk(workspace_id, a), day_sk(day)) for a in account_ids}
        ordered = sorted(keys)
        chunks = [ordered[i : i + BATCH_KEYS] for i in range(0, len(ordered), BATCH_KEYS)]
        last_chunk = {pk: index for index, chunk in enumerate(chunks) for pk, _ in chunk}
        pending: dict[str, RowsByDay] = {}
        with ThreadPoolExecutor(max_workers=self._workers) as pool:
            for index, items in enumerate(pool.map(self._get, chunks)):
                for item in items:
                    account = str(item["account_id"])
                    day = dt.date.fromisoformat(str(item["day"]))
                    pending.setdefault(account, {})[day] = usage_from_item(item)
                for pk in sorted({pk for pk, _ in chunks[index] if last_chunk[pk] == index}):
                    account = pk.split("#", 2)[2]
                    rows = pending.pop(account, None)
                    if rows:
                        yield account, rows

    def _get(self, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """Every item of these keys that exists, retrying what DynamoDB leaves unprocessed."""
        name = self._table.name
        request: dict[str, Any] = {
            name: {
                "Keys": [{"pk": pk, "sk": sk} for pk, sk in keys],
                "ConsistentRead": True,
            }
        }
        found: list[dict[str, Any]] = []
        for attempt in range(MAX_ATTEMPTS):
            with self._count:
                self.requests += 1
            response = self._client.batch_get_item(RequestItems=request)
            found.extend(response.get("Responses", {}).get(name, []))
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return found
            self._sleep(min(1.0, 0.05 * 2**attempt))
        raise RuntimeError(
            f"DynamoDB left {len(request[name]['Keys'])} keys unprocessed after "
            f"{MAX_ATTEMPTS} attempts (throttled); the next recompute will retry"
        )
