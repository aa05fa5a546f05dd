"""Step 2 of the wizard: how events name their account. Choosing it starts the probe."""

from __future__ import annotations

from usage_analytics.api.errors import Conflict, Unavailable, Unprocessable
from usage_analytics.api.loading import check_version, load_integration, save
from usage_analytics.api.ports import ApiServices
from usage_analytics.api.probe_view import probe_view
from usage_analytics.api.requests import IdentityRequest
from usage_analytics.api.responses import ProbeView
from usage_analytics.ingest.config import RESERVED_PROPERTIES
from usage_analytics.integration.model import Integration, Status


def choose_identity(
    services: ApiServices, workspace_id: str, request: IdentityRequest
) -> ProbeView:
    integration = load_integration(services, workspace_id)
    check_version(integration, request.version)
    refuse_while_backfilling(integration)
    key = _identity_key(request.key)
    probing = integration.model_copy(
        update={
            "identity_mode": request.mode,
            "identity_key": key,
            "status": Status.PROBING,
            "probe_status": "running",
            "probe_error": None,
            "probe": None,
            "updated_at": services.clock.now(),
        }
    )
    saved = save(services, probing, integration.version)
    try:
        services.start_probe(workspace_id, key)
    except Exception as exc:
        failed = saved.model_copy(
            update={"probe_status": "failed", "status": Status.CONFIGURING,
                    "probe_error": "The probe could not be started; choose the identity again."}
        )  # fmt: skip
        save(services, failed, saved.version)
        raise Unavailable(
            "The probe could not be started. Try again in a minute.",
            code="probe_not_started",
            details={"reason": type(exc).__name__},
        ) from None
    return probe_view(saved)


def _identity_key(raw: str) -> str:
    key = raw.strip()
    if not key:
        raise Unprocessable("The identity key is blank: enter a group key or user property.")
    if key in RESERVED_PROPERTIES:
        raise Unprocessable(
            f"{key!r} is an event field Mixpanel uses itself, not an account property: choose "
            "the group key or user property that names the account.",
            code="reserved_identity_key",
        )
    return key


def refuse_while_backfilling(integration: Integration) -> None:
    if integration.status is Status.BACKFILLING:
        raise Conflict(
            "A backfill is running for this integration; wait for it to finish (or fail) "
            "before changing the setup.",
            code="backfill_running",
        )
