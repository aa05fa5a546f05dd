"""The probe Lambda's work: sample yesterday for the chosen identity, store the result.

Invoked asynchronously by the API after step 2. A result is stored only if the identity is
still the one it was started for (the admin may have changed it meanwhile); success sets
the status to `configuring`, a failure stores `probe_status=failed` with a message the
wizard shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from usage_analytics.clock import Clock
from usage_analytics.ingest.decoding import ExportTerminatedEarly
from usage_analytics.integration.model import IdentityMode, Integration, ProbeResult, Status
from usage_analytics.integration.repository import VersionConflict
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.mixpanel.errors import MixpanelError
from usage_analytics.probe.sampler import DaySample, add_profile_values, sample_day
from usage_analytics.secrets import SecretNotFound, SecretStore

LOG = logging.getLogger("usage_analytics.probe")
LIST_CAP = 200
SAVE_ATTEMPTS = 5


class ProbeClient(Protocol):
    def export(self, day_from: dt.date, day_to: dt.date) -> Any: ...

    def engage_profiles(self, distinct_ids: Any, output_properties: Any) -> Any: ...

    def close(self) -> None: ...


class IntegrationStore(Protocol):
    def get(self, workspace_id: str) -> Integration | None: ...

    def save(self, integration: Integration, *, expected_version: int | None) -> Integration: ...


@dataclass
class ProbeDeps:
    integrations: IntegrationStore
    secrets: SecretStore
    mixpanel: Callable[[ServiceAccount], ProbeClient]
    clock: Clock


def probe_day(integration: Integration, now: dt.datetime) -> dt.date:
    """Yesterday, complete in both frames Mixpanel may read export dates in (UTC for newer
    projects, the project's timezone for older ones): the earlier of the two."""
    try:
        zone = ZoneInfo(integration.project_timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    utc_yesterday = now.astimezone(dt.UTC).date() - dt.timedelta(days=1)
    local_yesterday = now.astimezone(zone).date() - dt.timedelta(days=1)
    return min(utc_yesterday, local_yesterday)


def run_probe(deps: ProbeDeps, workspace_id: str, identity_key: str) -> dict[str, Any]:
    integration = deps.integrations.get(workspace_id)
    if not _still_wanted(integration, identity_key):
        return {"workspace_id": workspace_id, "outcome": "superseded"}
    assert integration is not None and integration.identity_mode is not None
    day = probe_day(integration, deps.clock.now())
    try:
        result = _sample(deps, integration, day)
    except (MixpanelError, SecretNotFound, ExportTerminatedEarly) as exc:
        message = failure_message(exc)
        LOG.warning("probe failed for workspace %s: %s", workspace_id, type(exc).__name__)
        _record(deps, workspace_id, identity_key, probe_status="failed", probe_error=message,
                probe=None, status=Status.CONFIGURING)  # fmt: skip
        return {"workspace_id": workspace_id, "outcome": "failed", "error": message}
    _record(deps, workspace_id, identity_key, probe_status="done", probe_error=None,
            probe=result, status=Status.CONFIGURING)  # fmt: skip
    return {"workspace_id": workspace_id, "outcome": "done", "events": result.events_sampled}


def _still_wanted(integration: Integration | None, identity_key: str) -> bool:
    return (
        integration is not None
        and integration.identity_mode is not None
        and integration.identity_key == identity_key
        and integration.probe_status == "running"
    )


def _sample(deps: ProbeDeps, integration: Integration, day: dt.date) -> ProbeResult:
    assert integration.identity_mode is not None and integration.identity_key is not None
    account = deps.secrets.get(integration.secret_name)
    client = deps.mixpanel(account)
    try:
        with client.export(day, day) as lines:
            sample = sample_day(lines, integration.identity_mode, integration.identity_key)
        if integration.identity_mode is IdentityMode.USER_PROPERTY and sample.pending:
            profiles = client.engage_profiles(list(sample.pending), [integration.identity_key])
            add_profile_values(
                sample, ((d, props.get(integration.identity_key)) for d, props in profiles)
            )
    finally:
        client.close()
    return to_result(sample, day)


def to_result(sample: DaySample, day: dt.date) -> ProbeResult:
    values = sorted(sample.values.items(), key=lambda item: (-item[1], item[0]))
    names = sorted(sample.events.items(), key=lambda item: (-item[1], item[0]))
    return ProbeResult(
        day=day,
        event_names=names[:LIST_CAP],
        account_values=values[:LIST_CAP],
        events_sampled=sample.sampled,
        values_truncated=sample.values_truncated or len(values) > LIST_CAP,
    )


def failure_message(exc: Exception) -> str:
    if isinstance(exc, SecretNotFound):
        return "The stored Mixpanel credentials are missing: connect Mixpanel again."
    if isinstance(exc, ExportTerminatedEarly):
        return "Mixpanel ended the export early; choose the identity again to retry the probe."
    return str(exc)


def _record(deps: ProbeDeps, workspace_id: str, identity_key: str, **changes: Any) -> None:
    """Store the outcome unless the identity changed meanwhile (then it is not ours)."""
    for _ in range(SAVE_ATTEMPTS):
        current = deps.integrations.get(workspace_id)
        if not _still_wanted(current, identity_key):
            return
        assert current is not None
        changed = current.model_copy(update={**changes, "updated_at": deps.clock.now()})
        try:
            deps.integrations.save(changed, expected_version=current.version)
            return
        except VersionConflict:
            continue
    raise VersionConflict(workspace_id)
