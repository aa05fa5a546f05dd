"""Recompute a workspace's rollups, health and signals as of day D, after every daily
sync, backfill and rematch (the workflows call `recompute(workspace_id)`).

D is the integration's `last_synced_day`, the last day written. Every CRM account gets a
rollup (an account without usage shows 0 in the table), as does any account that still
has rows in the window. Rollups of accounts that are neither are deleted. Percentile
ranks need the whole workspace, so usage is computed for every account first (rows are
streamed account by account and dropped), then health, then the items are written.

Signals are group mode only, stored once per account and ISO week of D, and published on
the bus only by the run that stored them (`signal_store.py`). A failed publish is logged
and left for the next run, never allowed to fail the sync that called us.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from usage_analytics.accounts.model import Account
from usage_analytics.clock import Clock
from usage_analytics.events import USAGE_DECLINE, Publish
from usage_analytics.ingest.config import IdentityMode
from usage_analytics.integration.model import Integration
from usage_analytics.metrics.account_usage import AccountUsage, History, compute_account_usage
from usage_analytics.metrics.decline import UsageDeclineSignal, detect_decline
from usage_analytics.metrics.health import WorkspaceRanks, score_health
from usage_analytics.metrics.rollup import build_rollup
from usage_analytics.metrics.rollup_store import RollupStore
from usage_analytics.metrics.rules import HealthWeights, SignalRules
from usage_analytics.metrics.signal_store import SignalStore
from usage_analytics.metrics.window_rows import WindowRows
from usage_analytics.metrics.windows import Windows

log = logging.getLogger("usage_analytics.metrics")
RECENT_DAYS = 2  # read consistently, not through the lagging index (see window_rows.py)


class Integrations(Protocol):
    def get(self, workspace_id: str) -> Integration | None: ...


class Accounts(Protocol):
    def list(self, workspace_id: str) -> list[Account]: ...


@dataclass
class RecomputeDeps:
    integrations: Integrations
    accounts: Accounts
    rows: WindowRows
    rollups: RollupStore
    signals: SignalStore
    publish: Publish
    clock: Clock
    weights: HealthWeights
    rules: SignalRules


class RecomputeReport(BaseModel):
    workspace_id: str
    as_of: dt.date | None = None
    skipped: str | None = None
    accounts: int = 0
    accounts_with_usage: int = 0
    rollups_written: int = 0
    rollups_deleted: int = 0
    signals_detected: int = 0
    signals_published: int = 0
    signals_unpublished: int = 0


def recompute_workspace(deps: RecomputeDeps, workspace_id: str) -> RecomputeReport:
    integration = deps.integrations.get(workspace_id)
    if integration is None or not integration.configured or integration.identity_mode is None:
        return RecomputeReport(workspace_id=workspace_id, skipped="not configured")
    if integration.last_synced_day is None:
        return RecomputeReport(workspace_id=workspace_id, skipped="no day synced yet")
    as_of = integration.last_synced_day
    crm = {account.id: account for account in deps.accounts.list(workspace_id)}
    histories = deps.rollups.histories(workspace_id)
    if not crm and not histories:
        # Rollups are per CRM account: with none (yet), there is nothing to read or write.
        return RecomputeReport(workspace_id=workspace_id, skipped="no CRM accounts")
    usages = _usages(deps, integration, as_of, crm, histories)
    ranks = WorkspaceRanks(usages)
    rollups = [
        build_rollup(
            workspace_id,
            usage,
            score_health(usage, ranks, deps.weights),
            name=_name(crm, usage.account_id),
            config_id=integration.config_id,
        )
        for usage in usages
    ]
    written, deleted = deps.rollups.replace(workspace_id, rollups, histories)
    report = RecomputeReport(
        workspace_id=workspace_id,
        as_of=as_of,
        accounts=len(rollups),
        accounts_with_usage=ranks.ranked,
        rollups_written=written,
        rollups_deleted=deleted,
    )
    if integration.identity_mode is IdentityMode.GROUP:
        report = _signals(deps, workspace_id, usages, crm, report)
    log.info("recomputed %s as of %s", workspace_id, as_of, extra=report.model_dump(mode="json"))
    return report


def _name(crm: dict[str, Account], account_id: str) -> str:
    account = crm.get(account_id)
    return account.name if account else ""


def _usages(
    deps: RecomputeDeps,
    integration: Integration,
    as_of: dt.date,
    crm: dict[str, Account],
    histories: dict[str, History],
) -> list[AccountUsage]:
    windows = Windows(as_of)
    assert integration.identity_mode is not None
    config_id = integration.config_id

    def usage(account_id: str, rows: dict[dt.date, Any]) -> AccountUsage:
        history = histories.get(account_id)
        account = crm.get(account_id)
        return compute_account_usage(
            account_id,
            rows,
            as_of=as_of,
            mode=integration.identity_mode,  # type: ignore[arg-type]
            tracked_features=integration.tracked_features,
            seat_count=account.seat_count if account else None,
            history=history if history and history.config_id == config_id else None,
        )

    recent = windows.window.days[-RECENT_DAYS:]
    found = {
        account_id: usage(account_id, rows)
        for account_id, rows in deps.rows.read(
            integration.workspace_id, windows.window.days, accounts=crm, recent=recent
        )
    }
    for account_id in crm.keys() - found.keys():
        found[account_id] = usage(account_id, {})
    return [found[account_id] for account_id in sorted(found)]


def _signals(
    deps: RecomputeDeps,
    workspace_id: str,
    usages: list[AccountUsage],
    crm: dict[str, Account],
    report: RecomputeReport,
) -> RecomputeReport:
    detected = [
        signal
        for usage in usages
        if (signal := detect_decline(usage, deps.rules, name=_name(crm, usage.account_id)))
    ]
    published = unpublished = 0
    now = deps.clock.now()
    for signal in detected:
        claimed = deps.signals.claim(workspace_id, signal, now)
        if claimed is None:
            continue
        if _publish(deps, workspace_id, claimed):
            published += 1
        else:
            unpublished += 1
    return report.model_copy(
        update={
            "signals_detected": len(detected),
            "signals_published": published,
            "signals_unpublished": unpublished,
        }
    )


def _publish(deps: RecomputeDeps, workspace_id: str, signal: UsageDeclineSignal) -> bool:
    detail = {
        "workspace_id": workspace_id,
        "signal_id": f"{workspace_id}#{signal.signal_id}",
        **signal.model_dump(mode="json"),
    }
    try:
        deps.publish(USAGE_DECLINE, detail)
    except Exception as exc:  # the bus is down: the next run publishes it
        log.error(
            "usage-decline signal not published; the next recompute retries",
            extra={
                "workspace_id": workspace_id,
                "signal_id": signal.signal_id,
                "error_type": type(exc).__name__,
            },
        )
        return False
    deps.signals.mark_published(workspace_id, signal)
    return True
