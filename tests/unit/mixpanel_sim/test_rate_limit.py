"""Mixpanel's per-project limits, on a clock the test moves by hand."""

from __future__ import annotations

from local.mixpanel_sim.config import Limits
from local.mixpanel_sim.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_given_60_requests_this_hour_then_the_next_waits_for_the_oldest_to_expire() -> None:
    clock = Clock()
    limiter = RateLimiter(Limits(per_hour=60, per_second=None, concurrent=None), clock)
    for _ in range(60):
        assert limiter.acquire("p") is None
        limiter.release("p")
        clock.now += 10
    refusal = limiter.acquire("p")
    assert refusal is not None
    assert refusal.message.startswith("Query rate limit exceeded")
    assert refusal.retry_after == 3600 - 600
    clock.now += refusal.retry_after
    assert limiter.acquire("p") is None


def test_given_3_requests_in_a_second_then_the_fourth_is_told_to_retry_after_1s() -> None:
    clock = Clock()
    limiter = RateLimiter(Limits(per_hour=None, per_second=3, concurrent=None), clock)
    assert all(limiter.acquire("p") is None for _ in range(3))
    refusal = limiter.acquire("p")
    assert refusal is not None and refusal.retry_after == 1
    clock.now += 1.0
    assert limiter.acquire("p") is None


def test_given_5_queries_in_flight_then_a_sixth_is_refused_until_one_ends() -> None:
    limiter = RateLimiter(Limits(per_hour=None, per_second=None, concurrent=5), Clock())
    assert all(limiter.acquire("p") is None for _ in range(5))
    assert limiter.acquire("p") is not None
    limiter.release("p")
    assert limiter.acquire("p") is None


def test_limits_are_per_project_refusals_do_not_count_and_none_switches_off() -> None:
    clock = Clock()
    limiter = RateLimiter(Limits(per_hour=1, per_second=None, concurrent=None), clock)
    assert limiter.acquire("a") is None
    assert limiter.acquire("b") is None
    assert limiter.acquire("a") is not None
    limiter.set_limits(Limits(per_hour=2, per_second=None, concurrent=None))
    assert limiter.acquire("a") is None  # the refused request did not use the quota
    limiter.set_limits(Limits(per_hour=None, per_second=None, concurrent=None))
    assert all(limiter.acquire("a") is None for _ in range(500))
