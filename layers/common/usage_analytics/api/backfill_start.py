"""Starting a backfill execution and recording it on the integration."""

from __future__ import annotations

from typing import Any

from usage_analytics.api.errors import Unavailable
from usage_analytics.api.ports import ApiServices
from usage_analytics.integration.model import Integration, Status
from usage_analytics.integration.repository import VersionConflict, update_integration

ATTEMPTS = 5


def start_backfill(services: ApiServices, integration: Integration) -> Integration:
    """Start the backfill for an integration already saved as `backfilling`.

    The execution may start writing to the integration before we record its ARN, so the
    ARN is applied to whatever is current (re-read on a concurrent write).
    """
    workspace_id = integration.workspace_id
    try:
        arn = services.workflows.start_backfill(workspace_id)
    except Exception as exc:
        update_fields(
            services,
            workspace_id,
            status=Status.BACKFILL_FAILED,
            backfill_error="the backfill could not be started",
        )
        raise Unavailable(
            "The backfill could not be started. Use Retry backfill in a minute.",
            code="backfill_not_started",
            details={"reason": type(exc).__name__},
        ) from None
    return update_fields(services, workspace_id, backfill_execution_arn=arn)


def update_fields(services: ApiServices, workspace_id: str, **changes: Any) -> Integration:
    updated = update_integration(
        services.integrations,
        workspace_id,
        lambda _: changes,
        now=services.clock.now(),
        attempts=ATTEMPTS,
    )
    if updated is None:  # disconnected meanwhile: the caller answers 409
        raise VersionConflict(workspace_id)
    return updated
