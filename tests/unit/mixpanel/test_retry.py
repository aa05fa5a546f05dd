"""Backoff: exponential with jitter, bounded attempts, Retry-After honoured (not slept
through when it is longer than a Lambda should idle)."""

from __future__ import annotations

import random

import pytest

from usage_analytics.mixpanel import BadCredentials, RateLimited, RetryPolicy, TransientError

POLICY = RetryPolicy(max_attempts=5, base_delay=2.0, max_delay=10.0, max_retry_after=120.0)


def test_backoff_doubles_per_attempt_within_equal_jitter_bounds_and_is_capped() -> None:
    rng = random.Random(1)
    for attempt, step in [(1, 2.0), (2, 4.0), (3, 8.0), (4, 10.0), (9, 10.0)]:
        for _ in range(50):
            delay = POLICY.backoff(attempt, rng)
            assert step / 2 <= delay <= step


def test_jitter_spreads_retries_of_many_clients() -> None:
    delays = {round(POLICY.backoff(3, random.Random(seed)), 6) for seed in range(20)}
    assert len(delays) > 10


def test_a_retryable_error_is_retried_until_the_attempts_run_out() -> None:
    rng = random.Random(0)
    error = TransientError("boom", status=503)
    assert all(POLICY.delay_before_retry(error, n, rng) is not None for n in range(1, 5))
    assert POLICY.delay_before_retry(error, 5, rng) is None


def test_a_non_retryable_error_is_never_retried() -> None:
    assert POLICY.delay_before_retry(BadCredentials("no"), 1, random.Random(0)) is None


def test_retry_after_is_waited_at_least_in_full() -> None:
    error = RateLimited("slow down", retry_after=37.0)
    assert POLICY.delay_before_retry(error, 1, random.Random(0)) == 37.0


def test_a_short_retry_after_still_waits_the_backoff() -> None:
    error = RateLimited("slow down", retry_after=0.0)
    delay = POLICY.delay_before_retry(error, 3, random.Random(0))
    assert delay is not None and delay >= 4.0


def test_a_retry_after_longer_than_the_limit_is_left_to_the_workflow() -> None:
    error = RateLimited("come back in an hour", retry_after=3600.0)
    assert POLICY.delay_before_retry(error, 1, random.Random(0)) is None


def test_a_policy_needs_at_least_one_attempt() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RetryPolicy(max_attempts=0)
