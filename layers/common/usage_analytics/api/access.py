"""The handler's own check of every request, before its body is parsed: the token's
workspace is the path's, and its role is one the route allows. API Gateway's authorizer
only proves the token is genuine (its answer is cached per token for every route), so this
is where tenancy is enforced."""

from __future__ import annotations

from collections.abc import Collection

from usage_analytics.api.errors import Forbidden, Unauthorized
from usage_analytics.auth.principal import Principal, Role


def authorize(
    principal: Principal | None, workspace_id: str, allowed: Collection[Role]
) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in: this request carries no valid token.")
    if principal.workspace_id != workspace_id:
        raise Forbidden("Your token is for another workspace.", code="wrong_workspace")
    if principal.role not in allowed:
        needed = " or ".join(sorted(role.value for role in allowed))
        raise Forbidden(
            f"This action needs the {needed} role; you are {principal.role.value}.",
            code="role_not_allowed",
            details={"role": principal.role.value, "allowed": sorted(r.value for r in allowed)},
        )
    return principal


WORKSPACE_PATH_PREFIX = "/v1/workspaces/"


def tenant_gate(
    principal: Principal | None, path: str, allowed: Collection[Role] | None = None
) -> None:
    """Before any parsing: a /v1/workspaces/{id}/... request needs a principal of that
    workspace and, on a route that declares them (`routing.route`), one of its roles."""
    if not path.startswith(WORKSPACE_PATH_PREFIX):
        return
    workspace_id = path[len(WORKSPACE_PATH_PREFIX) :].split("/", 1)[0]
    if allowed is not None:
        authorize(principal, workspace_id, allowed)
        return
    if principal is None:
        raise Unauthorized("Sign in: this request carries no valid token.")
    if principal.workspace_id != workspace_id:
        raise Forbidden("Your token is for another workspace.", code="wrong_workspace")
