"""SPEC active users: exact up to at least 1,000 users, relative error under 2% beyond, and
mergeable across days; the serialized sketch fits comfortably in a DynamoDB item."""

from __future__ import annotations

import pytest

from tests.unit.ingest.world import by_account, event, run
from usage_analytics.ingest.sketch import (
    EXACT_UP_TO,
    distinct_estimate,
    load_sketch,
    union_sketches,
    users_sketch,
)

DYNAMODB_ITEM_LIMIT = 400 * 1024


def users(first: int, count: int) -> list[str]:
    return [f"user-{i}@example.com" for i in range(first, first + count)]


@pytest.mark.parametrize("count", [0, 1, 999, 1_000, 5_000, EXACT_UP_TO])
def test_a_day_sketch_is_exact_up_to_k_users(count: int) -> None:
    assert EXACT_UP_TO >= 1_000
    assert distinct_estimate([users_sketch(users(0, count))]) == count


@pytest.mark.parametrize("count", [20_000, 50_000, 200_000])
def test_beyond_k_users_the_relative_error_stays_under_two_percent(count: int) -> None:
    estimate = distinct_estimate([users_sketch(users(0, count))])
    assert abs(estimate - count) / count < 0.02


def test_sketches_merge_across_days_counting_each_user_once() -> None:
    """Three days with overlapping users: the window counts distinct people, not visits."""
    days = [users_sketch(users(0, 600)), users_sketch(users(300, 600)), users_sketch(users(0, 100))]
    assert distinct_estimate(days) == 900
    assert distinct_estimate([union_sketches(days)]) == 900


def test_large_overlapping_days_merge_within_two_percent() -> None:
    days = [users_sketch(users(day * 10_000, 30_000)) for day in range(5)]  # 70,000 distinct
    assert abs(distinct_estimate(days) - 70_000) / 70_000 < 0.02


def test_the_serialized_sketch_is_bounded_well_under_the_dynamodb_item_limit() -> None:
    blob = users_sketch(users(0, 300_000))
    assert len(blob) <= 128 * 1024 < DYNAMODB_ITEM_LIMIT // 3
    assert load_sketch(blob).is_estimation_mode()


def test_a_small_sketch_costs_a_few_bytes_per_user() -> None:
    assert len(users_sketch(users(0, 100))) < 100 * 10


def test_the_engine_sketch_of_an_account_day_holds_its_distinct_users() -> None:
    lines = [event(company_id="acme", distinct_id=f"u{i % 1_500}") for i in range(4_000)]
    usage = by_account(run(lines))["A-acme"]
    assert usage.active_users == 1_500
    assert usage.users_sketch is not None
    assert distinct_estimate([usage.users_sketch]) == 1_500


def test_the_same_user_on_two_days_is_one_user_across_processes() -> None:
    """Sketches hash the distinct_id string with a fixed seed, never Python's salted hash()."""
    monday = by_account(run([event(company_id="acme", distinct_id="same")]))["A-acme"]
    tuesday = by_account(run([event(company_id="acme", distinct_id="same")]))["A-acme"]
    assert monday.users_sketch == tuesday.users_sketch
    assert monday.users_sketch is not None and tuesday.users_sketch is not None
    assert distinct_estimate([monday.users_sketch, tuesday.users_sketch]) == 1
