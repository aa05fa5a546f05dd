"""The setup wizard: credentials (1), identity (2) and its probe, match preview,
configuration (3)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from usage_analytics.api import configure, connect, identity, match_preview, probe_view
from usage_analytics.api.requests import (
    ConfigurationRequest,
    CredentialsRequest,
    IdentityRequest,
    MatchPreviewRequest,
)
from usage_analytics.api.responses import Card, MatchPreview, ProbeView
from usage_analytics.api.routing import WorkspaceId, responses, route, services
from usage_analytics.auth.principal import READERS, WRITERS

router = Router()
BASE = "/v1/workspaces/<workspace_id>/integrations/mixpanel"
TAGS = ["setup wizard"]


@route(
    router,
    "POST",
    WRITERS,
    f"{BASE}/credentials",
    summary="Step 1: connect with a Mixpanel service account",
    description="Verifies the credentials with Mixpanel (detecting a wrong region), then "
    "stores them in Secrets Manager. A refusal says what failed (error.code mixpanel_*).",
    tags=TAGS,
    operation_id="connectMixpanel",
    responses=responses(200, Card, 400, 409, 429, 502),
)
def post_credentials(
    workspace_id: WorkspaceId, body: Annotated[CredentialsRequest, Body()]
) -> Card:
    return connect.connect(services(), workspace_id, body)


@route(
    router,
    "PUT",
    WRITERS,
    f"{BASE}/identity",
    summary="Step 2: choose the identity mode and key; starts the probe",
    tags=TAGS,
    operation_id="chooseIdentity",
    status_code=202,
    responses=responses(202, ProbeView, 404, 409, 503, description="Probe started"),
)
def put_identity(workspace_id: WorkspaceId, body: Annotated[IdentityRequest, Body()]) -> ProbeView:
    return identity.choose_identity(services(), workspace_id, body)


@route(
    router,
    "GET",
    READERS,
    f"{BASE}/probe",
    summary="The probe's status and results",
    tags=TAGS,
    operation_id="getProbe",
    responses=responses(200, ProbeView, 404),
)
def get_probe(workspace_id: WorkspaceId) -> ProbeView:
    return probe_view.get_probe(services(), workspace_id)


@route(
    router,
    "POST",
    WRITERS,
    f"{BASE}/match-preview",
    summary="Which probe values a mapping matches to accounts",
    tags=TAGS,
    operation_id="previewMatches",
    responses=responses(200, MatchPreview, 404, 409),
)
def post_match_preview(
    workspace_id: WorkspaceId, body: Annotated[MatchPreviewRequest, Body()]
) -> MatchPreview:
    return match_preview.match_preview(services(), workspace_id, body)


@route(
    router,
    "PUT",
    WRITERS,
    f"{BASE}/configuration",
    summary="Step 3: mapping, tracked features (1-25), excluded keys; starts the backfill",
    description="Send the card's `version`: a configuration changed since is refused (409).",
    tags=TAGS,
    operation_id="saveConfiguration",
    status_code=202,
    responses=responses(202, Card, 404, 409, 503, description="Saved; backfill started"),
)
def put_configuration(
    workspace_id: WorkspaceId, body: Annotated[ConfigurationRequest, Body()]
) -> Card:
    return configure.configure(services(), workspace_id, body)
