"""The nightly rematch through the real state machine, real handlers, the simulator: values
quarantined by the backfill wait; the CRM gains their accounts; the rematch promotes them
with exactly the day-by-day rows a matched ingest gives, once, even across crashes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr

from local.mixpanel_sim import DEV_PROJECT_ID, DEV_SECRET, DEV_USERNAME, crm_late_additions
from tests.integration.workflows.conftest import World
from usage_analytics import aws, wiring
from usage_analytics.accounts import Account, AccountRepository
from usage_analytics.ingest.engine import ingest_day
from usage_analytics.ingest.rows import DayRows
from usage_analytics.ingest.sketch import distinct_estimate
from usage_analytics.integration.model import Integration, Mapping, MappingField
from usage_analytics.mixpanel.client import MixpanelClient
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.settings import get_settings
from usage_analytics.storage.promotion import QuarantinePromotion
from usage_analytics.storage.usage_days import UsageDayRepository
from usage_analytics.workflows.backfill import backfill_days
from usage_analytics.workflows.errors import TransientFailure

pytestmark = pytest.mark.integration

NOON = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def backfill(world: World) -> list[dt.date]:
    result = world.stack.run("backfill", {"workspace_id": world.workspace_id}, timeout_s=600)
    assert result["status"] == "SUCCEEDED", result.get("cause")
    return backfill_days(world.integration(), NOON)


def rematch(world: World) -> dict[str, Any]:
    """One nightly run, for this workspace only (other tests' workspaces share the stack)."""
    result = world.stack.run("rematch", {"workspace_ids": [world.workspace_id]}, timeout_s=600)
    assert result["status"] == "SUCCEEDED", result.get("cause")
    return last_attempt(world, result["executionArn"])


def last_attempt(world: World, execution: str) -> dict[str, Any]:
    """The run's sync-history record (the pinned clock gives every run the same start)."""
    attempts = wiring.history().recent(world.workspace_id)
    mine = [a for a in attempts if a.kind == "rematch" and a.execution_id == execution]
    assert len(mine) == 1, attempts
    return mine[0].model_dump()


def export_lines(world: World, days: list[dt.date]) -> dict[dt.date, list[bytes]]:
    account = ServiceAccount(
        username=DEV_USERNAME, secret=SecretStr(DEV_SECRET), project_id=DEV_PROJECT_ID
    )
    lines: dict[dt.date, list[bytes]] = {}
    with MixpanelClient(account, base_url=world.sim.base_url) as client:
        for day in days:
            with client.export(day, day) as stream:
                lines[day] = list(stream)
    return lines


def engine(world: World, lines: dict[dt.date, list[bytes]]) -> dict[dt.date, DayRows]:
    """What a matched ingest gives with the accounts and configuration stored right now."""
    config = world.integration().ingest_config()
    resolve = config.resolver(wiring.crm_accounts(world.workspace_id))
    return {
        day: ingest_day(
            day_lines, workspace_id=world.workspace_id, day=day, config=config, resolve=resolve
        )
        for day, day_lines in lines.items()
    }


def key(row: Any) -> tuple[Any, ...]:
    u = row.usage
    users = distinct_estimate([u.users_sketch]) if u.users_sketch else None
    return (row.account_id, u.events, tuple(sorted(u.feature_counts.items())), u.active_users,
            users, u.first_seen, u.last_seen)  # fmt: skip


def stored(world: World, day: dt.date) -> list[tuple[Any, ...]]:
    repo = UsageDayRepository(aws.table(get_settings().usage_table))
    return sorted(key(r) for r in repo.day_rows(world.workspace_id, day))


def quarantined(world: World) -> dict[str, set[dt.date]]:
    return {v.value: set(v.days) for v in wiring.quarantine().values(world.workspace_id)}


def crm_gains(world: World, records: list[dict[str, Any]]) -> None:
    """The platform's CRM sync upserts accounts (PUT /accounts does the same)."""
    accounts = [Account.model_validate(r) for r in records]
    AccountRepository(aws.table(get_settings().accounts_table)).upsert(world.workspace_id, accounts)


def reconfigure(world: World, **changes: Any) -> Integration:
    current = world.integration()
    return wiring.integrations().save(
        current.model_copy(update=changes), expected_version=current.version
    )


def late_values(world: World) -> set[str]:
    return {str(r["external_crm_id"]) for r in crm_late_additions(spec=world.spec)}


def test_unmatched_values_accumulate_and_rematch_promotes_them_as_a_matched_ingest_would(
    world: World,
) -> None:
    days = backfill(world)
    lines = export_lines(world, days)
    before = engine(world, lines)

    # Given: the backfill quarantined the late accounts' values, day after day.
    waiting = quarantined(world)
    late = late_values(world)
    assert late and late <= set(waiting)
    for value in late:
        expected_days = {d for d in days if any(q.value == value for q in before[d].quarantine)}
        assert waiting[value] == expected_days and len(expected_days) > 1
    assert wiring.quarantine().count(world.workspace_id) == len(waiting)

    # When: the CRM gains those accounts and the nightly rematch runs.
    crm_gains(world, crm_late_additions(spec=world.spec))
    attempt = rematch(world)

    # Then: every day equals a matched ingest with today's CRM, and the values left.
    after = engine(world, lines)
    for day in days:
        assert stored(world, day) == sorted(key(r) for r in after[day].accounts), day
    remaining = quarantined(world)
    assert not late & set(remaining)
    assert set(remaining) == set(waiting) - late
    assert attempt["outcome"] == "succeeded"
    assert attempt["counts"]["promoted"] == len(late)
    assert attempt["counts"]["promoted_days"] == sum(len(waiting[v]) for v in late)
    assert attempt["counts"]["unmatched"] == len(remaining)
    assert wiring.quarantine().count(world.workspace_id) == len(remaining)

    # And a rerun (the next night, or a redrive) changes nothing.
    rows = {day: stored(world, day) for day in days}
    again = rematch(world)
    assert {day: stored(world, day) for day in days} == rows
    assert again["counts"]["promoted"] == 0 and again["counts"]["promoted_days"] == 0
    assert quarantined(world) == remaining


def crash_after(
    commits: int, error: Callable[[str], Exception], state: dict[str, Any]
) -> Callable[..., Any]:
    """A promotion whose reply is lost once, after `commits` committed transactions."""
    real = QuarantinePromotion._commit
    state.update(left=commits, crashed=False)

    def commit(self: QuarantinePromotion, *args: Any) -> None:
        real(self, *args)
        state["left"] -= 1
        if state["left"] < 0 and not state["crashed"]:
            state["crashed"] = True
            raise error("the Lambda died right after a promotion committed")

    return commit


@pytest.mark.parametrize(
    ("error", "runs"),
    [(TransientFailure, 1), (RuntimeError, 2)],
    ids=["retried-by-the-state-machine", "failed-then-run-again"],
)
def test_a_rematch_that_crashes_midway_counts_every_day_once_when_retried_or_rerun(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    error: Callable[[str], Exception],
    runs: int,
) -> None:
    days = backfill(world)
    lines = export_lines(world, days)
    crm_gains(world, crm_late_additions(spec=world.spec))
    crash: dict[str, Any] = {}
    monkeypatch.setattr(QuarantinePromotion, "_commit", crash_after(3, error, crash))

    payload = {"workspace_ids": [world.workspace_id]}
    first = world.stack.run("rematch", payload, timeout_s=600)
    assert first["status"] == "SUCCEEDED", first.get("cause")  # the child catches its failure
    failures = [a for a in wiring.history().recent(world.workspace_id) if a.outcome == "failed"]
    if runs == 2:  # not retryable: caught and recorded; on-call redrives (same input)
        assert [(a.kind, "died" in (a.error or "")) for a in failures] == [("rematch", True)]
        assert late_values(world) & set(quarantined(world))
        assert rematch(world)["outcome"] == "succeeded"
    else:
        assert failures == []
        assert last_attempt(world, first["executionArn"])["outcome"] == "succeeded"

    assert crash["crashed"]  # the fourth promotion committed, then its Lambda died
    after = engine(world, lines)
    for day in days:
        assert stored(world, day) == sorted(key(r) for r in after[day].accounts), day
    assert not late_values(world) & set(quarantined(world))


def test_excluded_values_leave_quarantine_and_a_new_mapping_applies_at_the_next_rematch(
    world: World,
) -> None:
    days = backfill(world)
    lines = export_lines(world, days)
    waiting = quarantined(world)
    assert "test" in waiting  # the QA value nobody excluded yet
    # Accounts under another CRM id are found by the custom field that names the group value.
    by_custom_field = {
        str(a.custom_fields["mixpanel_id"])
        for a in wiring.crm_accounts(world.workspace_id)
        if "mixpanel_id" in a.custom_fields
    } & set(waiting)
    assert by_custom_field

    reconfigure(
        world,
        excluded_keys=[*world.integration().excluded_keys, "test"],
        mapping=Mapping(field=MappingField.CUSTOM_FIELD, custom_field_key="mixpanel_id"),
    )
    attempt = rematch(world)

    remaining = quarantined(world)
    assert "test" not in remaining and attempt["counts"]["excluded"] == 1
    assert not by_custom_field & set(remaining)
    assert attempt["counts"]["promoted"] == len(by_custom_field)
    promoted_accounts = {
        a.id
        for a in wiring.crm_accounts(world.workspace_id)
        if str(a.custom_fields.get("mixpanel_id")) in by_custom_field
    }
    after = engine(world, lines)  # the new mapping, for the promoted accounts' rows
    for day in days:
        mine = [k for k in stored(world, day) if k[0] in promoted_accounts]
        assert mine == sorted(
            key(r) for r in after[day].accounts if r.account_id in promoted_accounts
        )
        assert all(k[0] != "test" for k in stored(world, day))
