"""Recompute and the usage routes against the embedded AWS (the deployed stack's tables and
bus): rows written by `write_day`, `wiring.recompute`, then the real api handler."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from functions.api import handler as api_handler
from tests.integration.metrics.conftest import Workspace
from tests.unit.api.fakes import api_event, principal
from usage_analytics import wiring
from usage_analytics.auth.principal import Role
from usage_analytics.ingest.rows import DayUsage
from usage_analytics.ingest.sketch import users_sketch

pytestmark = pytest.mark.integration

D = dt.date(2026, 11, 19)


def _day(on: dt.date, events: int, users: list[str], **features: int) -> DayUsage:
    noon = int(dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC).timestamp())
    return DayUsage(
        events=events, feature_counts=features, active_users=len(users),
        users_sketch=users_sketch(users), first_seen=noon, last_seen=noon + 60,
    )  # fmt: skip


def _get(workspace: Workspace, suffix: str, **query: str) -> tuple[int, Any]:
    path = f"/v1/workspaces/{workspace.workspace_id}{suffix}"
    caller = principal(Role.MEMBER, workspace.workspace_id)
    raw = api_handler.handler(api_event("GET", path, caller=caller, query=query or None), None)
    return raw["statusCode"], json.loads(raw["body"])


def _post(workspace: Workspace, suffix: str, body: Any) -> tuple[int, Any]:
    path = f"/v1/workspaces/{workspace.workspace_id}{suffix}"
    caller = principal(Role.MEMBER, workspace.workspace_id)
    raw = api_handler.handler(api_event("POST", path, body, caller=caller), None)
    return raw["statusCode"], json.loads(raw["body"])


def _seed(workspace: Workspace) -> None:
    """acme: 50 events by 10 users last week -> 60 by 30 this week (the stickiness drop);
    globex: 20 events a day by the same two people; initech: never seen."""
    workspace.accounts(
        {"id": "acme", "name": "Acme Corp", "seat_count": 50},
        {"id": "globex", "name": "Globex"},
        {"id": "initech", "name": "Initech", "seat_count": 5},
    )
    for offset in range(30):
        on = D - dt.timedelta(days=offset)
        rows = {"globex": _day(on, 20, ["g1", "g2"], export_csv=3)}
        if offset == 7:
            rows["acme"] = _day(on, 50, [f"old{i}" for i in range(10)])
        if offset == 0:
            rows["acme"] = _day(on, 60, [f"new{i}" for i in range(30)], report_created=9)
        workspace.write(on, rows)
    workspace.connect(D)


def test_recompute_stores_rollups_the_routes_read_and_emits_the_signal_once(
    workspace: Workspace,
) -> None:
    _seed(workspace)

    first = wiring.recompute(workspace.workspace_id)
    again = wiring.recompute(workspace.workspace_id)

    assert (first.accounts, first.accounts_with_usage, first.signals_published) == (3, 2, 1)
    assert again.signals_published == 0
    (event,) = workspace.bus.received()
    assert event["detail-type"] == "Usage decline detected"
    assert event["detail"]["account_id"] == "acme" and event["detail"]["week"] == "2026-W47"

    status, usage = _get(workspace, "/accounts/acme/usage")
    assert status == 200
    assert (usage["events_30d"], usage["events_change_pct"], usage["active_users_30d"]) == (
        110,
        20.0,
        40,
    )
    assert usage["seat_activation"] == 80.0 and len(usage["daily"]) == 30

    status, table = _get(workspace, "/usage/accounts", sort="usage_30d", order="desc")
    assert status == 200
    assert [(r["account_id"], r["usage_30d"], r["seat_activation"]) for r in table["accounts"]] == [
        ("globex", 600, None),
        ("acme", 110, 80.0),
        ("initech", 0, 0.0),
    ]

    status, signals = _get(workspace, "/signals", type="usage_decline")
    assert status == 200 and [s["account_id"] for s in signals["signals"]] == ["acme"]
    assert "from 10 to 30" in signals["signals"][0]["explanation"]

    status, health = _get(workspace, "/accounts/initech/health")
    assert status == 200 and (health["adoption"]["score"], health["engagement"]["score"]) == (0, 0)

    status, answer = _post(workspace, "/assistant/get_account_usage", {"name": "acme"})
    assert status == 200 and answer["outcome"] == "found"
    assert "Events went from 50 to 60 (+10, +20%)" in answer["answer"]
    status, ranking = _post(
        workspace, "/assistant/rank_accounts_by_usage", {"ranking": "steepest_decline"}
    )
    assert status == 200 and ranking["accounts"] == []  # acme's events rose


def test_a_day_rewritten_after_the_recompute_shows_at_the_next_recompute(
    workspace: Workspace,
) -> None:
    _seed(workspace)
    wiring.recompute(workspace.workspace_id)

    workspace.write(D, {"globex": _day(D, 1, ["g1"])})  # re-sync of D: acme gone that day
    report = wiring.recompute(workspace.workspace_id)

    status, usage = _get(workspace, "/accounts/acme/usage")
    assert status == 200 and usage["events_30d"] == 50 and usage["events_change_pct"] == -100.0
    assert report.signals_published == 0  # same ISO week: the signal was emitted already
    assert len(workspace.bus.received()) == 1
