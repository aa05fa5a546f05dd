"""Rollups written straight into the store, for the table and route tests."""

from __future__ import annotations

from tests.unit.metrics.stack import WS, Stack
from tests.unit.metrics.world import D
from usage_analytics.metrics.account_usage import History
from usage_analytics.metrics.health import Health, Pillar
from usage_analytics.metrics.rollup import Rollup
from usage_analytics.metrics.rollup_store import RollupStore
from usage_analytics.metrics.views import UsageView

EMPTY = Pillar(score=0, inputs=[])


def rollup(
    account_id: str,
    usage_30d: int,
    change: float | None,
    activation: float | None,
    *,
    name: str = "",
    workspace_id: str = WS,
) -> Rollup:
    return Rollup(
        workspace_id=workspace_id,
        account_id=account_id,
        name=name or account_id.title(),
        as_of=D,
        usage=UsageView(
            account_id=account_id,
            has_data=usage_30d > 0,
            as_of=D,
            events_30d=usage_30d,
            events_change_pct=change,
            seat_activation=activation,
        ),
        health=Health(adoption=EMPTY, engagement=EMPTY),
        history=History(config_id="cfg"),
    )


# id, usage_30d, change, activation: ties on usage (b, c at 50), change (d, e at -40) and
# nulls in change (f, g) and activation (a, c, g)
TABLE = [
    rollup("a", 10, -40.5, None),
    rollup("b", 50, 12.0, 80.0),
    rollup("c", 50, None, None),
    rollup("d", 0, -40.0, 0.0),
    rollup("e", 900, -40.0, 150.0),
    rollup("f", 7, None, 25.5),
    rollup("g", 3, None, None),
]


def seed_table(stack: Stack, rollups: list[Rollup] = TABLE, workspace_id: str = WS) -> None:
    RollupStore(stack.usage).replace(workspace_id, rollups, existing=())
