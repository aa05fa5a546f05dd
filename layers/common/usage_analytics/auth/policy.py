"""What a REQUEST authorizer returns to API Gateway.

API Gateway caches the answer per Authorization header (5 minutes), for every route the
token is then used on, so an Allow must cover the whole API (`<api>/<stage>/*/*`), not
the one method that was called first. Workspace and role are enforced per route by the
handler, from the context passed here.
"""

from __future__ import annotations

from typing import Any

from usage_analytics.auth.principal import Principal

UNAUTHORIZED = "Unauthorized"  # the exact message API Gateway turns into a 401


def api_wide_arn(method_arn: str) -> str:
    """`arn:aws:execute-api:r:a:api/stage/GET/v1/x` -> `arn:aws:execute-api:r:a:api/stage/*/*`."""
    prefix, _, path = method_arn.partition(":execute-api:")
    parts = path.split("/")
    if not prefix or len(parts) < 2:
        return method_arn
    return f"{prefix}:execute-api:{parts[0]}/{parts[1]}/*/*"


def _policy(principal_id: str, effect: str, resource: str) -> dict[str, Any]:
    return {
        "principalId": principal_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }


def allow(principal: Principal, method_arn: str) -> dict[str, Any]:
    response = _policy(principal.user_id, "Allow", api_wide_arn(method_arn))
    response["context"] = principal.context()
    return response


def deny(principal_id: str, method_arn: str) -> dict[str, Any]:
    """An authentic token that grants nothing here (403, not 401)."""
    return _policy(principal_id or "anonymous", "Deny", api_wide_arn(method_arn))
