"""The workspace table: one index Query per page, every sort in both orders, nulls last in
both, exact pagination across ties, cursors that stay inside their workspace."""

from __future__ import annotations

import pytest

from tests.unit.metrics.rollups import TABLE, rollup, seed_table
from tests.unit.metrics.stack import WS, Stack
from usage_analytics.metrics.cursor import TablePosition
from usage_analytics.metrics.rollup_store import RollupStore
from usage_analytics.metrics.views import TableRow


def _walk(stack: Stack, sort: str, order: str, limit: int) -> tuple[list[TableRow], int]:
    store, rows, position, pages = RollupStore(stack.usage), [], None, 0
    while True:
        found = store.page(WS, sort=sort, order=order, limit=limit, position=position)  # type: ignore[arg-type]
        rows.extend(found.rows)
        pages += 1
        assert len(found.rows) <= limit
        if found.next is None:
            return rows, pages
        position = found.next


def _values(rows: list[TableRow], sort: str) -> list[float | None]:
    return [getattr(r, sort) for r in rows]


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 50])
@pytest.mark.parametrize("sort", ["usage_30d", "usage_change_pct", "seat_activation"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_walking_every_page_lists_every_account_once_in_order_with_nulls_last(
    stack: Stack, sort: str, order: str, limit: int
) -> None:
    seed_table(stack)
    rows, _ = _walk(stack, sort, order, limit)

    assert sorted(r.account_id for r in rows) == sorted(r.account_id for r in TABLE)
    values = _values(rows, sort)
    present = [v for v in values if v is not None]
    assert values == present + [None] * (len(values) - len(present))  # nulls last
    assert present == sorted(present, reverse=order == "desc")


def test_the_change_column_sorts_steepest_decline_first_ascending(stack: Stack) -> None:
    seed_table(stack)
    rows, _ = _walk(stack, "usage_change_pct", "asc", 3)
    assert _values(rows, "usage_change_pct") == [-40.5, -40.0, -40.0, 12.0, None, None, None]
    assert rows[0].account_id == "a"
    assert {r.account_id for r in rows[4:]} == {"c", "f", "g"}


def test_a_row_has_the_table_columns_with_null_for_no_seat_count(stack: Stack) -> None:
    seed_table(stack)
    found = RollupStore(stack.usage).page(WS, sort="usage_30d", order="desc", limit=1)
    assert found.rows[0].model_dump() == {
        "account_id": "e",
        "name": "E",
        "usage_30d": 900,
        "usage_change_pct": -40.0,
        "seat_activation": 150.0,
    }
    assert found.as_of is not None and found.next is not None


def test_a_page_that_fits_everything_says_there_is_no_next_page(stack: Stack) -> None:
    seed_table(stack)
    found = RollupStore(stack.usage).page(WS, sort="usage_30d", order="desc", limit=100)
    assert len(found.rows) == len(TABLE) and found.next is None


def test_an_empty_workspace_has_an_empty_table(stack: Stack) -> None:
    found = RollupStore(stack.usage).page(WS, sort="seat_activation", order="asc", limit=10)
    assert (found.rows, found.next, found.as_of) == ([], None, None)


def test_a_position_naming_another_workspaces_account_stays_in_this_workspace(
    stack: Stack,
) -> None:
    seed_table(stack)
    seed_table(stack, [rollup("zz", 5, 1.0, 1.0, workspace_id="ws-other")], "ws-other")
    position = TablePosition(
        sort="usage_30d", order="asc", phase="values", account_id="zz", value="5"
    )
    found = RollupStore(stack.usage).page(
        WS, sort="usage_30d", order="asc", limit=50, position=position
    )
    assert found.rows and all(r.account_id != "zz" for r in found.rows)
