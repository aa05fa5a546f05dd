"""The export stream against the simulator: whole days, residency, and every stream fault
the simulator can inject, with the client's retry rule (restart only before any line)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from tests.integration.mixpanel.conftest import TODAY, YESTERDAY, SimWorld, small_project
from usage_analytics.mixpanel import DateAfterToday, RateLimited, RetryPolicy, TransientError

pytestmark = pytest.mark.integration


def test_a_day_streams_as_json_event_lines_and_is_the_same_every_time(world: SimWorld) -> None:
    client = world.client()
    first = list(client.export(YESTERDAY, YESTERDAY))
    assert len(first) > 50
    for line in first:
        event = json.loads(line)
        assert isinstance(event["event"], str)
        assert isinstance(event["properties"]["time"], int)
    assert list(client.export(YESTERDAY, YESTERDAY)) == first


def test_every_request_carries_the_region_header_the_simulator_honours(
    start_world: Callable[..., SimWorld],
) -> None:
    world = start_world(project=small_project(region="IN"))
    client = world.client(region="IN")
    client.verify()
    client.event_names()
    assert sum(1 for _ in client.export(YESTERDAY, YESTERDAY)) > 0
    assert [(e["region"], e["status"]) for e in world.requests()] == [("IN", 200)] * 3


def test_events_and_limit_are_passed_through(world: SimWorld) -> None:
    lines = list(world.client().export(YESTERDAY, YESTERDAY, events=["page_view"], limit=5))
    assert len(lines) == 5
    assert {json.loads(line)["event"] for line in lines} == {"page_view"}


def test_given_a_day_that_has_not_ended_then_date_after_today(world: SimWorld) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(DateAfterToday, match="timezone"):
        list(world.client().export(tomorrow, tomorrow))


def test_given_terminated_early_before_any_line_then_the_day_is_fetched_again(
    world: SimWorld,
) -> None:
    expected = list(world.client().export(YESTERDAY, YESTERDAY))
    world.arm(kind="terminated_early", after_lines=0)
    assert list(world.client().export(YESTERDAY, YESTERDAY)) == expected
    outcomes = [e["outcome"] for e in world.requests("/api/2.0/export")]
    assert outcomes == ["complete", "terminated_early", "complete"]
    assert len(world.waits.seconds) == 1


def test_given_terminated_early_after_lines_then_transient_and_no_replay(world: SimWorld) -> None:
    world.arm(kind="terminated_early", after_lines=10)
    received = []
    with pytest.raises(TransientError, match="terminated early"):
        for line in world.client().export(YESTERDAY, YESTERDAY):
            received.append(line)
    assert len(received) == 10
    assert len(world.requests("/api/2.0/export")) == 1


def test_given_a_cut_connection_mid_stream_then_transient_after_the_lines_received(
    world: SimWorld,
) -> None:
    world.arm(kind="cut_connection", after_lines=25)
    received = 0
    with pytest.raises(TransientError, match="re-run the whole day"):
        for _ in world.client().export(YESTERDAY, YESTERDAY):
            received += 1
    assert 0 < received <= 25
    assert [e["outcome"] for e in world.requests("/api/2.0/export")] == ["cut"]


def test_given_a_cut_connection_before_any_line_then_the_stream_restarts(world: SimWorld) -> None:
    world.arm(kind="cut_connection", after_lines=0)
    assert sum(1 for _ in world.client().export(YESTERDAY, YESTERDAY)) > 50
    assert [e["outcome"] for e in world.requests("/api/2.0/export")] == ["cut", "complete"]


def test_given_5xx_twice_then_backoff_and_success(world: SimWorld) -> None:
    world.arm(kind="http_error", status=503, count=2)
    assert sum(1 for _ in world.client().export(YESTERDAY, YESTERDAY)) > 50
    assert [e["status"] for e in world.requests("/api/2.0/export")] == [503, 503, 200]
    assert len(world.waits.seconds) == 2
    assert world.waits.seconds[1] >= world.waits.seconds[0] / 2


def test_given_a_429_with_retry_after_then_the_client_waits_at_least_that_long(
    world: SimWorld,
) -> None:
    world.arm(kind="rate_limit", retry_after=3)
    assert sum(1 for _ in world.client().export(YESTERDAY, YESTERDAY)) > 50
    assert [e["status"] for e in world.requests("/api/2.0/export")] == [429, 200]
    assert world.waits.seconds[0] >= 3


def test_given_429s_that_outlast_the_attempts_then_rate_limited_with_retry_after(
    world: SimWorld,
) -> None:
    world.arm(kind="rate_limit", retry_after=2, count=None)
    with pytest.raises(RateLimited) as caught:
        list(
            world.client(retry=RetryPolicy(max_attempts=3, base_delay=0.1)).export(
                YESTERDAY, YESTERDAY
            )
        )
    assert caught.value.retry_after == 2
    assert len(world.requests("/api/2.0/export")) == 3


def test_the_client_limiter_keeps_a_burst_under_the_simulators_three_per_second(
    world: SimWorld,
) -> None:
    """Seven exports back to back: the per-project limiter spaces them (about two real
    seconds), so the simulator, which enforces Mixpanel's 3/s, never answers 429."""
    client = world.client()
    for _ in range(7):
        assert len(list(client.export(YESTERDAY, YESTERDAY, limit=1))) == 1
    assert [e["status"] for e in world.requests("/api/2.0/export")] == [200] * 7
    assert world.waits.seconds == []
