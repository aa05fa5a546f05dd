"""The usage, accounts and integrations tables in moto (in-process, no sockets), with the
repositories the recompute and the routes use, and helpers to seed a workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.unit.metrics.world import FEATURES, GROUP, D
from tests.unit.storage.conftest import create_table
from usage_analytics.accounts.model import Account
from usage_analytics.accounts.repository import AccountRepository
from usage_analytics.clock import FixedClock
from usage_analytics.events import RecordingPublisher
from usage_analytics.ingest.config import IdentityMode
from usage_analytics.ingest.rows import AccountDayRow, DayUsage
from usage_analytics.integration.model import Integration, MappingField
from usage_analytics.integration.model import Mapping as MappingModel
from usage_analytics.integration.repository import IntegrationRepository
from usage_analytics.metrics.directory import AccountDirectory
from usage_analytics.metrics.recompute import RecomputeDeps, RecomputeReport, recompute_workspace
from usage_analytics.metrics.rollup_store import RollupStore
from usage_analytics.metrics.rules import HealthWeights, SignalRules
from usage_analytics.metrics.services import MetricsServices
from usage_analytics.metrics.signal_store import SignalStore
from usage_analytics.metrics.window_rows import WindowRows
from usage_analytics.storage.tables import ACCOUNTS, INTEGRATIONS, USAGE
from usage_analytics.storage.usage_days import UsageDayRepository

WS = "ws-acme"
NOW = dt.datetime.combine(D + dt.timedelta(days=1), dt.time(5, 30), tzinfo=dt.UTC)


@dataclass
class Stack:
    resource: Any
    usage: Any = None
    accounts: Any = None
    integrations: Any = None
    publisher: RecordingPublisher = field(default_factory=RecordingPublisher)
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))

    def __post_init__(self) -> None:
        self.usage = create_table(self.resource, USAGE, "usage")
        self.accounts = create_table(self.resource, ACCOUNTS, "accounts")
        self.integrations = create_table(self.resource, INTEGRATIONS, "integrations")

    def deps(self, **overrides: Any) -> RecomputeDeps:
        values: dict[str, Any] = {
            "integrations": IntegrationRepository(self.integrations),
            "accounts": AccountRepository(self.accounts),
            "rows": WindowRows(self.usage),
            "rollups": RollupStore(self.usage),
            "signals": SignalStore(self.usage),
            "publish": self.publisher,
            "clock": self.clock,
            "weights": HealthWeights(),
            "rules": SignalRules(),
        }
        return RecomputeDeps(**{**values, **overrides})

    def recompute(self, workspace_id: str = WS, **overrides: Any) -> RecomputeReport:
        return recompute_workspace(self.deps(**overrides), workspace_id)

    def services(self) -> MetricsServices:
        return MetricsServices(
            rollups=RollupStore(self.usage),
            signals=SignalStore(self.usage),
            directory=AccountDirectory(self.accounts),
            integrations=IntegrationRepository(self.integrations),
        )

    def connect(
        self,
        workspace_id: str = WS,
        *,
        mode: IdentityMode = GROUP,
        last_synced_day: dt.date | None = D,
        features: list[str] | None = None,
    ) -> Integration:
        repo = IntegrationRepository(self.integrations)
        current = repo.get(workspace_id)
        integration = Integration(
            workspace_id=workspace_id,
            status="connected",
            project_id=1,
            secret_name="s",
            identity_mode=mode,
            identity_key="company_id",
            mapping=MappingModel(field=MappingField.CRM_ID),
            tracked_features=FEATURES if features is None else features,
            last_synced_day=last_synced_day,
            created_at=NOW,
            updated_at=NOW,
        )
        return repo.save(integration, expected_version=current.version if current else None)

    def add_accounts(self, *accounts: Mapping[str, Any], workspace_id: str = WS) -> None:
        AccountRepository(self.accounts).upsert(
            workspace_id, [Account.model_validate(a) for a in accounts]
        )

    def write_day(self, day: dt.date, rows: Mapping[str, DayUsage], workspace_id: str = WS) -> None:
        UsageDayRepository(self.usage).replace_day(
            workspace_id,
            day,
            [
                AccountDayRow(workspace_id=workspace_id, account_id=a, day=day, usage=u)
                for a, u in sorted(rows.items())
            ],
        )
