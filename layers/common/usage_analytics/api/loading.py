"""Reading the integration for a request, and the optimistic-concurrency check."""

from __future__ import annotations

from usage_analytics.api.errors import Conflict, NotFound
from usage_analytics.api.ports import ApiServices
from usage_analytics.integration.model import Integration
from usage_analytics.integration.repository import VersionConflict


def load_integration(services: ApiServices, workspace_id: str) -> Integration:
    integration = services.integrations.get(workspace_id)
    if integration is None:
        raise NotFound(
            "This workspace has no Mixpanel integration yet: connect it with your "
            "service-account credentials first.",
            code="not_connected",
        )
    return integration


def check_version(integration: Integration, expected: int | None) -> None:
    """Refuse a write based on a card older than what is stored (SPEC: 409, not overwrite)."""
    if expected is not None and expected != integration.version:
        raise stale(integration)


def stale(integration: Integration) -> Conflict:
    return Conflict(
        "Someone changed this integration since you loaded it. Reload the card and apply "
        "your changes again.",
        code="version_conflict",
        details={"current_version": integration.version},
    )


def save(
    services: ApiServices, integration: Integration, expected_version: int | None
) -> Integration:
    """Save conditioned on the version read; a concurrent write becomes a 409."""
    try:
        return services.integrations.save(integration, expected_version=expected_version)
    except VersionConflict:
        current = services.integrations.get(integration.workspace_id)
        raise stale(current or integration) from None
