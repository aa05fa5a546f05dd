"""Builds the real adapters from the settings, once per process (handlers call these)."""

from __future__ import annotations

from functools import cache
from typing import Any

from usage_analytics import aws
from usage_analytics.accounts.repository import AccountRepository
from usage_analytics.clock import default_clock
from usage_analytics.events import EventBusPublisher
from usage_analytics.ingest.matching import CrmAccount
from usage_analytics.ingest.memory import MemoryBudget
from usage_analytics.integration.repository import IntegrationRepository
from usage_analytics.metrics.recompute import RecomputeDeps, RecomputeReport, recompute_workspace
from usage_analytics.metrics.rollup_store import RollupStore
from usage_analytics.metrics.rules import HealthWeights, SignalRules
from usage_analytics.metrics.signal_store import SignalStore
from usage_analytics.metrics.window_rows import WindowRows
from usage_analytics.mixpanel.client import MixpanelClient
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.secrets import SecretsManagerStore
from usage_analytics.settings import get_settings
from usage_analytics.storage.promotion import QuarantinePromotion
from usage_analytics.storage.quarantine import QuarantineRepository
from usage_analytics.sync_history import SyncHistoryRepository
from usage_analytics.wire_logs import hold_wire_loggers_at_info
from usage_analytics.workflows.backfill import BackfillDeps
from usage_analytics.workflows.daily_sync import DailySyncDeps
from usage_analytics.workflows.day_ingest import DayIngestDeps
from usage_analytics.workflows.progress import ProgressRepository
from usage_analytics.workflows.rematch import RematchDeps


def integrations() -> IntegrationRepository:
    return IntegrationRepository(aws.table(get_settings().integrations_table))


def history() -> SyncHistoryRepository:
    return SyncHistoryRepository(aws.table(get_settings().sync_history_table))


def secret_store() -> SecretsManagerStore:
    hold_wire_loggers_at_info()  # botocore would log SecretString at DEBUG
    return SecretsManagerStore(aws.client("secretsmanager"))


def mixpanel_client(account: ServiceAccount) -> MixpanelClient:
    return MixpanelClient.from_settings(account)


def accounts() -> AccountRepository:
    return AccountRepository(aws.table(get_settings().accounts_table))


def crm_accounts(workspace_id: str) -> list[CrmAccount]:
    return [account.for_matching() for account in accounts().list(workspace_id)]


def write_day(rows: Any) -> None:
    from usage_analytics.storage.day_writer import write_day as write

    settings = get_settings()
    write(
        rows,
        usage_table=aws.table(settings.usage_table),
        quarantine_table=aws.table(settings.quarantine_table),
    )


@cache
def day_ingest_deps() -> DayIngestDeps:
    memory_mb = get_settings().function_memory_mb
    return DayIngestDeps(
        secrets=secret_store(),
        mixpanel=mixpanel_client,
        accounts=crm_accounts,
        write_day=write_day,
        memory=None if memory_mb is None else MemoryBudget(memory_mb),
    )


def publisher() -> EventBusPublisher:
    return EventBusPublisher(aws.client("events"), get_settings().event_bus_name)


def progress() -> ProgressRepository:
    return ProgressRepository(aws.table(get_settings().backfill_progress_table))


def daily_sync_deps() -> DailySyncDeps:
    return DailySyncDeps(
        integrations=integrations(),
        progress=progress(),
        history=history(),
        day=day_ingest_deps(),
        clock=default_clock(),
        publish=publisher(),
        recompute=recompute,
    )


def backfill_deps() -> BackfillDeps:
    return BackfillDeps(
        integrations=integrations(),
        progress=progress(),
        history=history(),
        day=day_ingest_deps(),
        clock=default_clock(),
        timeout_minutes=get_settings().backfill_timeout_minutes,
    )


def quarantine() -> QuarantineRepository:
    """Also the card's unmatched count: `quarantine().count(workspace_id)`."""
    return QuarantineRepository(aws.table(get_settings().quarantine_table))


def rematch_deps() -> RematchDeps:
    settings = get_settings()
    return RematchDeps(
        integrations=integrations(),
        accounts=crm_accounts,
        quarantine=quarantine(),
        promotion=QuarantinePromotion(
            aws.table(settings.usage_table), aws.table(settings.quarantine_table)
        ),
        history=history(),
        clock=default_clock(),
        recompute=recompute,
    )


def recompute_deps() -> RecomputeDeps:
    settings = get_settings()
    usage = aws.table(settings.usage_table)
    return RecomputeDeps(
        integrations=integrations(),
        accounts=AccountRepository(aws.table(settings.accounts_table)),
        rows=WindowRows(usage),
        rollups=RollupStore(usage),
        signals=SignalStore(usage),
        publish=publisher(),
        clock=default_clock(),
        weights=HealthWeights.from_settings(settings),
        rules=SignalRules.from_settings(settings),
    )


def recompute(workspace_id: str) -> RecomputeReport:
    """Rollups, health and signals of a workspace as of its last synced day: what the daily
    sync, the backfill's Finalize and the rematch call after writing rows."""
    return recompute_workspace(recompute_deps(), workspace_id)
