"""SPEC "Writing day D replaces all of day D's rows for the workspace: re-running a day is
safe", against moto tables built from `tables.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.unit.storage.world import D1, D2, T0, day, scan
from usage_analytics.ingest import AccountDayRow, DayRows, DayUsage
from usage_analytics.ingest.sketch import distinct_estimate, users_sketch
from usage_analytics.storage.day_writer import write_day
from usage_analytics.storage.quarantine import QuarantineRepository
from usage_analytics.storage.usage_days import UsageDayRepository


def write(rows: DayRows, usage_table: Any, quarantine_table: Any) -> Any:
    return write_day(rows, usage_table=usage_table, quarantine_table=quarantine_table)


# -- account-day rows ------------------------------------------------------------------------


def test_an_account_day_item_follows_the_table_contract(usage_table: Any) -> None:
    UsageDayRepository(usage_table).replace_day("ws-1", D1, day({"A1": 3}).accounts)
    (item,) = scan(usage_table)
    assert item["pk"] == "ACCT#ws-1#A1"
    assert item["sk"] == "DAY#2024-06-01"
    assert item["day_key"] == "ws-1#2024-06-01"


def test_a_written_row_reads_back_identical_sketch_included(usage_table: Any) -> None:
    rows = day({"A1": 5}).accounts
    repo = UsageDayRepository(usage_table)
    repo.replace_day("ws-1", D1, rows)
    assert repo.get("ws-1", "A1", D1) == rows[0]
    assert repo.get("ws-1", "A1", D2) is None


def test_replacing_a_day_deletes_accounts_that_no_longer_have_events_that_day(
    usage_table: Any, quarantine_table: Any
) -> None:
    write(day({"A1": 1, "A2": 2, "A3": 3}), usage_table, quarantine_table)
    report = write(day({"A2": 7}), usage_table, quarantine_table)
    repo = UsageDayRepository(usage_table)
    assert [(r.account_id, r.usage.events) for r in repo.day_rows("ws-1", D1)] == [("A2", 7)]
    assert (report.account_rows_written, report.account_rows_deleted) == (1, 2)


def test_replacing_a_day_leaves_other_days_and_other_workspaces_alone(
    usage_table: Any, quarantine_table: Any
) -> None:
    write(day({"A1": 1}, {"newco": 1}, on=D1), usage_table, quarantine_table)
    write(day({"A1": 2}, {"newco": 2}, on=D2), usage_table, quarantine_table)
    write(day({"A1": 3}, {"newco": 3}, ws="ws-2"), usage_table, quarantine_table)
    write(day({}, {}, on=D1), usage_table, quarantine_table)
    repo = UsageDayRepository(usage_table)
    assert repo.day_rows("ws-1", D1) == []
    assert [r.usage.events for r in repo.day_rows("ws-1", D2)] == [2]
    assert [r.usage.events for r in repo.day_rows("ws-2", D1)] == [3]
    values = QuarantineRepository(quarantine_table).values("ws-1")
    assert [(v.value, sorted(v.days)) for v in values] == [("newco", [D2])]


def test_writing_a_day_twice_gives_the_same_items(usage_table: Any, quarantine_table: Any) -> None:
    rows = day({"A1": 1, "A2": 4}, {"newco": 2, "other": 1})
    write(rows, usage_table, quarantine_table)
    first = (scan(usage_table), scan(quarantine_table))
    write(rows, usage_table, quarantine_table)
    assert (scan(usage_table), scan(quarantine_table)) == first


def test_account_days_reads_a_window_oldest_first(usage_table: Any, quarantine_table: Any) -> None:
    for offset in range(5):
        on = D1 + dt.timedelta(days=offset)
        write(day({"A1": offset + 1}, on=on), usage_table, quarantine_table)
    window = UsageDayRepository(usage_table).account_days("ws-1", "A1", D2, D2 + dt.timedelta(2))
    assert [(r.day.day, r.usage.events) for r in window] == [(2, 2), (3, 3), (4, 4)]


def test_a_big_account_day_with_a_full_sketch_fits_in_one_item(usage_table: Any) -> None:
    big = DayUsage(
        events=1_000_000,
        active_users=300_000,
        users_sketch=users_sketch(f"user-{i}" for i in range(300_000)),
        feature_counts={f"feature {i}": i + 1 for i in range(25)},
        first_seen=T0,
        last_seen=T0 + 86_399,
    )
    repo = UsageDayRepository(usage_table)
    repo.replace_day(
        "ws-1", D1, [AccountDayRow(workspace_id="ws-1", account_id="big", day=D1, usage=big)]
    )
    stored = repo.get("ws-1", "big", D1)
    assert stored is not None and stored.usage == big
    assert abs(distinct_estimate([stored.usage.users_sketch or b""]) - 300_000) < 6_000


def test_rows_of_another_day_or_workspace_are_refused(usage_table: Any) -> None:
    repo = UsageDayRepository(usage_table)
    with pytest.raises(ValueError, match="passed to replace"):
        repo.replace_day("ws-1", D2, day({"A1": 1}).accounts)
    with pytest.raises(ValueError, match="two rows"):
        repo.replace_day("ws-1", D1, day({"A1": 1}).accounts * 2)


# -- quarantine --------------------------------------------------------------------------------


def test_a_quarantined_value_keeps_its_usage_per_day_and_a_summary(quarantine_table: Any) -> None:
    repo = QuarantineRepository(quarantine_table)
    repo.replace_day("ws-1", D1, day({}, {"newco": 2}).quarantine)
    repo.replace_day("ws-1", D2, day({}, {"newco": 5}, on=D2).quarantine)
    (value,) = repo.values("ws-1")
    assert value.value == "newco"
    assert value.total_events == 7
    assert (value.first_seen, value.last_seen) == (T0, T0 + 5)
    assert [r.usage.events for r in repo.value_days("ws-1", "newco")] == [2, 5]
    assert repo.count("ws-1") == 1


def test_per_day_quarantine_items_carry_the_by_day_key(quarantine_table: Any) -> None:
    QuarantineRepository(quarantine_table).replace_day("ws-1", D1, day({}, {"newco": 1}).quarantine)
    per_day = [i for i in scan(quarantine_table) if i["sk"].startswith("DAY#")]
    assert [(i["pk"], i["sk"], i["day_key"]) for i in per_day] == [
        ("QDAY#ws-1#newco", "DAY#2024-06-01", "ws-1#2024-06-01")
    ]


def test_a_value_gone_from_a_day_loses_that_day_and_leaves_when_it_has_none(
    quarantine_table: Any,
) -> None:
    repo = QuarantineRepository(quarantine_table)
    repo.replace_day("ws-1", D1, day({}, {"a": 1, "b": 1}).quarantine)
    repo.replace_day("ws-1", D2, day({}, {"a": 1}, on=D2).quarantine)
    written, deleted = repo.replace_day("ws-1", D1, [])
    assert (written, deleted) == (0, 2)
    assert [(v.value, sorted(v.days)) for v in repo.values("ws-1")] == [("a", [D2])]
    assert repo.count("ws-1") == 1
    assert repo.value_days("ws-1", "b") == []


def test_values_with_separators_and_very_long_values_are_kept_apart(quarantine_table: Any) -> None:
    long_a, long_b = "x" * 2_000 + "a", "x" * 2_000 + "b"
    values = {"a#b": 1, "a": 2, long_a: 3, long_b: 4}
    repo = QuarantineRepository(quarantine_table)
    repo.replace_day("ws-1", D1, day({}, values).quarantine)
    assert {v.value: v.total_events for v in repo.values("ws-1")} == values
    repo.replace_day("ws-1", D1, day({}, {"a#b": 1}).quarantine)
    assert {v.value for v in repo.values("ws-1")} == {"a#b"}


def test_removing_a_value_drops_all_its_days(quarantine_table: Any) -> None:
    repo = QuarantineRepository(quarantine_table)
    repo.replace_day("ws-1", D1, day({}, {"a": 1, "b": 1}).quarantine)
    repo.replace_day("ws-1", D2, day({}, {"a": 3}, on=D2).quarantine)
    repo.remove_value("ws-1", "a")
    repo.remove_value("ws-1", "a")  # idempotent
    assert [v.value for v in repo.values("ws-1")] == ["b"]
    assert repo.value_days("ws-1", "a") == []
