"""SPEC "Nightly rematch": quarantined values matched again with the current mapping against
the current accounts; a match moves its per-day usage into the account's rows exactly once;
excluded values leave quarantine uncounted; the card's unmatched count is the quarantine."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.rematch.world import (
    ACME,
    DAYS,
    GLOBEX,
    NEWCO,
    WS,
    CrmAccount,
    World,
    integration,
    reference,
)
from usage_analytics.integration.model import MappingField, Status
from usage_analytics.workflows.rematch import rematch_workspace

NEWCO_VALUES = {"NEWCO.COM", "newco.com", "www.newco.com"}


@pytest.fixture
def world(dynamodb: Any) -> World:
    w = World.create(dynamodb)
    w.ingest_days()
    return w


def rematch(world: World, **kwargs: Any) -> dict[str, Any]:
    return rematch_workspace(world.deps(), workspace_id=WS, execution_id="exec-1", **kwargs)


def test_given_unmatched_values_over_days_then_each_waits_in_quarantine_with_its_days(
    world: World,
) -> None:
    assert world.quarantined() == {
        "NEWCO.COM": [DAYS[0], DAYS[2]],
        "newco.com": DAYS,
        "orphan.net": DAYS,
        "qa-internal": DAYS,
        "www.newco.com": DAYS,
    }
    assert world.quarantine.count(WS) == 5
    assert {v.value: v.total_events for v in world.quarantine.values(WS)}["www.newco.com"] == 6


def test_given_the_crm_gains_the_account_when_rematched_then_rows_equal_a_matched_ingest(
    world: World,
) -> None:
    world.accounts.append(NEWCO)

    result = rematch(world)

    expected = reference([ACME, GLOBEX, NEWCO], world.integrations.current)
    for day in DAYS:
        assert world.rows(day) == expected[day], day
    assert set(world.quarantined()) == {"orphan.net", "qa-internal"}
    assert result["promoted"] == 3 and result["promoted_days"] == 8
    assert result["promoted_events"] == 3 * 3 + 2  # three newco events a day, NEWCO.COM twice
    assert result["unmatched"] == world.quarantine.count(WS) == 2
    assert world.recomputed == [WS]


def test_given_values_spelled_differently_then_their_users_are_unioned_not_summed(
    world: World,
) -> None:
    world.accounts.append(NEWCO)
    rematch(world)

    row = world.usage.get(WS, NEWCO.id, DAYS[1])
    assert row is not None
    assert row.usage.events == 3  # newco.com (n1), www.newco.com (n1, n2)
    assert row.usage.active_users == 2  # n1 counted once across the two spellings


def test_a_rematch_records_in_sync_history_how_many_values_and_days_were_promoted(
    world: World,
) -> None:
    world.accounts.append(NEWCO)
    rematch(world)

    [attempt] = world.deps().history.recent(WS)
    assert (attempt.kind, attempt.outcome, attempt.execution_id) == (
        "rematch",
        "succeeded",
        "exec-1",
    )
    assert attempt.counts["promoted"] == 3 and attempt.counts["promoted_days"] == 8
    assert attempt.counts["unmatched"] == 2


def test_a_rerun_after_a_complete_rematch_changes_nothing(world: World) -> None:
    world.accounts.append(NEWCO)
    rematch(world)
    rows = {day: world.rows(day) for day in DAYS}
    quarantine = world.quarantined()

    again = rematch(world)

    assert {day: world.rows(day) for day in DAYS} == rows
    assert world.quarantined() == quarantine
    assert (again["promoted"], again["promoted_days"], again["excluded"]) == (0, 0, 0)
    assert world.recomputed == [WS]  # nothing promoted: no second recompute


def test_given_no_account_matches_yet_then_nothing_moves_and_nothing_is_recomputed(
    world: World,
) -> None:
    before = {day: world.rows(day) for day in DAYS}

    result = rematch(world)

    assert {day: world.rows(day) for day in DAYS} == before
    assert len(world.quarantined()) == 5 and result["unmatched"] == 5
    assert result["promoted"] == 0 and world.recomputed == []


def test_given_a_value_now_excluded_then_it_leaves_quarantine_and_is_never_counted(
    world: World,
) -> None:
    # newco.com is excluded even though the CRM now has the account: excluded wins.
    world.accounts.append(NEWCO)
    world.integrations.current = integration(excluded=("qa-internal", " newco.com "))

    result = rematch(world)

    assert set(world.quarantined()) == {"orphan.net"}
    assert (result["excluded"], result["excluded_days"]) == (2, 6)
    newco = world.usage.get(WS, NEWCO.id, DAYS[1])
    assert newco is not None and newco.usage.events == 2  # www.newco.com only
    assert all(r[0] != "qa-internal" for day in DAYS for r in world.rows(day))


def test_given_a_mapping_change_then_the_next_rematch_matches_with_the_new_mapping(
    world: World,
) -> None:
    # The CRM has newco under another domain, but a custom field names what Mixpanel sends.
    world.accounts.append(
        CrmAccount(id=NEWCO.id, domain="newco.example", custom_fields={"mp": "www.newco.com"})
    )
    assert rematch(world)["promoted"] == 0  # domain mapping: still nothing

    world.integrations.current = integration(mapping=MappingField.CUSTOM_FIELD, key="mp")
    result = rematch(world)

    assert result["promoted"] == 1 and result["promoted_days"] == 3
    assert "www.newco.com" not in world.quarantined()
    assert {"newco.com", "NEWCO.COM"} <= set(world.quarantined())  # exact match under cf::mp
    row = world.usage.get(WS, NEWCO.id, DAYS[0])
    assert row is not None and row.usage.events == 2  # n1 and n2 under www.newco.com


def test_an_account_value_shared_by_two_accounts_stays_in_quarantine(world: World) -> None:
    world.accounts += [NEWCO, CrmAccount(id="A-newco-dup", domain="www.newco.com")]

    result = rematch(world)

    assert result["promoted"] == 0 and set(world.quarantined()) >= NEWCO_VALUES


@pytest.mark.parametrize("status", [Status.BACKFILLING, Status.CONFIGURING, Status.PROBING])
def test_a_workspace_that_is_not_synced_is_skipped(world: World, status: Status) -> None:
    world.accounts.append(NEWCO)
    world.integrations.current = integration(status=status)

    result = rematch(world)

    assert result["outcome"] == "skipped"
    assert set(world.quarantined()) >= NEWCO_VALUES
    assert world.deps().history.recent(WS) == []


def test_when_time_runs_short_the_run_stops_and_the_next_one_finishes(world: World) -> None:
    world.accounts.append(NEWCO)
    clock = iter([1000.0, 1000.0, 10.0])  # room for two values, then out of time

    first = rematch(world, time_left=lambda: next(clock, 10.0))

    assert first["outcome"] == "partial" and first["stopped_early"] == 1
    assert world.deps().history.recent(WS)[0].outcome == "partial"
    second = rematch(world)
    assert second["outcome"] == "succeeded"
    expected = reference([ACME, GLOBEX, NEWCO], world.integrations.current)
    assert all(world.rows(day) == expected[day] for day in DAYS)
    assert first["promoted_days"] + second["promoted_days"] == 8
