"""The integration card, its sync history, and disconnect."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from usage_analytics.api import card, operations
from usage_analytics.api.responses import Card, Disconnected, SyncHistory
from usage_analytics.api.routing import WorkspaceId, responses, route, services
from usage_analytics.auth.principal import READERS, WRITERS

router = Router()
BASE = "/v1/workspaces/<workspace_id>/integrations/mixpanel"
TAGS = ["integration"]


@route(
    router,
    "GET",
    READERS,
    BASE,
    summary="The integration card",
    description="Status, identity, region, project, tracked features (of 25), mapping, "
    "exclusions, last successful sync, unmatched count, backfill progress, banners, version.",
    tags=TAGS,
    operation_id="getIntegrationCard",
    responses=responses(200, Card, 404),
)
def get_card(workspace_id: WorkspaceId) -> Card:
    return card.get_card(services(), workspace_id)


@route(
    router,
    "GET",
    READERS,
    f"{BASE}/sync-history",
    summary="Recent sync and backfill attempts",
    tags=TAGS,
    operation_id="getSyncHistory",
    responses=responses(200, SyncHistory),
)
def get_sync_history(
    workspace_id: WorkspaceId,
    limit: Annotated[int, Query(ge=1, le=100, description="attempts, newest first")] = 20,
) -> SyncHistory:
    return operations.sync_history(services(), workspace_id, limit)


@route(
    router,
    "DELETE",
    WRITERS,
    BASE,
    summary="Disconnect Mixpanel",
    description="Deletes the stored credentials and the integration (no schedule runs for "
    "it any more). Usage already synced is kept.",
    tags=TAGS,
    operation_id="disconnectIntegration",
    responses=responses(200, Disconnected, 404, 502),
)
def disconnect(workspace_id: WorkspaceId) -> Disconnected:
    return operations.disconnect(services(), workspace_id)
