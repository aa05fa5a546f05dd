"""A small world for ingest tests: export lines built like Mixpanel's, accounts, fakes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from usage_analytics.ingest import (
    AccountMapping,
    DayRows,
    IngestConfig,
    MemoryBudget,
    ProfileValues,
    ingest_day,
)

DAY = dt.date(2024, 6, 1)
T0 = 1_717_200_000  # 2024-06-01T00:00:00Z
MISSING = object()

ACCOUNTS: list[dict[str, Any]] = [
    {"id": "A-acme", "name": "Acme", "domain": "acme.com", "external_crm_id": "acme"},
    {"id": "A-globex", "name": "Globex", "domain": "www.globex.io", "external_crm_id": "globex"},
    {"id": "A-42", "name": "Forty-two", "domain": "42.example", "external_crm_id": 42},
    {"id": "A-initech", "name": "Initech", "domain": "initech.com", "external_crm_id": "initech"},
]
FEATURES = ("Report Viewed", "Export CSV")


def event(
    name: str = "Page View",
    *,
    time: Any = T0,
    distinct_id: Any = "u1",
    insert_id: Any = MISSING,
    **properties: Any,
) -> bytes:
    """One export line. `insert_id` defaults to a unique id; pass None to leave it out."""
    props: dict[str, Any] = {"time": time, "distinct_id": distinct_id}
    if insert_id is MISSING:
        event.counter += 1  # type: ignore[attr-defined]
        props["$insert_id"] = f"iid-{event.counter}"  # type: ignore[attr-defined]
    elif insert_id is not None:
        props["$insert_id"] = insert_id
    props.update(properties)
    props.setdefault("$browser", "Chrome")
    return json.dumps({"event": name, "properties": props}).encode() + b"\n"


event.counter = 0  # type: ignore[attr-defined]


def group_config(**overrides: Any) -> IngestConfig:
    kwargs: dict[str, Any] = {
        "tracked_features": FEATURES,
        "mapping": AccountMapping.parse("crm_id"),
    }
    kwargs.update(overrides)
    return IngestConfig.group(kwargs.pop("group_key", "company_id"), **kwargs)


def user_property_config(**overrides: Any) -> IngestConfig:
    kwargs: dict[str, Any] = {
        "tracked_features": FEATURES,
        "mapping": AccountMapping.parse("domain"),
    }
    kwargs.update(overrides)
    return IngestConfig.user_property(kwargs.pop("property_name", "company_domain"), **kwargs)


class FakeProfiles:
    """Engage in memory: records every call so tests can check batching and caching."""

    def __init__(self, profiles: Mapping[str, Mapping[str, Any]]) -> None:
        self._profiles = profiles
        self.calls: list[list[str]] = []

    def engage_profiles(
        self, distinct_ids: Sequence[str], output_properties: Sequence[str]
    ) -> Iterable[tuple[str, Mapping[str, Any]]]:
        self.calls.append(list(distinct_ids))
        for distinct_id in distinct_ids:
            if distinct_id in self._profiles:
                props = self._profiles[distinct_id]
                yield distinct_id, {k: props[k] for k in output_properties if k in props}


def run(
    lines: Iterable[bytes],
    config: IngestConfig | None = None,
    accounts: Sequence[Mapping[str, Any]] = ACCOUNTS,
    profiles: FakeProfiles | ProfileValues | None = None,
    day: dt.date = DAY,
    memory: MemoryBudget | None = None,
) -> DayRows:
    config = config or group_config()
    return ingest_day(
        lines,
        workspace_id="ws-1",
        day=day,
        config=config,
        resolve=config.resolver(accounts),
        profiles=profiles,
        memory=memory,
    )


def by_account(rows: DayRows) -> dict[str, Any]:
    return {row.account_id: row.usage for row in rows.accounts}


def by_value(rows: DayRows) -> dict[str, Any]:
    return {row.value: row.usage for row in rows.quarantine}
