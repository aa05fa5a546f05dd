"""Glue the route modules in `functions/api/routes/` share: who the caller is, which
services to use, and how a route documents its answers in the OpenAPI spec.

It lives in the layer because the api function's asset is its folder alone (the Lambda
imports `handler` as a top-level module), so route modules import only the layer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel

from usage_analytics.api.errors import ErrorResponse
from usage_analytics.api.ports import ApiServices
from usage_analytics.auth.principal import WORKSPACE_ID_PATTERN, Principal, Role

WorkspaceId = Annotated[str, Path(pattern=WORKSPACE_ID_PATTERN, description="the workspace")]

_ERROR_TEXT = {
    400: "Bad request: malformed JSON, or Mixpanel refused the request (see error.code)",
    401: "No valid token",
    403: "The token is for another workspace, or its role may not do this",
    404: "No such integration (error.code not_connected) or route",
    409: "Stale version, or the integration is not in a state that allows this",
    413: "Body too large",
    415: "Body is not JSON",
    422: "Invalid input (error.details.errors lists each field)",
    429: "Mixpanel's rate limit: retry later",
    502: "Mixpanel or AWS failed: retry later",
    503: "A workflow could not be started: retry later",
}
COMMON_ERRORS = (400, 401, 403, 413, 415, 422)

_factory: Callable[[], ApiServices] | None = None

Handler = TypeVar("Handler", bound=Callable[..., Any])
# (method, path pattern, roles) of every workspace route, declared by `route`
_ROUTE_ROLES: list[tuple[str, re.Pattern[str], frozenset[Role]]] = []


def route(
    router: Router, method: str, allowed: frozenset[Role], path: str, **openapi: Any
) -> Callable[[Handler], Handler]:
    """Register a workspace route (`router.route(path, method, **openapi)`) with the roles
    that may call it. The roles are checked by the API's pre-check from `roles_for`, before
    the request is parsed: a caller who may not use a route learns nothing of its schema
    (403, never a 422 that describes the body)."""
    pattern = re.compile(re.sub(r"<\w+>", "[^/]+", re.escape(path)))

    def register(handler: Handler) -> Handler:
        _ROUTE_ROLES.append((method, pattern, allowed))
        router.route(path, method, **openapi)(handler)
        return handler

    return register


def roles_for(method: str, path: str) -> frozenset[Role] | None:
    """The roles allowed on the route this request names (None: no such workspace route)."""
    for route_method, pattern, allowed in _ROUTE_ROLES:
        if route_method == method and pattern.fullmatch(path):
            return allowed
    return None


def services() -> ApiServices:
    """The services for this request: the real ones, unless a test substituted its own."""
    if _factory is not None:
        return _factory()
    from usage_analytics.api.wiring import default_services

    return default_services()


@contextmanager
def substituted_services(factory: Callable[[], ApiServices]) -> Iterator[None]:
    """Run the API against other adapters (in-memory fakes in unit tests)."""
    global _factory
    previous, _factory = _factory, factory
    try:
        yield
    finally:
        _factory = previous


def caller(request_context: Mapping[str, Any] | None) -> Principal | None:
    """The principal the authorizer put in the request context (None without one)."""
    authorizer = (request_context or {}).get("authorizer")
    return Principal.from_context(authorizer if isinstance(authorizer, Mapping) else None)


def request_caller(router: Any) -> Principal | None:
    """The caller of the request a router is handling."""
    return caller(router.current_event.raw_event.get("requestContext"))


def responses(
    status: int, model: type[BaseModel], *errors: int, description: str = "OK"
) -> dict[int, Any]:
    """The OpenAPI `responses` of a route: its success and the error shape for each error
    status it can answer (plus the ones every route can)."""
    documented: dict[int, Any] = {
        status: {"description": description, "content": {"application/json": {"model": model}}}
    }
    for code in sorted({*COMMON_ERRORS, *errors}):
        documented[code] = {
            "description": _ERROR_TEXT[code],
            "content": {"application/json": {"model": ErrorResponse}},
        }
    return documented
