"""A rematch that crashes at any write, and is then retried or redriven, ends exactly where
an uninterrupted rematch ends: every promoted day counted once, nothing lost.

The crash budget counts each transaction and each quarantine write (the excluded value's
deletes, the emptied summaries). A crash before a transaction means it never reached
DynamoDB; a crash after one means it committed and the reply was lost."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.unit.rematch.world import NEWCO, WS, World, integration
from tests.unit.storage.test_day_replace_crashes import Budget, Crash
from tests.unit.storage.world import scan
from usage_analytics.workflows.rematch import rematch_workspace


def prepared(dynamodb: Any) -> World:
    world = World.create(dynamodb)
    world.ingest_days()
    world.accounts.append(NEWCO)
    world.integrations.current = integration(excluded=("qa-internal",))
    return world


def state(world: World) -> tuple[list[Any], list[Any]]:
    return scan(world.usage_table), scan(world.quarantine_table)


@pytest.mark.parametrize("after_commit", [False, True], ids=["before-commit", "reply-lost"])
def test_a_crash_at_any_write_then_a_rerun_gives_the_uninterrupted_result(
    dynamodb: Any, after_commit: bool
) -> None:
    clean = prepared(dynamodb)
    rematch_workspace(clean.deps(), workspace_id=WS)
    expected = state(clean)

    crashed_at = []
    for k in itertools.count():
        world = prepared(dynamodb)
        try:
            rematch_workspace(world.deps(Budget(k), after_commit=after_commit), workspace_id=WS)
        except Crash:
            crashed_at.append(k)
        else:
            break  # k exceeds the run's writes: every crash point was covered
        rerun = rematch_workspace(world.deps(), workspace_id=WS)
        assert state(world) == expected, f"crash at write {k}"
        assert rerun["unmatched"] == 1  # orphan.net
    # 8 promoted days, 3 emptied summaries, the excluded value's 3 days and its summary
    assert len(crashed_at) >= 8 + 3 + 4


def test_a_crash_after_some_promotions_leaves_the_rest_for_the_rerun(dynamodb: Any) -> None:
    world = prepared(dynamodb)
    with pytest.raises(Crash):
        rematch_workspace(world.deps(Budget(4)), workspace_id=WS)
    left = sum(len(d) for v, d in world.quarantined().items() if "newco" in v.lower())
    assert 0 < left < 8  # three newco spellings, eight days between them

    result = rematch_workspace(world.deps(), workspace_id=WS)

    assert result["promoted_days"] == left
    assert set(world.quarantined()) == {"orphan.net"}
