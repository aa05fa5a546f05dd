"""The workflow rules that need no AWS: which days, what counts as drift, what an error says."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from usage_analytics.integration.model import Integration
from usage_analytics.workflows.backfill import backfill_days, failure_text, project_yesterday
from usage_analytics.workflows.daily_sync import alert_line, is_drift
from usage_analytics.workflows.errors import coded, split_code

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _integration(timezone: str | None) -> Integration:
    return Integration(
        workspace_id="w",
        project_id=1,
        project_timezone=timezone,
        secret_name="s",
        created_at=NOW,
        updated_at=NOW,
    )


def test_backfill_covers_the_30_days_ending_yesterday_oldest_first() -> None:
    days = backfill_days(_integration(None), NOW)
    assert len(days) == 30
    assert days[-1] == dt.date(2026, 11, 19)
    assert days[0] == dt.date(2026, 10, 21)
    assert days == sorted(days)


@pytest.mark.parametrize(
    "timezone,now,expected",
    [
        ("UTC", dt.datetime(2026, 11, 20, 0, 30, tzinfo=dt.UTC), dt.date(2026, 11, 19)),
        # 00:30 UTC is still the 19th in Los Angeles: its yesterday is the 18th
        (
            "America/Los_Angeles",
            dt.datetime(2026, 11, 20, 0, 30, tzinfo=dt.UTC),
            dt.date(2026, 11, 18),
        ),
        # 23:30 UTC is already the 21st in Tokyo: its yesterday is the 20th
        ("Asia/Tokyo", dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC), dt.date(2026, 11, 20)),
        ("Not/AZone", dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), dt.date(2026, 11, 19)),
    ],
)
def test_yesterday_is_taken_in_the_projects_timezone(
    timezone: str, now: dt.datetime, expected: dt.date
) -> None:
    assert project_yesterday(_integration(timezone), now) == expected


@pytest.mark.parametrize(
    "attributed,baseline,drift",
    [
        (9, [100, 100, 100], True),  # under 10% of the average
        (10, [100, 100, 100], False),  # exactly 10% is not under it
        (0, [100, 100], False),  # fewer than 3 baseline days: never judged
        (0, [], False),
        (50, [1000, 1000, 1000, 1000, 1000, 1000, 1000], True),
        (150, [1000, 1000, 1000, 1000, 1000, 1000, 1000], False),
    ],
)
def test_schema_drift_is_under_ten_percent_of_at_least_three_trailing_days(
    attributed: int, baseline: list[int], drift: bool
) -> None:
    assert is_drift(attributed, baseline) is drift


def test_the_alert_line_is_exactly_what_the_alarm_matches() -> None:
    assert (
        alert_line("ws-42")
        == "ALERT: Mixpanel integration for workspace ws-42 has failed 3 times in a row."
    )


def test_error_codes_survive_the_lambda_boundary() -> None:
    assert split_code(coded("bad_credentials", "Reconnect Mixpanel.")) == (
        "bad_credentials",
        "Reconnect Mixpanel.",
    )
    assert split_code("plain message") == ("error", "plain message")


def test_failure_text_reads_step_functions_error_objects() -> None:
    cause = json.dumps(
        {"errorType": "PermanentFailure", "errorMessage": "[project_forbidden] No access."}
    )
    assert failure_text({"Error": "PermanentFailure", "Cause": cause}) == (
        "project_forbidden",
        "No access.",
    )
    code, message = failure_text({"Error": "States.Timeout", "Cause": "x"})
    assert code == "timeout" and "Retry backfill" in message
    assert failure_text(
        {"Error": "TransientFailure", "Cause": json.dumps({"errorMessage": "503"})}
    ) == ("transient", "503")
    assert failure_text("boom") == ("unknown", "boom")
