"""The card's buttons: Retry backfill, Sync now, Disconnect; and the sync history."""

from __future__ import annotations

from usage_analytics.api.backfill_start import start_backfill
from usage_analytics.api.card import build_card
from usage_analytics.api.errors import Conflict, Unavailable, UpstreamFailure
from usage_analytics.api.loading import load_integration, save
from usage_analytics.api.ports import ApiServices
from usage_analytics.api.responses import (
    Card,
    Disconnected,
    SyncAttemptView,
    SyncHistory,
    SyncStarted,
)
from usage_analytics.integration.model import Status

SYNCABLE = (Status.CONNECTED, Status.ERROR)


def retry_backfill(services: ApiServices, workspace_id: str) -> Card:
    """Resume a failed backfill: a new execution plans only the days not done yet."""
    integration = load_integration(services, workspace_id)
    if integration.status is not Status.BACKFILL_FAILED:
        raise Conflict(
            "There is no failed backfill to retry "
            f"(the integration is {integration.status.value}).",
            code="nothing_to_retry",
            details={"status": integration.status.value},
        )
    retrying = integration.model_copy(
        update={"status": Status.BACKFILLING, "backfill_error": None,
                "updated_at": services.clock.now()}
    )  # fmt: skip
    saved = save(services, retrying, integration.version)
    return build_card(services, start_backfill(services, saved))


def sync_now(services: ApiServices, workspace_id: str) -> SyncStarted:
    """Run the daily sync (yesterday) for this workspace now, outside the 05:00 schedule."""
    integration = load_integration(services, workspace_id)
    if integration.status not in SYNCABLE:
        raise Conflict(
            "Only a connected integration can be synced; finish the setup (or wait for the "
            f"backfill) first. It is {integration.status.value}.",
            code="not_syncable",
            details={"status": integration.status.value},
        )
    try:
        services.workflows.start_sync(workspace_id)
    except Exception as exc:
        raise Unavailable(
            "The sync could not be started. Try again in a minute.",
            code="sync_not_started",
            details={"reason": type(exc).__name__},
        ) from None
    return SyncStarted(
        workspace_id=workspace_id,
        started_at=services.clock.now(),
        message="The sync of yesterday's events started; the card updates when it ends.",
    )


def disconnect(services: ApiServices, workspace_id: str) -> Disconnected:
    """Delete the credentials, then the integration (which takes it out of every schedule:
    the daily sync and the rematch list workspaces from the integrations table).

    Usage already synced is kept: reconnecting the same configuration resumes where it
    stopped, and the platform's own data retention decides when workspace data goes.
    """
    integration = load_integration(services, workspace_id)
    try:
        services.secrets.delete(integration.secret_name)
    except Exception as exc:
        raise UpstreamFailure(
            "The stored credentials could not be deleted; nothing was disconnected. Try again.",
            code="secret_store_failure",
            details={"reason": type(exc).__name__},
        ) from None
    services.integrations.delete(workspace_id)
    return Disconnected(
        workspace_id=workspace_id,
        usage="kept",
        message="Mixpanel is disconnected: the credentials are deleted and no sync will run. "
        "Usage already synced is kept.",
    )


def sync_history(services: ApiServices, workspace_id: str, limit: int) -> SyncHistory:
    attempts = services.history(workspace_id, limit)
    return SyncHistory(attempts=[SyncAttemptView.model_validate(a.model_dump()) for a in attempts])
