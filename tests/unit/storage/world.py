"""Small day rows for the storage tests: a few accounts and quarantined values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from usage_analytics.ingest import AccountDayRow, DayRows, DayUsage, IngestStats, QuarantineDayRow
from usage_analytics.ingest.sketch import users_sketch

D1 = dt.date(2024, 6, 1)
D2 = dt.date(2024, 6, 2)
T0 = 1_717_200_000


def usage(events: int, users: int = 0) -> DayUsage:
    people = [f"u{i}" for i in range(users)]
    return DayUsage(
        events=events,
        feature_counts={"Export CSV": 1} if events > 1 else {},
        active_users=users,
        users_sketch=users_sketch(people),
        first_seen=T0,
        last_seen=T0 + events,
    )


def day(
    accounts: dict[str, int], quarantine: dict[str, int] | None = None, *, on: dt.date = D1,
    ws: str = "ws-1",
) -> DayRows:  # fmt: skip
    return DayRows(
        workspace_id=ws,
        day=on,
        accounts=[
            AccountDayRow(workspace_id=ws, account_id=a, day=on, usage=usage(n, users=n))
            for a, n in accounts.items()
        ],
        quarantine=[
            QuarantineDayRow(workspace_id=ws, value=v, day=on, usage=usage(n))
            for v, n in (quarantine or {}).items()
        ],
        stats=IngestStats(),
    )


def scan(table: Any) -> list[dict[str, Any]]:
    items = table.scan()["Items"]
    return sorted(items, key=lambda i: (i["pk"], i["sk"]))
