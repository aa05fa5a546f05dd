"""Account-day rows in the usage table: one item per (account, day).

Layout (the contract in `tables.py`): `pk = ACCT#<workspace>#<account>`,
`sk = DAY#<YYYY-MM-DD>`, and `day_key = <workspace>#<YYYY-MM-DD>`, the partition of the
keys-only `by_day` index, which is how a day's rows are found again to replace them. The
usage fields are those of `DayUsage` (`day_items.py`); `users_sketch` is a binary attribute
(at most ~100 KiB, see `ingest/sketch.py`).

`replace_day` makes day D exactly the given rows: it writes them all (overwriting), then
deletes the rows of D that are not among them (accounts that no longer have events that
day). Writes come before deletes, so a reader never sees an account that still has usage
missing, and a crash anywhere leaves a state that re-running the day repairs: the rerun
finds every row of the day through the index, writes the same items, and deletes the rest.
Writing a day twice gives the same items.

The index is eventually consistent: a row written less than about a second before a
rerun may not be listed yet. That can only leave a stale row if the rerun also attributes
that day differently (new mapping or late data) within that second; the next run removes
it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from boto3.dynamodb.conditions import Key

from usage_analytics.ingest.rows import AccountDayRow
from usage_analytics.storage.day_items import (
    DAY_PREFIX,
    day_key,
    day_sk,
    query_all,
    usage_attributes,
    usage_from_item,
)

BY_DAY_INDEX = "by_day"
ITEM_TYPE = "account_day"


def account_pk(workspace_id: str, account_id: str) -> str:
    return f"ACCT#{workspace_id}#{account_id}"


def account_day_item(row: AccountDayRow) -> dict[str, Any]:
    return {
        "pk": account_pk(row.workspace_id, row.account_id),
        "sk": day_sk(row.day),
        "day_key": day_key(row.workspace_id, row.day),
        "type": ITEM_TYPE,
        "workspace_id": row.workspace_id,
        "account_id": row.account_id,
        "day": row.day.isoformat(),
        **usage_attributes(row.usage),
    }


def account_day_from_item(item: dict[str, Any]) -> AccountDayRow:
    return AccountDayRow(
        workspace_id=item["workspace_id"],
        account_id=item["account_id"],
        day=dt.date.fromisoformat(item["day"]),
        usage=usage_from_item(item),
    )


class UsageDayRepository:
    """Account-day rows of the usage table (`table`: a boto3 DynamoDB Table resource)."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def replace_day(
        self, workspace_id: str, day: dt.date, rows: Sequence[AccountDayRow]
    ) -> tuple[int, int]:
        """Make `rows` the whole of day D for the workspace; returns (written, deleted)."""
        _check_rows(workspace_id, day, rows)
        existing = self.day_keys(workspace_id, day)
        items = [account_day_item(row) for row in rows]
        self.put_items(items)
        written = {(item["pk"], item["sk"]) for item in items}
        stale = sorted(existing - written)
        with self._table.batch_writer() as batch:
            for pk, sk in stale:
                batch.delete_item(Key={"pk": pk, "sk": sk})
        return len(items), len(stale)

    def put_items(self, items: Iterable[dict[str, Any]]) -> None:
        with self._table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
            for item in items:
                batch.put_item(Item=item)

    def put_rows(self, rows: Iterable[AccountDayRow]) -> None:
        """Write (overwrite) these account-days; e.g. the rematch's merged rows."""
        self.put_items(account_day_item(row) for row in rows)

    def day_keys(self, workspace_id: str, day: dt.date) -> set[tuple[str, str]]:
        """(pk, sk) of every account-day row of the workspace on day D (via `by_day`)."""
        return {
            (item["pk"], item["sk"])
            for item in query_all(
                self._table.query,
                IndexName=BY_DAY_INDEX,
                KeyConditionExpression=Key("day_key").eq(day_key(workspace_id, day)),
            )
        }

    def get(self, workspace_id: str, account_id: str, day: dt.date) -> AccountDayRow | None:
        item = self._table.get_item(
            Key={"pk": account_pk(workspace_id, account_id), "sk": day_sk(day)},
            ConsistentRead=True,
        ).get("Item")
        return None if item is None else account_day_from_item(item)

    def account_days(
        self, workspace_id: str, account_id: str, first: dt.date, last: dt.date
    ) -> list[AccountDayRow]:
        """An account's rows from `first` to `last` inclusive, oldest first."""
        return [
            account_day_from_item(item)
            for item in query_all(
                self._table.query,
                KeyConditionExpression=Key("pk").eq(account_pk(workspace_id, account_id))
                & Key("sk").between(day_sk(first), day_sk(last)),
                ConsistentRead=True,
            )
            if str(item.get("sk", "")).startswith(DAY_PREFIX)
        ]

    def day_rows(self, workspace_id: str, day: dt.date) -> list[AccountDayRow]:
        """Every account-day row of the workspace on day D, by account id."""
        rows = []
        for pk, sk in sorted(self.day_keys(workspace_id, day)):
            item = self._table.get_item(Key={"pk": pk, "sk": sk}, ConsistentRead=True).get("Item")
            if item is not None:
                rows.append(account_day_from_item(item))
        return sorted(rows, key=lambda r: r.account_id)


def _check_rows(workspace_id: str, day: dt.date, rows: Sequence[AccountDayRow]) -> None:
    accounts = set()
    for row in rows:
        if row.workspace_id != workspace_id or row.day != day:
            raise ValueError(
                f"row for {row.workspace_id}/{row.day} passed to replace {workspace_id}/{day}"
            )
        if row.account_id in accounts:
            raise ValueError(f"two rows for account {row.account_id!r} on {day}")
        accounts.add(row.account_id)
