"""The local API Gateway: a real HTTP server on 127.0.0.1 in front of the same authorizer
and api handler that run in Lambda.

Each request goes through what API Gateway does for the `/v1/{proxy+}` resource:
CORS preflight answered at the edge; no Authorization header -> 401 without calling the
authorizer; the REQUEST authorizer runs ('Unauthorized' -> 401, a Deny or a policy not
covering the method -> 403, an authorizer crash -> 500); then a REST proxy event, with the
authorizer's context in `requestContext.authorizer`, goes to the api handler, whose
answer is sent back as is. Gateway-made errors use the API's error shape (the stack's
gateway responses are meant to match; see docs/api.md).

Not reproduced: the authorizer cache (every request is authorized), throttling, and the
10 MB payload limit beyond a plain size check.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from local.embedded_aws.dispatch import LambdaContext, load_handler

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
API_ID = "localapi"
STAGE = "prod"
ACCOUNT = "123456789012"
REGION = "us-east-1"
MAX_PAYLOAD = 10 * 1024 * 1024
API_ENTRY = "functions.api.handler:handler"
AUTHORIZER_ENTRY = "functions.api.authorizer:handler"
CORS_METHODS = "GET,POST,PUT,DELETE,OPTIONS"
CORS_HEADERS = "Authorization,Content-Type"


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()
    return status, {"Content-Type": "application/json"}, body


class LocalApiGateway:
    """The request pipeline, without sockets (the HTTP layer below only moves bytes)."""

    def __init__(
        self,
        api: Handler | None = None,
        authorizer: Handler | None = None,
        *,
        spa_origin: str = "http://localhost:5173",
    ) -> None:
        self._api = api or load_handler(API_ENTRY)
        self._authorizer = authorizer or load_handler(AUTHORIZER_ENTRY)
        self._spa_origin = spa_origin
        # One request at a time, like one warm Lambda container: the Powertools resolver
        # keeps the current event on the class.
        self._lock = threading.Lock()

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        path = unquote(parts.path) or "/"
        if method == "OPTIONS":
            return 204, self._cors_preflight(), b""
        if not (path == "/v1" or path.startswith("/v1/")):
            return _error(403, "missing_authentication_token", f"No API resource at {path}.")
        if len(body) > MAX_PAYLOAD:
            return _error(413, "payload_too_large", "The body is larger than 10 MB.")
        authorization = _header(headers, "authorization")
        if not authorization:
            return _error(401, "unauthorized", "Sign in: send Authorization: Bearer <token>.")
        request_id = str(uuid.uuid4())
        with self._lock:
            decision = self._authorize(method, path, parts.query, headers, request_id)
            if isinstance(decision, tuple):
                return decision
            event = self._proxy_event(
                method, path, parts.query, headers, body, request_id, decision
            )
            response = self._api(event, _context("api", request_id))
        return self._http_response(response)

    # -- the authorizer --
    def _authorize(
        self, method: str, path: str, query: str, headers: dict[str, str], request_id: str
    ) -> dict[str, Any] | tuple[int, dict[str, str], bytes]:
        method_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API_ID}/{STAGE}/{method}{path}"
        event = {
            "type": "REQUEST",
            "methodArn": method_arn,
            "resource": "/v1/{proxy+}",
            "path": path,
            "httpMethod": method,
            "headers": dict(headers),
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": _single(query),
            "multiValueQueryStringParameters": _multi(query),
            "pathParameters": {"proxy": path.removeprefix("/v1/")},
            "stageVariables": None,
            "requestContext": self._request_context(method, path, request_id),
        }
        try:
            result = self._authorizer(event, _context("authorizer", request_id))
        except Exception as exc:
            if str(exc) == "Unauthorized":
                return _error(401, "unauthorized", "The token is missing, invalid or expired.")
            return _error(500, "authorizer_failure", "The authorizer failed.")
        if not _allows(result, method_arn):
            return _error(403, "forbidden", "The token does not allow this request.")
        return {**(result.get("context") or {}), "principalId": result.get("principalId")}

    # -- events and responses --
    def _request_context(self, method: str, path: str, request_id: str) -> dict[str, Any]:
        return {
            "resourceId": "proxy",
            "resourcePath": "/v1/{proxy+}",
            "httpMethod": method,
            "extendedRequestId": request_id,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()),
            "path": f"/{STAGE}{path}",
            "accountId": ACCOUNT,
            "protocol": "HTTP/1.1",
            "stage": STAGE,
            "domainPrefix": "localhost",
            "requestTimeEpoch": int(time.time() * 1000),
            "requestId": request_id,
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "local"},
            "domainName": "localhost",
            "apiId": API_ID,
        }

    def _proxy_event(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        request_id: str,
        authorizer_context: dict[str, Any],
    ) -> dict[str, Any]:
        text, encoded = _body_text(body)
        context = self._request_context(method, path, request_id)
        context["authorizer"] = authorizer_context
        return {
            "resource": "/v1/{proxy+}",
            "path": path,
            "httpMethod": method,
            "headers": dict(headers),
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": _single(query),
            "multiValueQueryStringParameters": _multi(query),
            "pathParameters": {"proxy": path.removeprefix("/v1/")},
            "stageVariables": None,
            "requestContext": context,
            "body": text,
            "isBase64Encoded": encoded,
        }

    def _http_response(self, response: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        headers = {k: str(v) for k, v in (response.get("headers") or {}).items()}
        for name, values in (response.get("multiValueHeaders") or {}).items():
            if values:
                headers[name] = ", ".join(str(v) for v in values)
        raw = response.get("body") or ""
        body = base64.b64decode(raw) if response.get("isBase64Encoded") else str(raw).encode()
        return int(response.get("statusCode", 502)), headers, body

    def _cors_preflight(self) -> dict[str, str]:
        return {
            "Access-Control-Allow-Origin": self._spa_origin,
            "Access-Control-Allow-Methods": CORS_METHODS,
            "Access-Control-Allow-Headers": CORS_HEADERS,
            "Access-Control-Max-Age": "3600",
        }


def _context(kind: str, request_id: str) -> LambdaContext:
    return LambdaContext(
        function_name=f"local-{kind}",
        invoked_function_arn=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:local-{kind}",
        aws_request_id=request_id,
    )


def _allows(result: Any, method_arn: str) -> bool:
    """IAM-style evaluation of the returned policy: an explicit Deny wins, else an Allow
    whose resource pattern covers the method ARN."""
    if not isinstance(result, dict):
        return False
    statements = (result.get("policyDocument") or {}).get("Statement") or []
    allowed = False
    for statement in statements:
        resources = statement.get("Resource")
        patterns = resources if isinstance(resources, list) else [resources]
        if not any(isinstance(p, str) and fnmatch.fnmatchcase(method_arn, p) for p in patterns):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _single(query: str) -> dict[str, str] | None:
    values = parse_qs(query, keep_blank_values=True)
    return {k: v[-1] for k, v in values.items()} or None


def _multi(query: str) -> dict[str, list[str]] | None:
    return parse_qs(query, keep_blank_values=True) or None


def _body_text(body: bytes) -> tuple[str | None, bool]:
    if not body:
        return None, False
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode(), True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], gateway: LocalApiGateway) -> None:
        self.gateway = gateway
        super().__init__(address, _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LocalApiGateway/1.0"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the api handler logs every request itself."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_PAYLOAD:
            status, headers, body = _error(
                413, "payload_too_large", "The body is larger than 10 MB."
            )
            self.close_connection = True
        else:
            payload = self.rfile.read(length) if length > 0 else b""
            request_headers = {k: v for k, v in self.headers.items()}
            try:
                status, headers, body = self.server.gateway.handle(
                    self.command, self.path, request_headers, payload
                )
            except Exception:  # the Lambda crashed: API Gateway answers 502
                status, headers, body = _error(502, "bad_gateway", "The API handler failed.")
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve


class LocalApiServer:
    """`with LocalApiServer().start() as api: httpx.get(api.base_url + "/v1/...")`."""

    def __init__(self, gateway: LocalApiGateway | None = None) -> None:
        self.gateway = gateway or LocalApiGateway()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    def start(self, host: str = "127.0.0.1", port: int = 0) -> LocalApiServer:
        self._server = _Server((host, port), self.gateway)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="local-api", daemon=True
        )
        self._thread.start()
        bound_port = int(self._server.server_address[1])
        self.base_url = f"http://{host}:{bound_port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LocalApiServer:
        return self if self._server else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
