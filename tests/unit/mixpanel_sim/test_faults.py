"""Faults are validated when armed and fire exactly as described."""

from __future__ import annotations

import datetime as dt

import pytest

from local.mixpanel_sim.faults import FaultBook, FaultError

DAY = dt.date(2025, 6, 15)
EXPORT = "/api/2.0/export"


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"kind": "explode"}, "kind must be one of"),
        ({"kind": "http_error", "colour": "red"}, "unknown field"),
        ({"kind": "schema_drift"}, "needs a day"),
        ({"kind": "http_error", "count": 0}, "count must be"),
        ({"kind": "late_events", "day": "15/06/2025"}, "day must be YYYY-MM-DD"),
        ({"kind": "slow", "path": "api"}, "path must be"),
    ],
)
def test_a_fault_the_simulator_cannot_arm_is_refused_with_the_reason(
    fault: dict[str, object], message: str
) -> None:
    with pytest.raises(FaultError, match=message):
        FaultBook().add(fault)


def test_a_counted_fault_fires_that_many_times_after_skipping() -> None:
    book = FaultBook()
    book.add({"kind": "http_error", "status": 503, "count": 2, "skip": 1})
    fired = [book.take("http_error", EXPORT) for _ in range(4)]
    assert [f is not None for f in fired] == [False, True, True, False]
    assert fired[1] is not None and fired[1].params["status"] == 503
    assert book.snapshot() == []


def test_a_fault_for_a_day_only_hits_exports_covering_that_day() -> None:
    book = FaultBook()
    book.add({"kind": "terminated_early", "day": DAY.isoformat(), "count": None})
    assert book.take("terminated_early", EXPORT, (DAY + dt.timedelta(days=1),) * 2) is None
    assert book.take("terminated_early", "/api/query/engage", None) is None
    assert book.take("terminated_early", EXPORT, (DAY - dt.timedelta(days=2), DAY)) is not None
    assert book.take("terminated_early", EXPORT, (DAY, DAY)) is not None


def test_stream_faults_default_to_the_export_and_others_to_every_api_path() -> None:
    book = FaultBook()
    book.add({"kind": "cut_connection"})
    book.add({"kind": "rate_limit", "count": None})
    assert book.take("cut_connection", "/api/query/events/names") is None
    assert book.take("rate_limit", "/api/query/events/names") is not None
    assert book.take("rate_limit", "/api/app/me") is not None


def test_credentials_are_revoked_after_n_requests_or_from_a_point_in_time() -> None:
    now = dt.datetime(2025, 6, 18, 12, tzinfo=dt.UTC)
    book = FaultBook()
    book.add({"kind": "revoke_credentials", "after_requests": 2, "username": "alice"})
    results = []
    for _ in range(3):
        book.observe_request()
        results.append(book.revoked("alice", now))
    assert results == [False, False, True]
    assert not book.revoked("bob", now)

    timed = FaultBook()
    timed.add({"kind": "revoke_credentials", "at": "2025-06-18T13:00:00+00:00"})
    assert not timed.revoked("bob", now)
    assert timed.revoked("bob", now + dt.timedelta(hours=2))


def test_data_faults_stay_armed_for_their_day() -> None:
    book = FaultBook()
    book.add({"kind": "schema_drift", "day": DAY.isoformat()})
    for _ in range(3):
        assert len(book.day_faults(DAY, "schema_drift")) == 1
    assert book.day_faults(DAY + dt.timedelta(days=1), "schema_drift") == []
