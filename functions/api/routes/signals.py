"""The signals inbox: usage-decline signals, newest week first."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from usage_analytics.api.routing import WorkspaceId, responses, route
from usage_analytics.auth.principal import READERS
from usage_analytics.metrics import reading
from usage_analytics.metrics.services import metrics_services
from usage_analytics.metrics.views import SignalPage

router = Router()


@route(
    router,
    "GET",
    READERS,
    "/v1/workspaces/<workspace_id>/signals",
    summary="Usage-decline signals",
    description="At most one per account per ISO week: the dimensions that dropped (events, "
    "active users, events per active user) with both weeks' values and the change, and a "
    "plain-language explanation with the numbers.",
    tags=["usage"],
    operation_id="listSignals",
    responses=responses(200, SignalPage),
)
def list_signals(
    workspace_id: WorkspaceId,
    type: Annotated[
        Literal["usage_decline"], Query(description="the signal type (usage_decline)")
    ] = "usage_decline",
    limit: Annotated[int, Query(ge=1, le=100, description="signals per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=1024, description="next_cursor of the previous page")
    ] = None,
) -> SignalPage:
    return reading.signals_page(metrics_services(), workspace_id, limit=limit, cursor=cursor)
