"""The embedded AWS runs the synthesized state machines through the real handlers."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

pytestmark = pytest.mark.integration


def _history(execution_arn: str) -> list[dict[str, Any]]:
    sfn = boto3.client("stepfunctions")
    return list(sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"])


def _failed_tasks(events: list[dict[str, Any]]) -> list[str]:
    return [
        e["lambdaFunctionFailedEventDetails"]["error"]
        for e in events
        if e["type"] == "LambdaFunctionFailed"
    ]


def test_given_no_integration_when_backfill_runs_then_plan_fails_once_and_mark_failed_catches_it(
    local_stack: Any, workspace_id: str
) -> None:
    result = local_stack.run("backfill", {"workspace_id": workspace_id})

    assert result["status"] == "FAILED"
    assert result["error"] == "PermanentFailure"
    assert "no configured Mixpanel integration" in result["cause"]
    events = _history(result["executionArn"])
    # PermanentFailure is not in Plan's Retry list: exactly one attempt, then the Catch.
    assert _failed_tasks(events) == ["PermanentFailure"]
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")
    ]
    assert entered == ["Plan", "MarkFailed", "BackfillFailed"]


def test_given_no_connected_workspace_when_the_daily_sync_fires_then_it_succeeds_with_nothing_to_do(
    local_stack: Any,
) -> None:
    execution = local_stack.fire_schedule("DailySyncSchedule")
    result = local_stack.wait_execution(execution)

    assert result["status"] == "SUCCEEDED", result
    output = json.loads(result["output"])
    assert output["listing"]["count"] == len(output["listing"]["workspaces"])
    assert output["listing"]["day"] is None  # each workspace syncs its own yesterday


def test_given_a_bad_day_from_on_call_when_the_daily_sync_runs_then_it_fails_naming_the_value(
    local_stack: Any,
) -> None:
    result = local_stack.run("daily_sync", {"day": "2026-13-45", "workspace_ids": ["w"]})

    assert result["status"] == "FAILED"
    assert "2026-13-45" in result["cause"]
