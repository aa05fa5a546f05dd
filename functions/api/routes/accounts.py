"""The CRM mirror: bulk upsert of the workspace's accounts."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from usage_analytics.api.accounts import upsert_accounts
from usage_analytics.api.requests import AccountsRequest
from usage_analytics.api.responses import AccountsUpserted
from usage_analytics.api.routing import WorkspaceId, responses, route, services
from usage_analytics.auth.principal import SERVICE_WRITERS

router = Router()


@route(
    router,
    "PUT",
    SERVICE_WRITERS,
    "/v1/workspaces/<workspace_id>/accounts",
    summary="Bulk upsert of CRM accounts (up to 1,000 per request)",
    description="Admins, owners and the platform's CRM sync (role `service`).",
    tags=["accounts"],
    operation_id="upsertAccounts",
    responses=responses(200, AccountsUpserted),
)
def put_accounts(
    workspace_id: WorkspaceId, body: Annotated[AccountsRequest, Body()]
) -> AccountsUpserted:
    return upsert_accounts(services(), workspace_id, body)
