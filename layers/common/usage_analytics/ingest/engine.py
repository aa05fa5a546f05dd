"""Ingest one exported day: lines in, the day's rows out (the backfill and daily sync call this).

The engine does not talk to Mixpanel or DynamoDB itself: it takes the export's lines (any
iterable of bytes, e.g. the Mixpanel client's `export(...)` stream), an account resolver
and, in user-property mode, a profile lookup. Writing the rows is the repositories' job
(`usage_analytics.storage.day_writer.write_day`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from usage_analytics.ingest.aggregator import DayAggregator
from usage_analytics.ingest.config import IngestConfig, ResolveAccount
from usage_analytics.ingest.memory import MemoryBudget
from usage_analytics.ingest.profiles import ProfileSource, ProfileValues
from usage_analytics.ingest.rows import AccountDayRow, DayRows, QuarantineDayRow


def ingest_day(
    lines: Iterable[bytes],
    *,
    workspace_id: str,
    day: dt.date,
    config: IngestConfig,
    resolve: ResolveAccount,
    profiles: ProfileValues | ProfileSource | None = None,
    memory: MemoryBudget | None = None,
    native: bool | None = None,
) -> DayRows:
    """Aggregate one export day into account-day rows and quarantine day rows.

    `profiles` is required in user-property mode: a `ProfileValues` cache (share one across
    the days of a backfill) or anything with `engage_profiles(...)`, wrapped in a fresh
    cache for this day.

    `memory`, when given, stops a day that outgrows the function's memory. `native`: which
    per-event loop counts (`DayAggregator`); by default the C one when it is built.

    Raises `ExportTerminatedEarly` when the export says it is incomplete,
    `TooManyAccountValues` when the account property cannot be naming accounts, and
    `DayTooLarge` when the day does not fit in the memory budget.
    """
    if profiles is not None and not isinstance(profiles, ProfileValues):
        profiles = ProfileValues(profiles, config.account_property)
    aggregator = DayAggregator(config, resolve, profiles, memory=memory, native=native)
    aggregator.feed(lines)
    result = aggregator.result()
    return DayRows(
        workspace_id=workspace_id,
        day=day,
        accounts=[
            AccountDayRow(workspace_id=workspace_id, account_id=account_id, day=day, usage=u)
            for account_id, u in sorted(result.accounts.items())
        ],
        quarantine=[
            QuarantineDayRow(workspace_id=workspace_id, value=value, day=day, usage=u)
            for value, u in sorted(result.quarantine.items())
        ],
        stats=result.stats,
    )
