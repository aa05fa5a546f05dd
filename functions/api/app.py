"""The REST API: one Powertools resolver with validation, routes in `routes/`, and the one
error shape (`{"error": {"code", "message", "details"}}`) for every failure.

Add a feature's routes (usage, health, signals, the assistant's tools) as a module in
`routes/` exposing `router`, and name it in ROUTE_MODULES; register a workspace route with
`usage_analytics.api.routing.route`, which declares the roles the pre-check enforces.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import json
import os
import time
from functools import cache
from types import ModuleType
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer
from pydantic import ValidationError

from usage_analytics.api.access import tenant_gate
from usage_analytics.api.errors import (
    ApiError,
    BadRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
    error_body,
)
from usage_analytics.api.routing import caller, roles_for
from usage_analytics.api.validation import validation_error
from usage_analytics.integration.repository import VersionConflict
from usage_analytics.wire_logs import hold_wire_loggers_at_info

ROUTE_MODULES = (
    "routes.integration",
    "routes.wizard",
    "routes.operations",
    "routes.accounts",
    "routes.usage",
    "routes.signals",
    "routes.assistant",
)
MAX_BODY_BYTES = 1024 * 1024  # API Gateway allows 10 MB; no request of ours needs 1 MB
API_VERSION = "1.0.0"


@cache
def log() -> Logger:
    """Structured JSON lines (Powertools); the service name comes from POWERTOOLS_SERVICE_NAME."""
    return Logger(service="usage-analytics-api", use_rfc3339=True)


def _sibling(name: str) -> ModuleType:
    """Import a module of this folder both as packaged for Lambda (the folder is the code
    root: `routes.x`) and in the repository (`functions.api.routes.x`)."""
    package = __name__.rpartition(".")[0]
    return importlib.import_module(f"{package}.{name}" if package else name)


def _json(status: int, body: dict[str, Any]) -> Response:
    return Response(status_code=status, content_type="application/json", body=json.dumps(body))


def _error(exc: ApiError) -> Response:
    return _json(exc.status, exc.body())


def build_app() -> APIGatewayRestResolver:
    hold_wire_loggers_at_info()
    cors = CORSConfig(
        allow_origin=os.environ.get("SPA_ORIGIN") or "http://localhost:5173",
        allow_headers=["Authorization", "Content-Type"],
        max_age=3600,
    )
    app = APIGatewayRestResolver(enable_validation=True, cors=cors)
    _register_errors(app)
    for name in ROUTE_MODULES:
        app.include_router(_sibling(name).router)
    app.configure_openapi(
        title="usage-analytics",
        version=API_VERSION,
        summary="Mixpanel usage analytics: setup wizard, integration card, accounts",
        description="Every route needs `Authorization: Bearer <platform JWT>`; errors have "
        'the shape {"error": {"code", "message", "details"}}. See docs/api.md.',
        security_schemes={"bearer": HTTPBearer(bearerFormat="JWT")},
        security=[{"bearer": []}],
    )
    return app


def _register_errors(app: APIGatewayRestResolver) -> None:
    @app.exception_handler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return _error(exc)

    @app.exception_handler(RequestValidationError)
    def invalid_request(exc: RequestValidationError) -> Response:
        return _error(validation_error(list(exc.errors())))

    @app.exception_handler(ValidationError)
    def invalid_value(exc: ValidationError) -> Response:
        # a domain model refused a value that passed the request schema
        return _error(validation_error(exc.errors(include_input=False)))  # type: ignore[arg-type]

    @app.exception_handler(RequestUnsupportedContentType)
    def not_json(exc: RequestUnsupportedContentType) -> Response:
        return _json(
            415, error_body("unsupported_media_type", "Send the body as application/json.")
        )

    @app.exception_handler(VersionConflict)
    def conflict(exc: VersionConflict) -> Response:
        return _json(409, error_body("version_conflict", "Someone changed this integration "
                                     "meanwhile. Reload and try again."))  # fmt: skip

    @app.exception_handler(NotFoundError)
    def not_found(exc: NotFoundError) -> Response:
        return _json(
            404, error_body("route_not_found", "No such route (check the method and path).")
        )

    @app.exception_handler(ServiceError)
    def service_error(exc: ServiceError) -> Response:
        return _json(exc.status_code, error_body("error", str(exc.msg)))

    @app.exception_handler(Exception)
    def unexpected(exc: Exception) -> Response:
        # A bug or an AWS outage, never bad input. The type is logged; the message is not
        # (it could quote request data), and the caller gets a request id to report.
        log().error("unhandled exception", extra={"exception_type": type(exc).__name__})
        request_id = app.current_event.request_context.request_id or ""
        return _json(500, error_body("internal_error", "Something went wrong on our side. "
                                     "Try again; if it persists, report the request id.",
                                     {"request_id": request_id}))  # fmt: skip


def _body_size(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return len(base64.b64decode(body, validate=False))
        except (binascii.Error, ValueError):
            return len(body)
    return len(body.encode("utf-8", "surrogatepass")) if isinstance(body, str) else len(body)


def _refusal(error: ApiError) -> dict[str, Any]:
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(error.body()),
        "isBase64Encoded": False,
    }


def _precheck(event: dict[str, Any]) -> ApiError | None:
    """What is refused before the body is even parsed: an oversize body, and a caller
    without a token, of another workspace or of a role the route does not allow (no schema
    feedback for those who may not call it)."""
    if _body_size(event) > MAX_BODY_BYTES:
        return PayloadTooLarge(
            f"The body is larger than {MAX_BODY_BYTES // 1024} KiB.",
            details={"limit_bytes": MAX_BODY_BYTES},
        )
    path = str(event.get("path") or "")
    try:
        allowed = roles_for(str(event.get("httpMethod") or ""), path)
        tenant_gate(caller(event.get("requestContext")), path, allowed)
    except ApiError as refused:
        return refused
    if event.get("body") and not _is_json(_content_type(event)):
        return UnsupportedMediaType("Send the body as JSON (Content-Type: application/json).")
    if event.get("body") and not _is_text(event):
        return BadRequest(
            "The body is not valid UTF-8 JSON text (lone surrogate escapes such as \\ud800 "
            "are not text).",
            code="malformed_json",
        )
    return None


def _is_text(event: dict[str, Any]) -> bool:
    """UTF-8 that decodes to JSON whose strings are real text: DynamoDB and every client
    downstream must be able to encode what we store."""
    body = event.get("body") or ""
    try:
        raw = base64.b64decode(body) if event.get("isBase64Encoded") else None
        text = raw.decode("utf-8") if raw is not None else str(body)
        text.encode("utf-8")
    except (binascii.Error, ValueError):
        return False
    if "\\u" not in text:
        return True
    try:
        parsed = json.loads(text)
    except ValueError:
        return True  # not JSON at all: the resolver says malformed_json
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _content_type(event: dict[str, Any]) -> str:
    for name, value in (event.get("headers") or {}).items():
        if name.lower() == "content-type" and value:
            return str(value).split(";", 1)[0].strip().lower()
    return ""


def _is_json(content_type: str) -> bool:
    """No Content-Type is read as JSON (curl users forget it); anything else must say JSON."""
    return content_type in ("", "application/json") or content_type.endswith("+json")


def resolve(app: APIGatewayRestResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Pre-checks, then the resolver; one log line per request (never its body)."""
    started = time.monotonic()
    refused = _precheck(event)
    response = _refusal(refused) if refused else app.resolve(event, context)
    principal = caller(event.get("requestContext"))
    log().info(
        f"{event.get('httpMethod')} {event.get('path')} -> {response.get('statusCode')}",
        extra={
            "status": response.get("statusCode"),
            "workspace_id": principal.workspace_id if principal else None,
            "user_id": principal.user_id if principal else None,
            "role": principal.role.value if principal else None,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
    return response
