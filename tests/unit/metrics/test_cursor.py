"""Cursors are opaque, tied to their listing, and refuse anything they did not issue."""

from __future__ import annotations

import base64
import json

import pytest

from usage_analytics.metrics.cursor import (
    InvalidCursor,
    SignalPosition,
    TablePosition,
    decode_signals,
    decode_table,
    encode,
)


def _forge(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_a_table_cursor_round_trips_for_the_same_sort_and_order() -> None:
    position = TablePosition(
        sort="usage_change_pct", order="asc", phase="nulls", account_id="acct_1", value="-1E+30"
    )
    text = encode(position)
    assert "acct_1" not in text  # opaque, not readable at a glance
    assert decode_table(text, sort="usage_change_pct", order="asc") == position


def test_a_cursor_of_another_sort_or_order_is_refused_with_what_it_belongs_to() -> None:
    text = encode(TablePosition(sort="usage_30d", order="desc", phase="values"))
    with pytest.raises(InvalidCursor, match="sort=usage_30d&order=desc"):
        decode_table(text, sort="usage_30d", order="asc")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "!!!",
        "x" * 2000,
        _forge([1, 2]),
        _forge({"kind": "table", "sort": "usage_30d", "order": "desc", "phase": "later"}),
        _forge({"kind": "table", "sort": "usage_30d", "order": "desc", "phase": "values",
                "account_id": "a", "value": "NaN"}),
        _forge({"kind": "table", "sort": "usage_30d", "order": "desc", "phase": "values",
                "account_id": "../../x", "value": "1"}),
        _forge({"kind": "table", "sort": "usage_30d", "order": "desc", "phase": "values",
                "pk": "ROLLUP#ws-other"}),
        _forge({"kind": "signals", "after": "2026-W47#a"}),
    ],
)  # fmt: skip
def test_anything_else_is_an_invalid_cursor(text: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_table(text, sort="usage_30d", order="desc")


def test_a_signals_cursor_round_trips_and_refuses_a_table_cursor() -> None:
    position = SignalPosition(after="2026-W47#acme")
    assert decode_signals(encode(position)) == position
    with pytest.raises(InvalidCursor):
        decode_signals(encode(TablePosition(sort="usage_30d", order="desc", phase="values")))
