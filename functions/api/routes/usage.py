"""An account's Usage tab and health card, and the workspace table's usage columns."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from usage_analytics.accounts.model import ACCOUNT_ID_PATTERN
from usage_analytics.api.routing import WorkspaceId, responses, route
from usage_analytics.auth.principal import READERS
from usage_analytics.metrics import reading
from usage_analytics.metrics.services import metrics_services
from usage_analytics.metrics.views import (
    HealthView,
    SortKey,
    SortOrder,
    TablePage,
    UsageView,
)

router = Router()
BASE = "/v1/workspaces/<workspace_id>"
TAGS = ["usage"]
AccountId = Annotated[str, Path(pattern=ACCOUNT_ID_PATTERN, description="the account")]


@route(
    router,
    "GET",
    READERS,
    f"{BASE}/accounts/<account_id>/usage",
    summary="The account's Usage tab, as of yesterday",
    description="Events in 30 days with the week-over-week change, active users in 30 days "
    "with change (group mode), days active of 30, last seen, the 30-day daily series and "
    "the top features. `has_data` is false (and the numbers empty) until the account's "
    "first event. 404 `account_not_found` for an account the workspace does not have.",
    tags=TAGS,
    operation_id="getAccountUsage",
    responses=responses(200, UsageView, 404),
)
def get_usage(workspace_id: WorkspaceId, account_id: AccountId) -> UsageView:
    return reading.account_usage(metrics_services(), workspace_id, account_id)


@route(
    router,
    "GET",
    READERS,
    f"{BASE}/accounts/<account_id>/health",
    summary="The account's Adoption and Engagement scores with their inputs",
    description="Each pillar is 0-100: the sum of its inputs' points (value x weight), "
    "rounded half up. Each input says what it measured and how, for the card's details.",
    tags=TAGS,
    operation_id="getAccountHealth",
    responses=responses(200, HealthView, 404),
)
def get_health(workspace_id: WorkspaceId, account_id: AccountId) -> HealthView:
    return reading.account_health(metrics_services(), workspace_id, account_id)


@route(
    router,
    "GET",
    READERS,
    f"{BASE}/usage/accounts",
    summary="The workspace table's usage columns, sorted and paginated",
    description="Usage (30d), its week-over-week change and Seat Activation for every "
    "account. Accounts without a value (null change or activation) come last in both "
    "orders. Pass `next_cursor` back as `cursor` with the same sort and order.",
    tags=TAGS,
    operation_id="listAccountUsage",
    responses=responses(200, TablePage),
)
def list_usage(
    workspace_id: WorkspaceId,
    sort: Annotated[SortKey, Query(description="the column to sort by")] = "usage_30d",
    order: Annotated[SortOrder, Query(description="asc or desc")] = "desc",
    limit: Annotated[int, Query(ge=1, le=100, description="rows per page")] = 25,
    cursor: Annotated[
        str | None, Query(max_length=1024, description="next_cursor of the previous page")
    ] = None,
) -> TablePage:
    return reading.table_page(
        metrics_services(), workspace_id, sort=sort, order=order, limit=limit, cursor=cursor
    )
