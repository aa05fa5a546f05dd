"""Reading the window: few requests (keys by day, rows in batches of 100), rows handed
over account by account, throttled keys retried."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.metrics.stack import WS, Stack
from tests.unit.metrics.world import D, ago, day
from usage_analytics.metrics.window_rows import WindowRows
from usage_analytics.metrics.windows import Windows


def _seed(stack: Stack, accounts: int, days: int) -> None:
    for offset in range(days):
        on = ago(offset)
        stack.write_day(on, {f"a{i:03d}": day(i + 1, [f"u{i}"], on=on) for i in range(accounts)})


def test_rows_come_grouped_by_account_in_id_order_with_batches_of_100_keys(
    stack: Stack,
) -> None:
    _seed(stack, accounts=35, days=6)  # 210 rows: 3 batches
    reader = WindowRows(stack.usage)

    found = list(reader.read(WS, Windows(D).window.days))

    assert [account for account, _ in found] == [f"a{i:03d}" for i in range(35)]
    assert all(set(rows) == {ago(o) for o in range(6)} for _, rows in found)
    assert found[3][1][ago(2)].events == 4
    assert reader.requests == 3


def test_other_workspaces_and_days_outside_the_window_are_not_read(stack: Stack) -> None:
    _seed(stack, accounts=2, days=1)
    stack.write_day(ago(30), {"a000": day(99, on=ago(30))})
    stack.write_day(D, {"x": day(5, on=D)}, workspace_id="ws-other")

    found = dict(WindowRows(stack.usage).read(WS, Windows(D).window.days))

    assert set(found) == {"a000", "a001"} and set(found["a000"]) == {D}


def test_recent_days_are_also_asked_by_key_for_every_known_account(stack: Stack) -> None:
    _seed(stack, accounts=2, days=3)
    reader = WindowRows(stack.usage)
    found = dict(reader.read(WS, [], accounts=["a000", "a001", "zzz"], recent=[D, ago(1)]))
    assert {a: sorted(rows) for a, rows in found.items()} == {
        "a000": [ago(1), D],
        "a001": [ago(1), D],
    }


class _Throttling:
    """A client that leaves the keys unprocessed the first times, as a throttled table does."""

    def __init__(self, real: Any, unprocessed_rounds: int) -> None:
        self._real = real
        self.rounds = unprocessed_rounds

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        if self.rounds > 0:
            self.rounds -= 1
            ((name, _),) = RequestItems.items()
            return {"Responses": {name: []}, "UnprocessedKeys": RequestItems}
        return self._real.batch_get_item(RequestItems=RequestItems)  # type: ignore[no-any-return]


def test_unprocessed_keys_are_retried_until_every_row_is_in(stack: Stack) -> None:
    _seed(stack, accounts=3, days=2)
    reader = WindowRows(stack.usage, workers=1, sleep=lambda s: None)
    reader._client = _Throttling(stack.usage.meta.client, unprocessed_rounds=2)

    found = dict(reader.read(WS, Windows(D).window.days))

    assert sum(len(rows) for rows in found.values()) == 6 and reader.requests == 3


def test_keys_still_unprocessed_after_every_attempt_fail_the_run(stack: Stack) -> None:
    _seed(stack, accounts=3, days=1)
    reader = WindowRows(stack.usage, workers=1, sleep=lambda s: None)
    reader._client = _Throttling(stack.usage.meta.client, unprocessed_rounds=100)
    with pytest.raises(RuntimeError, match="unprocessed"):
        list(reader.read(WS, Windows(D).window.days))
