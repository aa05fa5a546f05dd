"""Export one day from Mixpanel, ingest it and replace that day's rows: the step the
backfill runs per day and the daily sync runs for yesterday.

Mixpanel's failures are translated into the workflow errors the state machines retry
(rate limits, transient) or fail on (credentials, plan, permission), with the client's
admin-readable message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from usage_analytics.ingest.aggregator import TooManyAccountValues
from usage_analytics.ingest.decoding import ExportTerminatedEarly
from usage_analytics.ingest.engine import ingest_day
from usage_analytics.ingest.matching import CrmAccount
from usage_analytics.ingest.memory import DayTooLarge, MemoryBudget
from usage_analytics.ingest.rows import DayRows
from usage_analytics.integration.model import Integration
from usage_analytics.mixpanel import errors as mp
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.secrets import SecretNotFound, SecretStore
from usage_analytics.workflows.errors import (
    PermanentFailure,
    RateLimited,
    TransientFailure,
    coded,
)


class ExportSource(Protocol):
    """What a day's ingest needs of the Mixpanel client (a context manager that closes its
    connections)."""

    def __enter__(self) -> ExportSource: ...
    def __exit__(self, *exc: object) -> None: ...
    def export(self, day_from: dt.date, day_to: dt.date) -> Any: ...
    def engage_profiles(self, distinct_ids: Any, output_properties: Any) -> Any: ...


@dataclass
class DayIngestDeps:
    secrets: SecretStore
    mixpanel: Callable[[ServiceAccount], ExportSource]
    accounts: Callable[[str], list[CrmAccount]]
    write_day: Callable[[DayRows], Any]
    memory: MemoryBudget | None = None  # in Lambda: stop a day that outgrows the function


def fetch_day(integration: Integration, day: dt.date, deps: DayIngestDeps) -> DayRows:
    """Export and aggregate `day` (nothing written yet: the caller decides, e.g. the drift
    breaker may hold the day)."""
    config = integration.ingest_config()
    resolve = config.resolver(deps.accounts(integration.workspace_id))
    with mixpanel_errors():
        try:
            account = deps.secrets.get(integration.secret_name)
        except SecretNotFound:
            raise PermanentFailure(
                coded("secret_not_found", "No Mixpanel credentials are stored for this workspace.")
            ) from None
        with deps.mixpanel(account) as client, client.export(day, day) as lines:
            return ingest_day(
                lines,
                workspace_id=integration.workspace_id,
                day=day,
                config=config,
                resolve=resolve,
                profiles=None if config.is_group_mode else client,
                memory=deps.memory,
            )


COUNTED = (
    "lines_read",
    "malformed",
    "duplicates",
    "ignored_identity",
    "hotshard_restored",
    "no_account",
    "excluded",
    "attributed",
)


def day_counts(rows: DayRows) -> dict[str, int]:
    """What sync history records of a day: every bucket a line can land in."""
    counts = {name: int(getattr(rows.stats, name)) for name in COUNTED}
    counts.update(accounts=len(rows.accounts), quarantined_values=len(rows.quarantine))
    return counts


@contextmanager
def mixpanel_errors() -> Iterator[None]:
    try:
        yield
    except mp.RateLimited as exc:
        raise RateLimited(str(exc)) from None
    except (mp.TransientError, mp.Unreachable, ExportTerminatedEarly) as exc:
        raise TransientFailure(str(exc)) from None
    except mp.MixpanelError as exc:
        raise PermanentFailure(coded(exc.code, str(exc))) from None
    except TooManyAccountValues as exc:
        raise PermanentFailure(coded("identity", str(exc))) from None
    except DayTooLarge as exc:
        raise PermanentFailure(coded("day_too_large", str(exc))) from None
