"""A day is generated lazily, one account at a time: a consumer that reads the first lines
never pays for the whole day (what lets a million-event day stream)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from local.mixpanel_sim import events
from local.mixpanel_sim.project import SyntheticProject
from tests.unit.mixpanel_sim.conftest import TODAY


def test_reading_the_first_lines_generates_only_the_first_accounts(
    project: SyntheticProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = events._account_records

    def counting(*args: object, **kwargs: object) -> list[events.Record]:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(events, "_account_records", counting)
    yesterday = TODAY - dt.timedelta(days=1)
    first = list(itertools.islice(project.day_lines(yesterday), 20))
    assert len(first) == 20
    assert 1 <= len(calls) <= 3
    assert len(project.customers) == 40


def test_bulk_chunks_are_bounded_in_size(project: SyntheticProject) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    chunks = list(project.day_chunks(yesterday, chunk_bytes=64 * 1024))
    assert len(chunks) > 3
    assert all(len(c) < 64 * 1024 + 4096 for c in chunks)  # a chunk overshoots by one line
    assert all(c.endswith(b"\n") for c in chunks)
    assert b"".join(chunks) == project.day_export_bytes(yesterday)
