"""The daily sync, day by day (the clock moved with USAGE_ANALYTICS_TODAY), through the real
state machine, handlers and simulator."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from local.mixpanel_sim import (
    DEV_PROJECT_ID,
    DEV_SECRET,
    DEV_USERNAME,
    UNLIMITED,
    ProjectSpec,
    ServiceAccount,
    SimConfig,
    start_simulator,
)
from tests.integration.workflows.conftest import forget_workspaces, seed_workspace
from usage_analytics import wiring
from usage_analytics.api.banners import banners_for
from usage_analytics.integration.model import Integration, Status
from usage_analytics.settings import reset_settings
from usage_analytics.workflows.daily_sync import alert_line

pytestmark = pytest.mark.integration

START = dt.date(2026, 11, 1)  # first "today" of the fortnight
FLAKY_USER = "flaky-service-account"


@dataclass
class Fortnight:
    stack: Any
    sim: Any
    spec: ProjectSpec
    monkeypatch: pytest.MonkeyPatch

    def today(self, day: dt.date) -> None:
        self.monkeypatch.setitem(os.environ, "USAGE_ANALYTICS_TODAY", day.isoformat())
        reset_settings()

    def sync(self, today: dt.date, timeout_s: float = 600, **payload: Any) -> dict[str, Any]:
        """Run the 05:00 sync of `today` (it syncs today - 1)."""
        self.today(today)
        result = self.stack.run("daily_sync", payload, timeout_s=timeout_s)
        assert result["status"] == "SUCCEEDED", result.get("cause")
        return result


def integration(workspace_id: str) -> Integration:
    found = wiring.integrations().get(workspace_id)
    assert found is not None
    return found


def history(workspace_id: str) -> list[Any]:
    return sorted(wiring.history().recent(workspace_id, 200), key=lambda a: (a.day, a.started_at))


def written_days(workspace_id: str) -> set[dt.date]:
    found = integration(workspace_id)
    return wiring.progress().days_done(workspace_id, found.config_id)


@pytest.fixture
def fortnight(local_stack: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fortnight]:
    spec = ProjectSpec(
        accounts=12, days=30, today=START + dt.timedelta(days=16), hot_shard_days_ago=None
    )
    accounts = (
        ServiceAccount(DEV_USERNAME, DEV_SECRET, project_ids=frozenset({DEV_PROJECT_ID})),
        ServiceAccount(FLAKY_USER, DEV_SECRET, project_ids=frozenset({DEV_PROJECT_ID})),
    )
    sim = start_simulator(
        SimConfig(
            project=spec, export_limits=UNLIMITED, query_limits=UNLIMITED, service_accounts=accounts
        )
    )
    monkeypatch.setitem(os.environ, "MIXPANEL_BASE_URL", sim.base_url)
    try:
        yield Fortnight(local_stack, sim, spec, monkeypatch)
    finally:
        sim.stop()
        reset_settings()
        forget_workspaces()


def _ws(prefix: str) -> str:
    return f"{prefix}-{os.urandom(4).hex()}"


def test_normal_days_write_yesterday_only_and_a_failing_workspace_never_stops_the_other(
    fortnight: Fortnight, caplog: pytest.LogCaptureFixture
) -> None:
    steady, flaky = _ws("steady"), _ws("flaky")
    seed_workspace(steady, fortnight.spec, status=Status.CONNECTED)
    seed_workspace(flaky, fortnight.spec, status=Status.CONNECTED, username=FLAKY_USER)
    caplog.set_level(logging.ERROR, logger="usage_analytics.daily_sync")
    ids = [steady, flaky]

    for n in range(1, 4):  # three normal days
        fortnight.sync(START + dt.timedelta(days=n), workspace_ids=ids)
    fortnight.sim.add_fault("revoke_credentials", after_requests=0, username=FLAKY_USER)
    for n in range(4, 8):  # four failing days for the flaky workspace
        fortnight.sync(START + dt.timedelta(days=n), workspace_ids=ids)
        failures = integration(flaky).consecutive_failures
        assert failures == n - 3
    fortnight.sim.clear_faults()
    fortnight.sync(START + dt.timedelta(days=8), workspace_ids=ids)

    expected = {START + dt.timedelta(days=n - 1) for n in range(1, 9)}
    assert written_days(steady) == expected
    assert integration(steady).consecutive_failures == 0
    # the flaky one: 3 good days, 4 failures, then recovery writes its yesterday and resets
    assert written_days(flaky) == {START + dt.timedelta(days=n) for n in (0, 1, 2, 7)}
    recovered = integration(flaky)
    assert recovered.consecutive_failures == 0 and recovered.status is Status.CONNECTED
    alerts = [r.getMessage() for r in caplog.records if r.getMessage().startswith("ALERT:")]
    assert alerts == [alert_line(flaky)]  # exactly once, at the third failure
    outcomes = [a.outcome for a in history(flaky)]
    assert outcomes.count("failed") == 4 and outcomes.count("succeeded") == 4


def test_a_credential_failure_turns_the_card_red_with_a_reconnect_hint(
    fortnight: Fortnight,
) -> None:
    ws = _ws("revoked")
    seed_workspace(ws, fortnight.spec, status=Status.CONNECTED, username=FLAKY_USER)
    fortnight.sim.add_fault("revoke_credentials", after_requests=0, username=FLAKY_USER)

    fortnight.sync(START + dt.timedelta(days=1), workspace_ids=[ws])

    found = integration(ws)
    assert found.status is Status.ERROR and found.last_error_code == "bad_credentials"
    red = [b for b in banners_for(found, dt.datetime.now(dt.UTC)) if b.severity == "red"]
    assert red and "Reconnect" in red[0].message


def test_a_workspace_that_stops_syncing_shows_the_stale_banner_with_real_hours(
    fortnight: Fortnight,
) -> None:
    ws = _ws("stale")
    seed_workspace(ws, fortnight.spec, status=Status.CONNECTED)
    fortnight.sync(START + dt.timedelta(days=1), workspace_ids=[ws])
    synced = integration(ws)
    assert synced.last_sync_at is not None

    fresh = banners_for(synced, synced.last_sync_at + dt.timedelta(hours=30))
    stale = banners_for(synced, synced.last_sync_at + dt.timedelta(hours=41, minutes=20))

    assert not [b for b in fresh if b.kind == "stale"]
    (banner,) = [b for b in stale if b.kind == "stale"]
    assert banner.severity == "yellow"
    assert "41h" in banner.message


def _baseline(fortnight: Fortnight, ws: str, days: int = 8) -> None:
    for n in range(1, days + 1):
        fortnight.sync(START + dt.timedelta(days=n), workspace_ids=[ws])


def test_a_drift_day_is_held_then_accepted_with_the_new_level_and_written_too(
    fortnight: Fortnight,
) -> None:
    ws = _ws("drift-accept")
    seed_workspace(ws, fortnight.spec, status=Status.CONNECTED)
    _baseline(fortnight, ws)
    drift_day = START + dt.timedelta(days=8)
    for day in (drift_day, drift_day + dt.timedelta(days=1)):  # tracking changed for good
        fortnight.sim.add_fault("schema_drift", day=day.isoformat(), keep_ratio=0.02)

    fortnight.sync(drift_day + dt.timedelta(days=1), workspace_ids=[ws])
    held = integration(ws)
    assert held.drift_held_day == drift_day
    assert drift_day not in written_days(ws)
    assert held.consecutive_failures == 0 and held.status is Status.CONNECTED
    assert any(
        b.kind == "schema_drift" and b.severity == "yellow"
        for b in banners_for(held, dt.datetime.now(dt.UTC))
    )

    fortnight.sync(drift_day + dt.timedelta(days=2), workspace_ids=[ws])
    accepted = integration(ws)
    assert accepted.drift_held_day is None
    assert {drift_day, drift_day + dt.timedelta(days=1)} <= written_days(ws)
    assert [a.outcome for a in history(ws)].count("drift_held") == 1


def test_a_drift_day_then_recovery_writes_both_days(fortnight: Fortnight) -> None:
    ws = _ws("drift-recover")
    seed_workspace(ws, fortnight.spec, status=Status.CONNECTED)
    _baseline(fortnight, ws)
    drift_day = START + dt.timedelta(days=8)
    fortnight.sim.add_fault("schema_drift", day=drift_day.isoformat(), keep_ratio=0.02)

    fortnight.sync(drift_day + dt.timedelta(days=1), workspace_ids=[ws])
    assert integration(ws).drift_held_day == drift_day
    fortnight.sync(drift_day + dt.timedelta(days=2), workspace_ids=[ws])

    assert integration(ws).drift_held_day is None
    assert {drift_day, drift_day + dt.timedelta(days=1)} <= written_days(ws)


def test_re_running_a_written_day_replaces_it(fortnight: Fortnight) -> None:
    from usage_analytics import aws
    from usage_analytics.settings import get_settings
    from usage_analytics.storage.usage_days import UsageDayRepository

    ws = _ws("rerun")
    seed_workspace(ws, fortnight.spec, status=Status.CONNECTED)
    day = START + dt.timedelta(days=3)
    fortnight.sync(day + dt.timedelta(days=1), workspace_ids=[ws])
    repo = UsageDayRepository(aws.table(get_settings().usage_table))
    first = sorted((r.account_id, r.usage.events) for r in repo.day_rows(ws, day))

    fortnight.sync(day + dt.timedelta(days=1), workspace_ids=[ws], day=day.isoformat())

    assert first
    assert sorted((r.account_id, r.usage.events) for r in repo.day_rows(ws, day)) == first


def test_two_hundred_connected_workspaces_complete_in_one_run(fortnight: Fortnight) -> None:
    ids = [_ws("many") for _ in range(200)]
    for ws in ids:
        seed_workspace(ws, fortnight.spec, status=Status.CONNECTED, with_accounts=False)

    # 200 exports of one shared simulated project pass its 3-per-second limit: ~90 s alone,
    # more beside another test worker.
    fortnight.sync(START + dt.timedelta(days=1), timeout_s=1800, workspace_ids=ids)

    for ws in ids:
        assert [a.outcome for a in history(ws)] == ["succeeded"], ws
