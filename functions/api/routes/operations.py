"""The card's actions: retry a failed backfill, re-run the daily sync now."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from usage_analytics.api import operations
from usage_analytics.api.responses import Card, SyncStarted
from usage_analytics.api.routing import WorkspaceId, responses, route, services
from usage_analytics.auth.principal import WRITERS

router = Router()
BASE = "/v1/workspaces/<workspace_id>/integrations/mixpanel"
TAGS = ["integration"]


@route(
    router,
    "POST",
    WRITERS,
    f"{BASE}/backfill/retry",
    summary="Resume a failed backfill from the days not done yet",
    tags=TAGS,
    operation_id="retryBackfill",
    status_code=202,
    responses=responses(202, Card, 404, 409, 503, description="Backfill restarted"),
)
def retry_backfill(workspace_id: WorkspaceId) -> Card:
    return operations.retry_backfill(services(), workspace_id)


@route(
    router,
    "POST",
    WRITERS,
    f"{BASE}/sync",
    summary="Re-run the daily sync (yesterday) for this workspace now",
    tags=TAGS,
    operation_id="syncNow",
    status_code=202,
    responses=responses(202, SyncStarted, 404, 409, 503, description="Sync started"),
)
def sync_now(workspace_id: WorkspaceId) -> SyncStarted:
    return operations.sync_now(services(), workspace_id)
