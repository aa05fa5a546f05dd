"""The backfill through the real state machine, real handlers, the simulator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from local.mixpanel_sim import DEV_PROJECT_ID, DEV_SECRET, DEV_USERNAME
from tests.integration.workflows.conftest import World
from usage_analytics import aws, wiring
from usage_analytics.ingest.engine import ingest_day
from usage_analytics.integration.model import Status
from usage_analytics.mixpanel.client import MixpanelClient
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.settings import get_settings
from usage_analytics.storage.usage_days import UsageDayRepository
from usage_analytics.workflows.backfill import backfill_days

pytestmark = pytest.mark.integration


def _run_backfill(world: World) -> dict[str, Any]:
    return world.stack.run("backfill", {"workspace_id": world.workspace_id}, timeout_s=600)


def _stored(world: World, day: dt.date) -> list[tuple[Any, ...]]:
    repo = UsageDayRepository(aws.table(get_settings().usage_table))
    return sorted(_key(r) for r in repo.day_rows(world.workspace_id, day))


def _key(row: Any) -> tuple[Any, ...]:
    u = row.usage
    return (
        row.account_id,
        u.events,
        tuple(sorted(u.feature_counts.items())),
        u.active_users,
        u.first_seen,
        u.last_seen,
    )


def _reference(world: World, day: dt.date) -> list[tuple[Any, ...]]:
    """What the ingest engine gives for the day, straight from the simulator."""
    integration = world.integration()
    config = integration.ingest_config()
    account = ServiceAccount(username=DEV_USERNAME, secret=DEV_SECRET, project_id=DEV_PROJECT_ID)
    with (
        MixpanelClient(account, base_url=world.sim.base_url) as client,
        client.export(day, day) as lines,
    ):
        rows = ingest_day(
            lines,
            workspace_id=world.workspace_id,
            day=day,
            config=config,
            resolve=config.resolver(wiring.crm_accounts(world.workspace_id)),
        )
    return sorted(_key(r) for r in rows.accounts)


def test_a_clean_backfill_writes_what_the_ingest_engine_gives_day_by_day(world: World) -> None:
    result = _run_backfill(world)

    assert result["status"] == "SUCCEEDED", result.get("cause")
    integration = world.integration()
    assert integration.status is Status.CONNECTED
    days = backfill_days(integration, dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    assert days[-1] == dt.date(2026, 11, 19) and len(days) == 30
    assert wiring.progress().days_done(world.workspace_id, integration.config_id) == set(days)
    # Every day fetched. Under heavy load a request can fail and be retried (seen once in CI
    # with 2 workers on 2 busy cores; the rows stayed right), so this counts days, not requests.
    assert {r["params"]["from_date"] for r in world.exports()} == {d.isoformat() for d in days}
    for day in (days[0], days[14], days[-1]):
        stored = _stored(world, day)
        assert stored, f"no rows on {day}"
        assert stored == _reference(world, day)


def test_faults_are_retried_and_the_result_equals_a_clean_run(world: World) -> None:
    days = backfill_days(world.integration(), dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    # More failures in a row than the client retries by itself, so Step Functions retries too.
    world.sim.add_fault("rate_limit", retry_after=0, count=8, day=days[3].isoformat())
    world.sim.add_fault("terminated_early", after_lines=5, count=2, day=days[7].isoformat())
    world.sim.add_fault("http_error", status=503, count=6, day=days[11].isoformat())
    world.sim.add_fault("cut_connection", after_lines=3, count=2, day=days[15].isoformat())

    result = _run_backfill(world)

    assert result["status"] == "SUCCEEDED", result.get("cause")
    world.sim.clear_faults()
    for day in (days[3], days[7], days[11], days[15]):
        assert _stored(world, day) == _reference(world, day)
    assert world.integration().status is Status.CONNECTED


def test_revoked_credentials_fail_the_backfill_and_retry_fetches_only_the_missing_days(
    world: World,
) -> None:
    world.sim.add_fault("revoke_credentials", after_requests=6)

    failed = _run_backfill(world)

    assert failed["status"] == "FAILED"
    world.stack.aws.dispatcher.wait_idle()
    integration = world.integration()
    assert integration.status is Status.BACKFILL_FAILED
    assert integration.last_error_code == "bad_credentials"
    assert "reconnect" in (integration.backfill_error or "").lower()
    done_before = wiring.progress().days_done(world.workspace_id, integration.config_id)
    assert 0 < len(done_before) < 30

    world.sim.clear_faults()  # the admin reconnected with working credentials
    exports_before = len(world.exports())
    retried = _run_backfill(world)

    assert retried["status"] == "SUCCEEDED", retried.get("cause")
    assert world.integration().status is Status.CONNECTED
    assert len(world.exports()) - exports_before == 30 - len(done_before)


def test_every_step_rerun_after_success_changes_nothing(world: World) -> None:
    """What redrive relies on: a re-run of any state after it succeeded is a no-op."""
    from functions.backfill import day, finalize, mark_failed

    assert _run_backfill(world)["status"] == "SUCCEEDED"
    integration = world.integration()
    days = backfill_days(integration, dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    before = {d: _stored(world, d) for d in days}
    exports = len(world.exports())

    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).isoformat()
    for d in days:
        day.handler(
            {
                "workspace_id": world.workspace_id,
                "config_id": integration.config_id,
                "day": d.isoformat(),
                "deadline": deadline,
            },
            None,
        )
    finalize.handler(
        {
            "workspace_id": world.workspace_id,
            "config_id": integration.config_id,
            "execution_id": integration.backfill_execution_arn,
            "started_at": "2026-11-20T12:00:00Z",
        },
        None,
    )
    stale = mark_failed.handler(
        {
            "workspace_id": world.workspace_id,
            "execution_id": "arn:old",
            "error": {"Error": "X", "Cause": "boom"},
        },
        None,
    )

    assert stale == {"ignored": "a newer backfill owns the card"}
    assert {d: _stored(world, d) for d in days} == before
    assert len(world.exports()) == exports  # done days are not fetched again
    assert world.integration().status is Status.CONNECTED


def test_a_spent_time_budget_ends_in_backfill_failed_and_retry_resumes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from usage_analytics.settings import reset_settings

    monkeypatch.setenv("BACKFILL_TIMEOUT_MINUTES", "0")
    reset_settings()
    failed = _run_backfill(world)

    assert failed["status"] == "FAILED"
    integration = world.integration()
    assert integration.status is Status.BACKFILL_FAILED
    assert "ran out of time" in (integration.backfill_error or "")

    monkeypatch.setenv("BACKFILL_TIMEOUT_MINUTES", "30")
    reset_settings()
    assert _run_backfill(world)["status"] == "SUCCEEDED"
    assert world.integration().status is Status.CONNECTED
