"""The workflows recompute as of the day they just wrote: the backfill's Finalize and the
daily sync both call `recompute` after setting `last_synced_day`. Real state machines,
handlers and simulator; the table route then lists every CRM account."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from functions.api import handler as api_handler
from local.mixpanel_sim import UNLIMITED, ProjectSpec, SimConfig, start_simulator
from tests.integration.workflows.conftest import forget_workspaces, seed_workspace
from tests.unit.api.fakes import api_event, principal
from usage_analytics import aws, wiring
from usage_analytics.auth.principal import Role
from usage_analytics.metrics.directory import AccountDirectory
from usage_analytics.metrics.rollup_store import RollupStore
from usage_analytics.settings import get_settings, reset_settings
from usage_analytics.storage.usage_days import UsageDayRepository

pytestmark = pytest.mark.integration

TODAY = dt.date(2026, 11, 20)


@dataclass
class Synced:
    stack: Any
    workspace_id: str
    monkeypatch: pytest.MonkeyPatch

    def today(self, day: dt.date) -> None:
        self.monkeypatch.setitem(os.environ, "USAGE_ANALYTICS_TODAY", day.isoformat())
        reset_settings()

    def run(self, machine: str, payload: dict[str, Any]) -> None:
        result = self.stack.run(machine, payload, timeout_s=600)
        assert result["status"] == "SUCCEEDED", result.get("cause")

    def table(self, **query: str) -> dict[str, Any]:
        path = f"/v1/workspaces/{self.workspace_id}/usage/accounts"
        caller = principal(Role.MEMBER, self.workspace_id)
        raw = api_handler.handler(api_event("GET", path, caller=caller, query=query), None)
        assert raw["statusCode"] == 200, raw["body"]
        return json.loads(raw["body"])  # type: ignore[no-any-return]


@pytest.fixture
def synced(
    local_stack: Any, workspace_id: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Synced]:
    # the project's own "today" is a day ahead, so the daily sync of TODAY + 1 can run
    spec = ProjectSpec(accounts=16, days=40, today=TODAY + dt.timedelta(days=1),
                       hot_shard_days_ago=None)  # fmt: skip
    sim = start_simulator(SimConfig(project=spec, export_limits=UNLIMITED, query_limits=UNLIMITED))
    monkeypatch.setitem(os.environ, "MIXPANEL_BASE_URL", sim.base_url)
    seed_workspace(workspace_id, spec)
    world = Synced(local_stack, workspace_id, monkeypatch)
    world.today(TODAY)
    try:
        yield world
    finally:
        sim.stop()
        reset_settings()
        forget_workspaces()


def test_backfill_then_daily_sync_leave_every_account_with_a_rollup_as_of_the_new_day(
    synced: Synced,
) -> None:
    ws = synced.workspace_id
    usage = aws.table(get_settings().usage_table)
    store, days = RollupStore(usage), UsageDayRepository(usage)
    crm = {
        a.account_id for a in AccountDirectory(aws.table(get_settings().accounts_table)).names(ws)
    }

    synced.run("backfill", {"workspace_id": ws})
    after_backfill = {a: store.get(ws, a) for a in crm}
    assert all(r is not None and r.as_of == TODAY - dt.timedelta(days=1)
               for r in after_backfill.values())  # fmt: skip

    synced.today(TODAY + dt.timedelta(days=1))
    synced.run("daily_sync", {})

    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = synced.table(limit="5", **({"cursor": cursor} if cursor else {}))
        rows += page["accounts"]
        assert page["as_of"] == TODAY.isoformat()
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert {r["account_id"] for r in rows} == crm and len(rows) == len(crm)
    assert [r["usage_30d"] for r in rows] == sorted((r["usage_30d"] for r in rows), reverse=True)
    for row in rows[:4]:
        rollup = store.get(ws, row["account_id"])
        assert rollup is not None and rollup.as_of == TODAY
        stored = days.account_days(ws, row["account_id"], TODAY - dt.timedelta(days=29), TODAY)
        assert rollup.usage.events_30d == sum(r.usage.events for r in stored) == row["usage_30d"]
        assert [(p.date, p.events) for p in rollup.usage.daily if p.events] == [
            (r.day, r.usage.events) for r in stored
        ]


def test_wiring_hands_recompute_to_the_daily_sync() -> None:
    assert wiring.daily_sync_deps().recompute is wiring.recompute
