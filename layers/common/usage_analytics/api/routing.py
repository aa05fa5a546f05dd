"""Glue the route modules in `functions/api/routes/` share: who the caller is, which
services to use, and how a route documents its answers in the OpenAPI spec.

It lives in the layer because the api function's asset is its folder alone (the Lambda
imports `handler` as a top-level module), so route modules import only the layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel

from usage_analytics.api.errors import ErrorResponse
from usage_analytics.api.ports import ApiServices
from usage_analytics.auth.principal import WORKSPACE_ID_PATTERN, Principal

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
