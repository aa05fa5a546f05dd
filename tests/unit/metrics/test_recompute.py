"""recompute_workspace on in-process tables: rollups for every account, signals stored and
published once per account per ISO week, carried-forward history, and what it skips."""

from __future__ import annotations

import datetime as dt

from tests.unit.metrics.stack import WS, Stack
from tests.unit.metrics.world import USER_PROPERTY, D, ago, day, epoch, users
from usage_analytics.events import USAGE_DECLINE
from usage_analytics.metrics.rollup_store import RollupStore
from usage_analytics.metrics.signal_store import SignalStore
from usage_analytics.storage.usage_days import account_day_item


def _declining_world(stack: Stack, *, days_after: int = 0) -> None:
    """acme: 50 events by 10 users last week, 60 by 30 this week (stickiness drop);
    globex: steady; initech: in the CRM, never seen."""
    stack.connect(last_synced_day=D + dt.timedelta(days=days_after))
    stack.add_accounts(
        {"id": "acme", "name": "Acme Corp", "seat_count": 40},
        {"id": "globex", "name": "Globex"},
        {"id": "initech", "name": "Initech", "seat_count": 5},
    )
    for offset in range(30):
        on = ago(offset)
        rows = {"globex": day(20, ["g1", "g2"], on=on, features={"export_csv": 2})}
        if offset == 7:
            rows["acme"] = day(50, users("old", 10), on=on)
        if offset == 0:
            rows["acme"] = day(60, users("new", 30), on=on, features={"report_created": 6})
        stack.write_day(on, rows)


def test_every_crm_account_gets_a_rollup_with_its_usage_health_and_table_columns(
    stack: Stack,
) -> None:
    _declining_world(stack)
    report = stack.recompute()

    assert (report.as_of, report.accounts, report.accounts_with_usage) == (D, 3, 2)
    store = RollupStore(stack.usage)
    acme = store.get(WS, "acme")
    assert acme is not None and acme.name == "Acme Corp" and acme.as_of == D
    assert (acme.usage.events_30d, acme.usage.events_this_week, acme.usage.events_last_week) == (
        110,
        60,
        50,
    )
    assert acme.usage.events_change_pct == 20.0
    assert acme.usage.active_users_30d == 40 and acme.usage.active_users_change_pct == 200.0
    assert acme.usage.seat_activation == 100.0  # 40 users in 14 days / 40 seats
    assert acme.usage.last_seen == dt.datetime.fromtimestamp(epoch(D, 17), dt.UTC)
    assert [f.model_dump() for f in acme.usage.top_features] == [
        {"name": "report_created", "events": 6}
    ]
    assert acme.table_row.model_dump() == {
        "account_id": "acme",
        "name": "Acme Corp",
        "usage_30d": 110,
        "usage_change_pct": 20.0,
        "seat_activation": 100.0,
    }
    initech = store.get(WS, "initech")
    assert initech is not None and not initech.usage.has_data
    assert initech.usage.events_30d == 0 and initech.usage.seat_activation == 0.0
    assert (initech.health.adoption.score, initech.health.engagement.score) == (0, 0)
    globex = store.get(WS, "globex")
    assert globex is not None and globex.usage.seat_activation is None
    assert globex.usage.days_active == 30 and globex.usage.events_change_pct == 0.0


def test_a_signal_is_stored_and_published_once_per_account_per_iso_week(stack: Stack) -> None:
    _declining_world(stack)

    first = stack.recompute()
    again = stack.recompute()  # a re-run of the same day (retry, redrive, re-sync)

    assert (first.signals_detected, first.signals_published) == (1, 1)
    assert (again.signals_detected, again.signals_published) == (1, 0)
    assert [(t, d["account_id"], d["week"]) for t, d in stack.publisher.events] == [
        (USAGE_DECLINE, "acme", "2026-W47")
    ]
    detail = stack.publisher.events[0][1]
    assert detail["workspace_id"] == WS and detail["signal_id"] == f"{WS}#2026-W47#acme"
    assert detail["dimensions"] == [
        {"name": "events_per_user", "before": 5.0, "after": 2.0, "change_pct": -60.0}
    ]
    assert "from 50 to 60" in detail["explanation"]


def test_the_next_day_of_the_same_week_does_not_emit_again_but_the_next_week_does(
    stack: Stack,
) -> None:
    _declining_world(stack)
    stack.recompute()
    # Friday: still a decline (last week's users, nobody this week but 12 events)
    friday = D + dt.timedelta(days=1)
    steady = day(20, ["g1", "g2"], on=friday)
    stack.write_day(friday, {"acme": day(12, [], on=friday), "globex": steady})
    stack.connect(last_synced_day=friday)
    report = stack.recompute()
    assert report.signals_detected == 1 and report.signals_published == 0

    # the Thursday after: this week (D+1..D+7) has 12 events against 60 the week before
    for offset in range(2, 8):  # globex stays steady
        on = D + dt.timedelta(days=offset)
        stack.write_day(on, {"globex": day(20, ["g1", "g2"], on=on)})
    stack.connect(last_synced_day=D + dt.timedelta(days=7))
    next_week = stack.recompute()

    assert next_week.signals_published == 1
    assert [d["week"] for _, d in stack.publisher.events] == ["2026-W47", "2026-W48"]
    signals, _ = SignalStore(stack.usage).page(WS, limit=10)
    assert [(s.week, s.account_id) for s in signals] == [("2026-W48", "acme"), ("2026-W47", "acme")]


def test_a_signal_whose_publish_failed_is_published_by_the_next_run_and_only_then(
    stack: Stack,
) -> None:
    _declining_world(stack)

    def bus_down(detail_type: str, detail: dict[str, object]) -> None:
        raise RuntimeError("EventBridge unavailable")

    failed = stack.recompute(publish=bus_down)
    retried = stack.recompute()
    third = stack.recompute()

    assert (failed.signals_published, failed.signals_unpublished) == (0, 1)
    assert retried.signals_published == 1 and third.signals_published == 0
    assert len(stack.publisher.events) == 1


def test_user_property_mode_stores_no_signal_and_counts_no_users(stack: Stack) -> None:
    stack.connect(mode=USER_PROPERTY)
    stack.add_accounts({"id": "acme", "name": "Acme Corp", "seat_count": 40})
    stack.write_day(ago(7), {"acme": day(100, on=ago(7), mode=USER_PROPERTY)})
    stack.write_day(D, {"acme": day(10, on=D, mode=USER_PROPERTY, features={"export_csv": 1})})

    report = stack.recompute()

    assert report.signals_detected == 0 and stack.publisher.events == []
    acme = RollupStore(stack.usage).get(WS, "acme")
    assert acme is not None
    assert acme.usage.active_users_30d is None and acme.usage.seat_activation is None
    assert acme.usage.events_change_pct == -90.0
    assert acme.usage.time_to_first_value_days == 7
    assert [i.name for i in acme.health.adoption.inputs] == ["feature_breadth"]


def test_rollups_of_accounts_gone_from_the_crm_and_without_rows_are_deleted(
    stack: Stack,
) -> None:
    _declining_world(stack)
    stack.recompute()
    stack.accounts.delete_item(Key={"pk": WS, "sk": "initech"})

    report = stack.recompute()

    assert report.rollups_deleted == 1
    assert RollupStore(stack.usage).get(WS, "initech") is None
    assert RollupStore(stack.usage).get(WS, "acme") is not None


def test_last_seen_carries_forward_after_the_window_moves_past_the_last_event(
    stack: Stack,
) -> None:
    stack.connect()
    stack.add_accounts({"id": "acme", "name": "Acme Corp"})
    stack.write_day(ago(29), {"acme": day(5, ["a"], on=ago(29))})
    stack.recompute()
    stack.connect(last_synced_day=D + dt.timedelta(days=10))

    stack.recompute()

    acme = RollupStore(stack.usage).get(WS, "acme")
    assert acme is not None and acme.usage.events_30d == 0 and acme.usage.has_data
    assert acme.usage.last_seen == dt.datetime.fromtimestamp(epoch(ago(29), 17), dt.UTC)


def test_a_new_configuration_forgets_what_the_old_one_attributed(stack: Stack) -> None:
    stack.connect()
    stack.add_accounts({"id": "acme", "name": "Acme Corp"})
    stack.write_day(ago(29), {"acme": day(5, ["a"], on=ago(29))})
    stack.recompute()
    stack.connect(last_synced_day=D + dt.timedelta(days=10), features=["export_csv"])

    stack.recompute()

    acme = RollupStore(stack.usage).get(WS, "acme")
    assert acme is not None and acme.usage.last_seen is None and not acme.usage.has_data


def test_the_last_two_days_are_read_even_before_the_day_index_lists_them(stack: Stack) -> None:
    """The by_day index is eventually consistent: a row written a moment ago may be
    missing from it. Rows of D and D-1 are read by key; older ones through the index."""
    stack.connect()
    stack.add_accounts({"id": "acme", "name": "Acme Corp"})
    for offset, events in ((0, 3), (1, 4), (5, 100)):
        item = account_day_item(_row("acme", ago(offset), events))
        del item["day_key"]  # not (yet) in the index
        stack.usage.put_item(Item=item)
    stack.write_day(ago(2), {"acme": day(7, ["a"], on=ago(2))})

    stack.recompute()

    acme = RollupStore(stack.usage).get(WS, "acme")
    assert acme is not None and acme.usage.events_30d == 3 + 4 + 7


def _row(account_id: str, on: dt.date, events: int):  # type: ignore[no-untyped-def]
    from usage_analytics.ingest.rows import AccountDayRow

    return AccountDayRow(workspace_id=WS, account_id=account_id, day=on,
                         usage=day(events, ["a"], on=on))  # fmt: skip


def test_nothing_is_computed_before_a_configuration_and_a_first_synced_day(
    stack: Stack,
) -> None:
    assert stack.recompute("ws-none").skipped == "not configured"
    stack.connect(last_synced_day=None)
    assert stack.recompute().skipped == "no day synced yet"
