"""What GET /probe shows: the probe's state and what it found on the sampled day."""

from __future__ import annotations

from usage_analytics.api.loading import load_integration
from usage_analytics.api.ports import ApiServices
from usage_analytics.api.responses import NameCount, ProbeStatus, ProbeView, ValueCount
from usage_analytics.integration.model import Integration, ProbeResult

SUGGESTED_FEATURES = 10
# Mixpanel's own bookkeeping and automatic events are not product features.
NOT_FEATURES = frozenset({"$identify", "$create_alias", "$merge", "$hotshard_events"})


def get_probe(services: ApiServices, workspace_id: str) -> ProbeView:
    return probe_view(load_integration(services, workspace_id))


def probe_view(integration: Integration) -> ProbeView:
    try:
        status = ProbeStatus(integration.probe_status or ProbeStatus.NOT_STARTED)
    except ValueError:
        status = ProbeStatus.NOT_STARTED
    view = ProbeView(
        status=status,
        error=integration.probe_error if status is ProbeStatus.FAILED else None,
        identity_mode=integration.identity_mode,
        identity_key=integration.identity_key,
    )
    if status is ProbeStatus.DONE and integration.probe is not None:
        return _with_result(view, integration.probe)
    return view


def _with_result(view: ProbeView, probe: ProbeResult) -> ProbeView:
    return view.model_copy(
        update={
            "day": probe.day,
            "events_sampled": probe.events_sampled,
            "event_names": [NameCount(name=n, count=c) for n, c in probe.event_names],
            "suggested_features": suggested_features(probe),
            "account_values": [ValueCount(value=v, count=c) for v, c in probe.account_values],
            "values_truncated": probe.values_truncated,
        }
    )


def suggested_features(probe: ProbeResult) -> list[str]:
    """The top events of the sampled day, skipping Mixpanel's own (`$...`) events."""
    names = [n for n, _ in probe.event_names if n not in NOT_FEATURES and not n.startswith("$")]
    return names[:SUGGESTED_FEATURES]
