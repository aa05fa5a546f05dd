"""Bearer tokens for the local API, signed the way the platform signs real ones (HS256).

Locally the authorizer's key is the embedded stack's JWT secret; `usage-analytics dev`
(and the test fixtures) store a known dev key in it, so a token minted here, in any
process, is accepted. The key is `$USAGE_ANALYTICS_DEV_JWT_SECRET`, else the published
default below: it protects nothing outside this machine. Issuer and audience are the
stack's (cdk.json context `jwt_issuer` / `jwt_audience`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from typing import Any

import jwt

from infra.layer_build import ROOT

DEV_JWT_SECRET_ENV = "USAGE_ANALYTICS_DEV_JWT_SECRET"
DEFAULT_DEV_JWT_SECRET = "usage-analytics-local-dev-signing-key-not-a-secret"
DEFAULT_TTL = dt.timedelta(hours=12)
ROLES = ("owner", "admin", "member", "service")


def dev_jwt_secret(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(DEV_JWT_SECRET_ENV) or DEFAULT_DEV_JWT_SECRET


def issuer_and_audience() -> tuple[str, str]:
    context = json.loads((ROOT / "cdk.json").read_text()).get("context", {})
    return (
        str(context.get("jwt_issuer", "https://platform.example.com")),
        str(context.get("jwt_audience", "usage-analytics")),
    )


def mint_token(
    workspace_id: str,
    role: str,
    *,
    user_id: str = "dev-user",
    secret: str | None = None,
    ttl: dt.timedelta = DEFAULT_TTL,
    now: dt.datetime | None = None,
    issuer: str | None = None,
    audience: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """A token with the claims the authorizer reads: sub, workspace_id, role, iss, aud, exp."""
    default_issuer, default_audience = issuer_and_audience()
    issued = now or dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "sub": user_id,
        "workspace_id": workspace_id,
        "role": role,
        "iss": issuer or default_issuer,
        "aud": audience or default_audience,
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
        **(extra or {}),
    }
    return jwt.encode(claims, secret or dev_jwt_secret(), algorithm="HS256")


def install_dev_key(environment: Mapping[str, str], secret: str | None = None) -> None:
    """Make the embedded stack's authorizer accept dev tokens: store the dev key in its JWT
    secret (`JWT_SECRET_ARN` of the deployed functions) and drop any cached key."""
    import boto3

    from usage_analytics.auth.authorizer import reset_keys
    from usage_analytics.auth.config import reset_auth_config

    arn = environment.get("JWT_SECRET_ARN")
    if not arn:
        raise RuntimeError("the deployed stack has no JWT_SECRET_ARN (authorizer function)")
    boto3.client("secretsmanager").put_secret_value(
        SecretId=arn, SecretString=secret or dev_jwt_secret()
    )
    reset_auth_config()
    reset_keys()
