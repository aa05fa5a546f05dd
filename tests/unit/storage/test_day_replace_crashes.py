"""A crash anywhere while writing day D is repaired by running day D again.

A table proxy raises after the k-th write operation (each put, delete or update, including
those inside batch writers); for every k the rerun must leave exactly the items a clean
run leaves.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.unit.storage.conftest import create_table
from tests.unit.storage.test_day_replace import D2, day, scan
from usage_analytics.storage.day_writer import write_day
from usage_analytics.storage.tables import QUARANTINE, USAGE

_names = itertools.count()


class Crash(RuntimeError):
    pass


class Budget:
    def __init__(self, operations: int) -> None:
        self.left = operations

    def spend(self) -> None:
        if self.left <= 0:
            raise Crash("simulated crash")
        self.left -= 1


class _CrashingBatch:
    def __init__(self, inner: Any, budget: Budget) -> None:
        self._inner, self._budget = inner, budget

    def __enter__(self) -> _CrashingBatch:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)

    def put_item(self, **kwargs: Any) -> None:
        self._budget.spend()
        self._inner.put_item(**kwargs)

    def delete_item(self, **kwargs: Any) -> None:
        self._budget.spend()
        self._inner.delete_item(**kwargs)


class CrashingTable:
    """Delegates to a boto3 Table, but raises once the write budget is spent."""

    def __init__(self, table: Any, budget: Budget) -> None:
        self._table, self._budget = table, budget

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def batch_writer(self, **kwargs: Any) -> _CrashingBatch:
        return _CrashingBatch(self._table.batch_writer(**kwargs), self._budget)

    def _write(self, name: str, **kwargs: Any) -> Any:
        self._budget.spend()
        return getattr(self._table, name)(**kwargs)

    def put_item(self, **kwargs: Any) -> Any:
        return self._write("put_item", **kwargs)

    def update_item(self, **kwargs: Any) -> Any:
        return self._write("update_item", **kwargs)

    def delete_item(self, **kwargs: Any) -> Any:
        return self._write("delete_item", **kwargs)


def tables(dynamodb: Any) -> tuple[Any, Any]:
    n = next(_names)
    return create_table(dynamodb, USAGE, f"usage-{n}"), create_table(dynamodb, QUARANTINE, f"q-{n}")


BEFORE = [
    day({"A1": 1, "A2": 2, "A3": 3}, {"gone": 1, "stays": 2}),
    day({"A1": 4}, {"gone": 1, "stays": 5}, on=D2),
]
AFTER = day({"A2": 9, "A4": 1}, {"stays": 3, "new": 1})


def prepare(dynamodb: Any) -> tuple[Any, Any]:
    usage, quarantine = tables(dynamodb)
    for rows in BEFORE:
        write_day(rows, usage_table=usage, quarantine_table=quarantine)
    return usage, quarantine


def test_a_crash_at_any_write_is_repaired_by_rerunning_the_day(dynamodb: Any) -> None:
    usage, quarantine = prepare(dynamodb)
    write_day(AFTER, usage_table=usage, quarantine_table=quarantine)
    expected = (scan(usage), scan(quarantine))

    crashed_at = []
    for k in itertools.count():
        usage, quarantine = prepare(dynamodb)
        budget = Budget(k)
        try:
            write_day(
                AFTER,
                usage_table=CrashingTable(usage, budget),
                quarantine_table=CrashingTable(quarantine, budget),
            )
        except Crash:
            crashed_at.append(k)
        else:
            break  # k exceeds the number of writes: every crash point was covered
        write_day(AFTER, usage_table=usage, quarantine_table=quarantine)
        assert (scan(usage), scan(quarantine)) == expected, f"crash after {k} writes"
    assert len(crashed_at) >= 10  # the day really has that many write points
