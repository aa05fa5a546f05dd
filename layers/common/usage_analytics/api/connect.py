"""Step 1 of the wizard: verify the service account with Mixpanel, then store it.

Nothing is stored before Mixpanel accepts the credentials (SPEC "Connect"). Connecting
again overwrites: the same project keeps its configuration (re-credentialing), another
project starts the wizard over.
"""

from __future__ import annotations

from pydantic import ValidationError

from usage_analytics.api.card import build_card
from usage_analytics.api.errors import Unprocessable, UpstreamFailure
from usage_analytics.api.loading import check_version, save
from usage_analytics.api.mixpanel_errors import api_error
from usage_analytics.api.ports import ApiServices
from usage_analytics.api.requests import CredentialsRequest
from usage_analytics.api.responses import Card
from usage_analytics.integration.model import Integration, Status
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.mixpanel.errors import MixpanelError
from usage_analytics.mixpanel.models import ProjectInfo

CREDENTIAL_ERROR_CODES = frozenset(
    {"bad_credentials", "wrong_region", "project_forbidden", "project_not_found",
     "plan_without_api_access", "secret_not_found"}
)  # fmt: skip


def connect(services: ApiServices, workspace_id: str, request: CredentialsRequest) -> Card:
    existing = services.integrations.get(workspace_id)
    if existing is not None:
        check_version(existing, request.version)
    account = _service_account(request)
    project = verify(services, account)
    name = services.secret_name(workspace_id)
    try:
        services.secrets.put(name, account)
    except Exception as exc:  # whatever the store raised, its message may not be shown
        raise UpstreamFailure(
            "The credentials were verified but could not be stored. Try again.",
            code="secret_store_failure",
            details={"reason": type(exc).__name__},
        ) from None
    integration = _connected(services, workspace_id, existing, account, project, name)
    saved = save(services, integration, existing.version if existing else None)
    return build_card(services, saved)


def _service_account(request: CredentialsRequest) -> ServiceAccount:
    try:
        return ServiceAccount(
            username=request.username,
            secret=request.secret,
            project_id=request.project_id,
            region=request.region,
        )
    except ValidationError as exc:  # blank after trimming; the input is never echoed
        fields = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
        raise Unprocessable(
            f"Enter a service-account {' and '.join(fields) or 'credential'} that is not blank.",
            details={"fields": fields},
        ) from None


def verify(services: ApiServices, account: ServiceAccount) -> ProjectInfo:
    client = services.mixpanel(account)
    try:
        return client.verify(detect_region=True)
    except MixpanelError as exc:
        raise api_error(exc) from None
    finally:
        client.close()


def _connected(
    services: ApiServices,
    workspace_id: str,
    existing: Integration | None,
    account: ServiceAccount,
    project: ProjectInfo,
    secret_name: str,
) -> Integration:
    now = services.clock.now()
    same_project = (
        existing is not None
        and existing.project_id == account.project_id
        and existing.region == account.region
    )
    if existing is not None and same_project:
        return existing.model_copy(update=_recredentialed(existing, project, secret_name, now))
    return Integration(
        workspace_id=workspace_id,
        status=Status.CONFIGURING,
        region=account.region,
        project_id=account.project_id,
        project_timezone=project.timezone,
        secret_name=secret_name,
        created_at=existing.created_at if existing else now,
        updated_at=now,
        version=existing.version if existing else 0,
    )


def _recredentialed(
    existing: Integration, project: ProjectInfo, secret_name: str, now: object
) -> dict[str, object]:
    """New credentials for the same project: keep the configuration, clear what the old
    credentials broke."""
    changes: dict[str, object] = {
        "secret_name": secret_name,
        "project_timezone": project.timezone or existing.project_timezone,
        "updated_at": now,
    }
    if existing.last_error_code in CREDENTIAL_ERROR_CODES:
        changes.update(last_error=None, last_error_code=None, consecutive_failures=0)
        if existing.status is Status.ERROR:
            changes["status"] = Status.CONNECTED if existing.last_sync_at else Status.CONFIGURING
    return changes
