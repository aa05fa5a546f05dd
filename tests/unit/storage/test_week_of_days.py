"""A small world end to end: a week of export days ingested and written, then read back as
the rollups and the rematch will read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.unit.ingest.world import ACCOUNTS, T0, event, group_config
from usage_analytics.ingest import ingest_day
from usage_analytics.ingest.sketch import distinct_estimate
from usage_analytics.storage.day_writer import write_day
from usage_analytics.storage.quarantine import QuarantineRepository
from usage_analytics.storage.usage_days import UsageDayRepository

MONDAY = dt.date(2024, 6, 3)
WEEK = [MONDAY + dt.timedelta(days=i) for i in range(7)]


def export(day_index: int) -> list[bytes]:
    """Acme: users u{d}..u{d+9} each day (16 distinct over the week); newco: unmatched."""
    start = T0 + day_index * 86_400
    lines = [
        event("Report Viewed", company_id="acme", distinct_id=f"u{day_index + i}", time=start + i)
        for i in range(10)
    ]
    lines += [event(company_id="newco", distinct_id="n1", time=start + 60) for _ in range(3)]
    lines.append(lines[0])  # Mixpanel's export is not deduplicated
    return lines


def sync(day_index: int, accounts: list[dict[str, Any]], usage: Any, quarantine: Any) -> None:
    config = group_config()
    rows = ingest_day(
        export(day_index),
        workspace_id="ws-1",
        day=WEEK[day_index],
        config=config,
        resolve=config.resolver(accounts),
    )
    write_day(rows, usage_table=usage, quarantine_table=quarantine)


def test_a_week_of_days_reads_back_as_windows_and_quarantine(
    usage_table: Any, quarantine_table: Any
) -> None:
    for i in range(7):
        sync(i, ACCOUNTS, usage_table, quarantine_table)
    week = UsageDayRepository(usage_table).account_days("ws-1", "A-acme", WEEK[0], WEEK[-1])
    assert [r.usage.events for r in week] == [10] * 7
    assert [r.usage.active_users for r in week] == [10] * 7
    assert distinct_estimate(r.usage.users_sketch or b"" for r in week) == 16
    (newco,) = QuarantineRepository(quarantine_table).values("ws-1")
    assert (newco.value, len(newco.days), newco.total_events) == ("newco", 7, 21)


def test_rerunning_a_day_after_the_crm_gains_the_account_moves_that_day_out_of_quarantine(
    usage_table: Any, quarantine_table: Any
) -> None:
    for i in range(7):
        sync(i, ACCOUNTS, usage_table, quarantine_table)
    with_newco = [*ACCOUNTS, {"id": "A-newco", "external_crm_id": "newco"}]
    sync(2, with_newco, usage_table, quarantine_table)
    moved = UsageDayRepository(usage_table).get("ws-1", "A-newco", WEEK[2])
    assert moved is not None and (moved.usage.events, moved.usage.active_users) == (3, 1)
    (newco,) = QuarantineRepository(quarantine_table).values("ws-1")
    assert WEEK[2] not in newco.days and newco.total_events == 18
