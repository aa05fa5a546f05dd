from __future__ import annotations

from collections.abc import Iterator

import pytest

from usage_analytics.integration.model import Status
from usage_analytics.workflows.fan_out import list_workspaces


class _Integrations:
    def __init__(self, by_status: dict[Status, list[str]]) -> None:
        self.by_status = by_status

    def workspace_ids_with_status(self, *statuses: Status) -> Iterator[str]:
        for status in statuses:
            yield from self.by_status.get(status, [])


REPO = _Integrations(
    {
        Status.CONNECTED: ["b", "a"],
        Status.ERROR: ["c"],
        Status.BACKFILL_FAILED: ["d"],
        Status.BACKFILLING: ["e"],
    }
)


def test_the_daily_sync_visits_connected_and_failing_workspaces() -> None:
    assert list_workspaces(REPO, "daily_sync", {}) == {
        "day": None,
        "workspaces": ["a", "b", "c"],
        "count": 3,
    }  # type: ignore[arg-type]


def test_the_rematch_also_visits_workspaces_whose_backfill_failed() -> None:
    assert list_workspaces(REPO, "rematch", {})["workspaces"] == ["a", "b", "c", "d"]  # type: ignore[arg-type]


def test_on_call_can_name_the_workspaces_and_the_day() -> None:
    listing = list_workspaces(
        REPO, "daily_sync", {"workspace_ids": ["x", "x", "y"], "day": "2026-12-03"}
    )  # type: ignore[arg-type]
    assert listing == {"day": "2026-12-03", "workspaces": ["x", "y"], "count": 2}


@pytest.mark.parametrize("day", ["2026-13-01", "yesterday", 20261203])
def test_a_bad_day_is_refused_naming_the_value(day: object) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        list_workspaces(REPO, "daily_sync", {"day": day})  # type: ignore[arg-type]


def test_an_unknown_job_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown job"):
        list_workspaces(REPO, "nightly", {})  # type: ignore[arg-type]
