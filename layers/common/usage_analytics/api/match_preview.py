"""Which of the probe's account values a mapping resolves, before anything is saved.

Uses the same `AccountIndex` as ingestion and the nightly rematch, so the preview cannot
promise a match that the sync would not make.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from usage_analytics.accounts.model import Account
from usage_analytics.api.errors import Conflict
from usage_analytics.api.loading import load_integration
from usage_analytics.api.mapping_check import check_mapping
from usage_analytics.api.ports import ApiServices
from usage_analytics.api.requests import MatchPreviewRequest
from usage_analytics.api.responses import MatchedValue, MatchPreview, UnmatchedValue, ValueCount
from usage_analytics.ingest.matching import AccountIndex
from usage_analytics.integration.model import Integration, Mapping, ProbeResult


def match_preview(
    services: ApiServices, workspace_id: str, request: MatchPreviewRequest
) -> MatchPreview:
    probe = finished_probe(load_integration(services, workspace_id))
    accounts = services.accounts.list(workspace_id)
    check_mapping(request.mapping, accounts)
    return preview(request.mapping, probe.account_values, request.excluded_keys, accounts)


def finished_probe(integration: Integration) -> ProbeResult:
    if integration.probe_status != "done" or integration.probe is None:
        raise Conflict(
            "The probe has not finished yet: choose the identity mode and wait for its results "
            "(GET .../probe) before previewing matches.",
            code="probe_not_ready",
            details={"probe_status": integration.probe_status},
        )
    return integration.probe


def preview(
    mapping: Mapping,
    values: Iterable[tuple[str, int]],
    excluded_keys: Iterable[str],
    accounts: Sequence[Account],
) -> MatchPreview:
    index = AccountIndex([a.for_matching() for a in accounts], mapping.account_mapping)
    names = {a.id: a.name for a in accounts}
    excluded_set = {key.strip() for key in excluded_keys if key.strip()}
    matched: list[MatchedValue] = []
    unmatched: list[UnmatchedValue] = []
    excluded: list[ValueCount] = []
    for value, count in values:
        if value.strip() in excluded_set:
            excluded.append(ValueCount(value=value, count=count))
            continue
        account_id = index.resolve(value)
        if account_id is None:
            candidates = list(index.candidates(value))
            unmatched.append(UnmatchedValue(value=value, count=count, candidates=candidates))
        else:
            matched.append(
                MatchedValue(value=value, count=count, account_id=account_id,
                             account_name=names.get(account_id, ""))
            )  # fmt: skip
    return MatchPreview(
        mapping=mapping,
        matched=matched,
        unmatched=unmatched,
        excluded=excluded,
        match_rate=_share(sum(m.count for m in matched), sum(u.count for u in unmatched)),
        value_match_rate=_share(len(matched), len(unmatched)),
    )


def _share(hits: int, misses: int) -> float:
    total = hits + misses
    return round(hits / total, 4) if total else 0.0
