"""A small world for the rematch: a workspace, a CRM that gains accounts, three days of
export lines ingested by the real engine into moto tables, and crash injection."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from tests.unit.ingest.world import FEATURES, T0, event
from tests.unit.storage.conftest import create_table
from tests.unit.storage.test_day_replace_crashes import Budget, CrashingTable
from usage_analytics.clock import FixedClock
from usage_analytics.ingest import CrmAccount, DayRows, ingest_day
from usage_analytics.ingest.sketch import distinct_estimate
from usage_analytics.integration.model import (
    IdentityMode,
    Integration,
    Mapping,
    MappingField,
    Status,
)
from usage_analytics.storage.day_writer import write_day
from usage_analytics.storage.promotion import QuarantinePromotion
from usage_analytics.storage.quarantine import QuarantineRepository
from usage_analytics.storage.tables import QUARANTINE, SYNC_HISTORY, USAGE
from usage_analytics.storage.usage_days import UsageDayRepository
from usage_analytics.sync_history import SyncHistoryRepository
from usage_analytics.workflows.rematch import RematchDeps

WS = "ws-rematch"
DAYS = [dt.date(2024, 6, 1) + dt.timedelta(days=i) for i in range(3)]
NOW = dt.datetime(2024, 6, 4, 2, tzinfo=dt.UTC)
_names = itertools.count()

ACME = CrmAccount(id="A-acme", domain="acme.com", external_crm_id="acme")
GLOBEX = CrmAccount(id="A-globex", domain="globex.io", external_crm_id="globex")
# The account the CRM gains later: its events carry "newco.com" and "www.newco.com".
NEWCO = CrmAccount(id="A-newco", domain="newco.com", external_crm_id="newco")


def day_lines(i: int) -> list[bytes]:
    """Day i: acme and globex (matched), newco under two spellings with a shared user,
    a consultant's event for acme and newco at once, and the QA value."""
    t = T0 + i * 86_400
    lines = [
        event("Report Viewed", time=t + 10, distinct_id="a1", company_id="acme.com"),
        event("Export CSV", time=t + 20, distinct_id="a2", company_id="acme.com"),
        event("Page View", time=t + 30, distinct_id="g1", company_id="globex.io"),
        event("Report Viewed", time=t + 40 + i, distinct_id="n1", company_id="newco.com"),
        event("Export CSV", time=t + 50, distinct_id="n1", company_id="www.newco.com"),
        event("Page View", time=t + 60 + i, distinct_id="n2", company_id=" www.newco.com "),
        event("Report Viewed", time=t + 70, distinct_id="c", company_id=["acme.com", "orphan.net"]),
        event("Page View", time=t + 80, distinct_id="q1", company_id="qa-internal"),
    ]
    if i != 1:  # newco's third spelling is only active on two days
        lines.append(event("Page View", time=t + 5, distinct_id="n3", company_id="NEWCO.COM"))
    return lines


def integration(
    *,
    mapping: MappingField = MappingField.DOMAIN,
    excluded: tuple[str, ...] = (),
    status: Status = Status.CONNECTED,
    key: str | None = None,
) -> Integration:
    return Integration(
        workspace_id=WS,
        status=status,
        project_id=1,
        secret_name="s",
        identity_mode=IdentityMode.GROUP,
        identity_key="company_id",
        mapping=Mapping(field=mapping, custom_field_key=key),
        tracked_features=list(FEATURES),
        excluded_keys=list(excluded),
        created_at=NOW,
        updated_at=NOW,
    )


class Integrations:
    def __init__(self, current: Integration) -> None:
        self.current = current

    def get(self, workspace_id: str) -> Integration | None:
        return self.current if workspace_id == self.current.workspace_id else None


def ingest(i: int, accounts: list[CrmAccount], current: Integration) -> DayRows:
    config = current.ingest_config()
    return ingest_day(
        day_lines(i), workspace_id=WS, day=DAYS[i], config=config,
        resolve=config.resolver(accounts),
    )  # fmt: skip


class CrashingClient:
    """A DynamoDB client whose transactions spend a crash budget: before the call (the
    transaction never reached DynamoDB) or after it (committed, then the reply was lost)."""

    def __init__(self, client: Any, budget: Budget, *, after_commit: bool = False) -> None:
        self._client, self._budget, self._after = client, budget, after_commit

    def transact_write_items(self, **kwargs: Any) -> Any:
        if not self._after:
            self._budget.spend()
        result = self._client.transact_write_items(**kwargs)
        if self._after:
            self._budget.spend()
        return result


@dataclass
class World:
    usage_table: Any
    quarantine_table: Any
    history_table: Any
    accounts: list[CrmAccount] = field(default_factory=lambda: [ACME, GLOBEX])
    integrations: Integrations = field(default_factory=lambda: Integrations(integration()))
    recomputed: list[str] = field(default_factory=list)
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))

    @classmethod
    def create(cls, dynamodb: Any) -> World:
        n = next(_names)
        return cls(
            create_table(dynamodb, USAGE, f"usage-{n}"),
            create_table(dynamodb, QUARANTINE, f"quarantine-{n}"),
            create_table(dynamodb, SYNC_HISTORY, f"history-{n}"),
        )

    def ingest_days(self) -> None:
        """The backfill: every day ingested with the CRM and configuration of the moment."""
        for i in range(len(DAYS)):
            rows = ingest(i, self.accounts, self.integrations.current)
            write_day(rows, usage_table=self.usage_table, quarantine_table=self.quarantine_table)

    def deps(self, budget: Budget | None = None, *, after_commit: bool = False) -> RematchDeps:
        quarantine = self.quarantine_table
        client = self.usage_table.meta.client
        if budget is not None:
            quarantine = CrashingTable(quarantine, budget)
            client = CrashingClient(client, budget, after_commit=after_commit)
        return RematchDeps(
            integrations=self.integrations,
            accounts=lambda ws: list(self.accounts),
            quarantine=QuarantineRepository(quarantine),
            promotion=QuarantinePromotion(self.usage_table, quarantine, client=client),
            history=SyncHistoryRepository(self.history_table),
            clock=self.clock,
            recompute=self.recomputed.append,
        )

    @property
    def quarantine(self) -> QuarantineRepository:
        return QuarantineRepository(self.quarantine_table)

    @property
    def usage(self) -> UsageDayRepository:
        return UsageDayRepository(self.usage_table)

    def rows(self, day: dt.date) -> list[tuple[Any, ...]]:
        return [row_key(r) for r in self.usage.day_rows(WS, day)]

    def quarantined(self) -> dict[str, list[dt.date]]:
        return {v.value: sorted(v.days) for v in self.quarantine.values(WS)}


def row_key(row: Any) -> tuple[Any, ...]:
    """What a reader sees of an account-day (the sketch by its distinct count)."""
    u = row.usage
    users = distinct_estimate([u.users_sketch]) if u.users_sketch else None
    return (row.account_id, u.events, tuple(sorted(u.feature_counts.items())), u.active_users,
            users, u.first_seen, u.last_seen)  # fmt: skip


def reference(accounts: list[CrmAccount], current: Integration) -> dict[dt.date, list[Any]]:
    """The rows a matched ingest gives: every day ingested with these accounts."""
    return {
        DAYS[i]: sorted(row_key(r) for r in ingest(i, accounts, current).accounts)
        for i in range(len(DAYS))
    }
