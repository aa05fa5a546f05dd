"""The assistant's usage tools as routes, and their published JSON tool schemas."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from usage_analytics.api.errors import Unauthorized
from usage_analytics.api.routing import WorkspaceId, request_caller, responses, route
from usage_analytics.auth.principal import READERS
from usage_analytics.metrics import assistant
from usage_analytics.metrics.assistant_models import (
    AccountUsageAnswer,
    GetAccountUsageInput,
    RankAccountsInput,
    RankingAnswer,
)
from usage_analytics.metrics.services import metrics_services
from usage_analytics.metrics.tools import ToolCatalog, catalog

router = Router()
BASE = "/v1/workspaces/<workspace_id>/assistant"
TAGS = ["assistant"]


@route(
    router,
    "POST",
    READERS,
    f"{BASE}/get_account_usage",
    summary="Tool: one account's usage, by account id or by name",
    description="`outcome` is found, ambiguous (the name matches several accounts: "
    "`candidates` lists them) or not_found; `answer` says it in plain language.",
    tags=TAGS,
    operation_id="toolGetAccountUsage",
    responses=responses(200, AccountUsageAnswer),
)
def get_account_usage(
    workspace_id: WorkspaceId, body: Annotated[GetAccountUsageInput, Body()]
) -> AccountUsageAnswer:
    return assistant.get_account_usage(metrics_services(), workspace_id, body)


@route(
    router,
    "POST",
    READERS,
    f"{BASE}/rank_accounts_by_usage",
    summary="Tool: rank accounts by usage",
    description="steepest_decline (events this week against last week, declines only), "
    "most_active or least_active (events in 30 days).",
    tags=TAGS,
    operation_id="toolRankAccountsByUsage",
    responses=responses(200, RankingAnswer),
)
def rank_accounts_by_usage(
    workspace_id: WorkspaceId, body: Annotated[RankAccountsInput, Body()]
) -> RankingAnswer:
    return assistant.rank_accounts_by_usage(metrics_services(), workspace_id, body)


@router.get(
    "/v1/assistant/tools",
    summary="The assistant's tool schemas",
    description="Name, description and JSON Schema input of each tool, ready to hand to a "
    "model as its tool definitions; `endpoint` says where to POST a call.",
    tags=TAGS,
    operation_id="listAssistantTools",
    responses=responses(200, ToolCatalog),
)
def list_tools() -> ToolCatalog:
    if request_caller(router) is None:
        raise Unauthorized("Sign in: this request carries no valid token.")
    return catalog()
