"""The nightly rematch of one workspace (SPEC "Nightly rematch").

Every quarantined value is matched again with the *current* mapping against the *current*
CRM accounts, through the same resolver the ingest uses, so a company the CRM sync added
overnight, or a mapping changed since, takes effect here too. A value that now names an
account has each of its days promoted into that account's rows exactly once (see
`storage/promotion.py`); a value that is now an excluded key leaves quarantine uncounted;
the rest waits for the next night.

The run is idempotent, which is what makes Step Functions' Retry and on-call's redrive
safe: promoted days are no longer in quarantine, so a rerun finds only what is left. It
stops early when the Lambda's time runs short and the next run continues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from usage_analytics.clock import Clock
from usage_analytics.ingest.config import ResolveAccount
from usage_analytics.ingest.matching import CrmAccount
from usage_analytics.integration.model import Integration
from usage_analytics.storage.promotion import (
    PromotedDay,
    PromotionContention,
    QuarantinePromotion,
)
from usage_analytics.storage.quarantine import QuarantinedValue, QuarantineRepository
from usage_analytics.sync_history import SyncAttempt, SyncHistoryRepository
from usage_analytics.workflows.errors import TransientFailure
from usage_analytics.workflows.fan_out import JOB_STATUSES

# Stop taking new values with less than this left: one value is at most a few dozen
# transactions, and recompute and the history record still have to run.
TIME_MARGIN_S = 120.0


class IntegrationReader(Protocol):
    def get(self, workspace_id: str) -> Integration | None: ...


@dataclass
class RematchDeps:
    integrations: IntegrationReader
    accounts: Callable[[str], list[CrmAccount]]
    quarantine: QuarantineRepository
    promotion: QuarantinePromotion
    history: SyncHistoryRepository
    clock: Clock
    recompute: Callable[[str], Any] | None = None  # rollups, health, signals (issue 9)


class RematchCounts(BaseModel):
    """What one run did; recorded in sync history."""

    promoted: int = 0  # values that named an account and had days promoted
    promoted_days: int = 0
    promoted_events: int = 0
    excluded: int = 0  # values dropped because they are now excluded keys
    excluded_days: int = 0
    unmatched: int = 0  # the quarantine size after the run (the card's count)
    stopped_early: int = 0  # 1 when the run ran out of time (the next run continues)


def rematch_workspace(
    deps: RematchDeps,
    *,
    workspace_id: str,
    execution_id: str | None = None,
    time_left: Callable[[], float] | None = None,
) -> dict[str, Any]:
    """Promote what now matches, drop what is now excluded; record the attempt."""
    started = deps.clock.now()
    integration = deps.integrations.get(workspace_id)
    if (
        integration is None
        or not integration.configured
        or integration.status not in JOB_STATUSES["rematch"]
    ):
        status = integration.status.value if integration else "missing"
        return {"workspace_id": workspace_id, "outcome": "skipped", "status": status}
    config = integration.ingest_config()
    resolve = config.resolver(deps.accounts(workspace_id))
    counts = RematchCounts()
    for value in deps.quarantine.values(workspace_id):
        if time_left is not None and time_left() < TIME_MARGIN_S:
            counts.stopped_early = 1
            break
        if value.value in config.excluded_keys:
            deps.quarantine.remove_value(workspace_id, value.value)
            counts.excluded += 1
            counts.excluded_days += len(value.days)
        else:
            _rematch_value(deps, value, resolve, counts)
    if counts.promoted_days and deps.recompute is not None:
        deps.recompute(workspace_id)
    counts.unmatched = deps.quarantine.count(workspace_id)
    outcome = "partial" if counts.stopped_early else "succeeded"
    deps.history.record(
        workspace_id,
        SyncAttempt(
            kind="rematch",
            outcome=outcome,
            started_at=started,
            finished_at=deps.clock.now(),
            counts=counts.model_dump(),
            execution_id=execution_id,
        ),
    )
    return {"workspace_id": workspace_id, "outcome": outcome, **counts.model_dump()}


def _rematch_value(
    deps: RematchDeps, value: QuarantinedValue, resolve: ResolveAccount, counts: RematchCounts
) -> None:
    account_id = resolve(value.value)
    if account_id is None:
        if not value.days:  # left empty by a run that stopped before deleting it
            deps.promotion.drop_if_empty(value.workspace_id, value.value)
        return
    promoted = [
        promote(deps.promotion, value.workspace_id, value.value, day, account_id)
        for day in sorted(value.days)
    ]
    done = [p for p in promoted if p is not None]
    if done:
        counts.promoted += 1
        counts.promoted_days += len(done)
        counts.promoted_events += sum(p.events for p in done)
    deps.promotion.drop_if_empty(value.workspace_id, value.value)


def promote(
    promotion: QuarantinePromotion, workspace_id: str, value: str, day: dt.date, account_id: str
) -> PromotedDay | None:
    """One day's promotion; rows that keep changing under it make a retryable failure."""
    try:
        return promotion.promote(workspace_id, value, day, account_id)
    except PromotionContention as exc:
        raise TransientFailure(str(exc)) from None
