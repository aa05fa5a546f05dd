"""API Gateway REQUEST authorizer: validates the platform's JWT (see usage_analytics.auth).

Raising 'Unauthorized' makes API Gateway answer 401; a Deny policy answers 403.
"""

from __future__ import annotations

from typing import Any

from usage_analytics.auth.authorizer import decide


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value) if value is not None else None
    return None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return decide(_header(event, "authorization"), str(event.get("methodArn") or ""))
