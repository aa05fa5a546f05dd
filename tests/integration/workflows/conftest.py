"""A small realistic world for the workflows: the embedded AWS with the real stack, the
Mixpanel simulator, a workspace whose CRM accounts, secret and configuration are stored
exactly where the API would store them."""

from __future__ import annotations

import datetime as dt
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
    SimConfig,
    crm_accounts,
    start_simulator,
)
from usage_analytics import aws, wiring
from usage_analytics.integration.model import (
    IdentityMode,
    Integration,
    Mapping,
    MappingField,
    Status,
)
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.settings import get_settings, reset_settings

TODAY = dt.date(2026, 11, 20)
FEATURES = ["report_created", "dashboard_viewed", "export_csv", "invite_sent"]


@dataclass
class World:
    stack: Any
    sim: Any
    spec: ProjectSpec
    workspace_id: str

    def integration(self) -> Integration:
        found = wiring.integrations().get(self.workspace_id)
        assert found is not None
        return found

    def faults(self, *faults: dict[str, Any]) -> None:
        self.sim.set_faults(list(faults))

    def exports(self) -> list[dict[str, Any]]:
        return [r for r in self.sim.requests() if r["path"].endswith("/export")]


_SEEDED: list[str] = []


def forget_workspaces() -> None:
    """Tests leave no connected workspace behind: a later scheduled run in the same embedded
    AWS would otherwise try to sync it against a simulator that is gone."""
    while _SEEDED:
        wiring.integrations().delete(_SEEDED.pop())


def seed_workspace(
    workspace_id: str,
    spec: ProjectSpec,
    *,
    status: Status = Status.CONFIGURING,
    username: str = DEV_USERNAME,
    with_accounts: bool = True,
) -> None:
    _SEEDED.append(workspace_id)
    settings = get_settings()
    table = aws.table(settings.accounts_table)
    with table.batch_writer() as batch:
        for account in crm_accounts(spec=spec) if with_accounts else []:
            batch.put_item(Item={"pk": workspace_id, "sk": account["id"], **_dynamo(account)})
    secret = f"{settings.secret_prefix}{workspace_id}"
    wiring.secret_store().put(
        secret, ServiceAccount(username=username, secret=DEV_SECRET, project_id=DEV_PROJECT_ID)
    )
    now = dt.datetime.combine(spec.today, dt.time(12), tzinfo=dt.UTC)
    wiring.integrations().save(
        Integration(
            workspace_id=workspace_id,
            status=status,
            project_id=DEV_PROJECT_ID,
            project_timezone=spec.timezone,
            secret_name=secret,
            identity_mode=IdentityMode.GROUP,
            identity_key=spec.group_key,
            mapping=Mapping(field=MappingField.CRM_ID),
            tracked_features=FEATURES,
            excluded_keys=["qa-internal"],
            created_at=now,
            updated_at=now,
        ),
        expected_version=None,
    )


def _dynamo(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, float):
        return str(value)
    return value


@pytest.fixture
def world(local_stack: Any, workspace_id: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    spec = ProjectSpec(accounts=24, days=40, today=TODAY, hot_shard_days_ago=None)
    sim = start_simulator(SimConfig(project=spec, export_limits=UNLIMITED, query_limits=UNLIMITED))
    monkeypatch.setitem(os.environ, "MIXPANEL_BASE_URL", sim.base_url)
    monkeypatch.setitem(os.environ, "USAGE_ANALYTICS_TODAY", TODAY.isoformat())
    reset_settings()
    seed_workspace(workspace_id, spec)
    try:
        yield World(local_stack, sim, spec, workspace_id)
    finally:
        sim.stop()
        reset_settings()
        forget_workspaces()
