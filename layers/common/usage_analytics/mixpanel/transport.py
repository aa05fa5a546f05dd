"""Every HTTP exchange with Mixpanel goes through here: auth, region header, the project's
limiter, retries with backoff, error mapping and logging.

Two shapes of request:
- `json()`: small answers (query and app APIs), read whole, retried while attempts remain.
- `lines()`: the export stream. It is retried only until the first line reaches the
  consumer. After that a retry would replay lines the consumer has already counted (or
  would have to skip them by position in a body Mixpanel does not promise to reproduce
  byte for byte), so a broken stream raises `TransientError` and the caller re-runs the
  whole day, which is idempotent: writing day D replaces day D.

Logs carry method, path, status, attempt and elapsed time; never the URL's credentials
(there are none: Basic auth travels in a header that is never logged) nor any header.
"""

from __future__ import annotations

import base64
import itertools
import json
import logging
import random
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.mixpanel.errors import (
    MixpanelError,
    TransientError,
    UnexpectedResponse,
    Unreachable,
)
from usage_analytics.mixpanel.hosts import Hosts
from usage_analytics.mixpanel.limiter import ProjectLimiter, RequestKind
from usage_analytics.mixpanel.lines import ExportTerminatedEarly, json_lines
from usage_analytics.mixpanel.retry import RetryPolicy
from usage_analytics.mixpanel.status import RequestContext, error_from_response

LOGGER_NAME = "usage_analytics.mixpanel"
USER_AGENT = "usage-analytics/0.1 (+httpx)"
CONNECT_TIMEOUT = 10.0
MAX_ERROR_BODY = 64 * 1024  # enough for any error text; a runaway error body is not read

Params = Mapping[str, str | int]


class MixpanelTransport:
    def __init__(
        self,
        account: ServiceAccount,
        hosts: Hosts,
        *,
        http: httpx.Client,
        timeout: float,
        limiter: ProjectLimiter,
        retry: RetryPolicy,
        sleep: Callable[[float], None],
        rng: random.Random,
        logger: logging.Logger,
    ) -> None:
        self._account = account
        self._hosts = hosts
        self._http = http
        self._timeout = httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
        self._limiter = limiter
        self._retry = retry
        self._sleep = sleep
        self._rng = rng
        self._log = logger
        self._headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", **hosts.headers}

    def __repr__(self) -> str:
        return f"MixpanelTransport(project_id={self._account.project_id}, hosts={self._hosts})"

    def json(
        self,
        kind: RequestKind,
        method: str,
        base: str,
        path: str,
        *,
        params: Params,
        form: Mapping[str, str] | None = None,
    ) -> Any:
        """The decoded JSON body of a 2xx answer, after retries; else a MixpanelError."""
        for attempt in itertools.count(1):
            try:
                with (
                    self._limiter.slot(kind),
                    self._exchange(method, base, path, params, form, attempt) as response,
                ):
                    body = response.read()
                return self._decode_json(body, path)
            except MixpanelError as error:
                self._wait_or_raise(error, attempt, path)
        raise AssertionError("unreachable")  # pragma: no cover - count() never ends

    def lines(self, base: str, path: str, *, params: Params) -> Generator[bytes, None, None]:
        """The export body's JSON lines, streamed; see the module docstring for retries."""
        for attempt in itertools.count(1):
            delivered = 0
            try:
                with (
                    self._limiter.slot("export"),
                    self._exchange("GET", base, path, params, None, attempt) as response,
                ):
                    started = time.monotonic()
                    try:
                        for line in json_lines(response.iter_bytes()):
                            delivered += 1
                            yield line
                    except ExportTerminatedEarly:
                        raise TransientError(
                            f"Mixpanel ended the export of {self._what(params)} with "
                            "'terminated early': the day is incomplete and will be retried.",
                        ) from None
                    self._log.info(
                        "mixpanel export stream complete",
                        extra=self._fields(path, 200, attempt, started, lines=delivered),
                    )
                return
            except MixpanelError as error:
                if delivered:
                    raise TransientError(
                        f"{error} The stream broke after {delivered} lines had been "
                        "processed, so it is not resumed: re-run the whole day.",
                        status=error.status,
                    ) from error
                self._wait_or_raise(error, attempt, path)

    @contextmanager
    def _exchange(
        self,
        method: str,
        base: str,
        path: str,
        params: Params,
        form: Mapping[str, str] | None,
        attempt: int,
    ) -> Iterator[httpx.Response]:
        """Send one request; yield the open 2xx response, or raise the mapped error.
        Transport failures while the caller reads the body are mapped here too."""
        started = time.monotonic()
        ctx = self._context(path)
        request = self._http.build_request(
            method,
            base + path,
            params=dict(params),
            data=dict(form) if form is not None else None,
            headers=self._headers,
            timeout=self._timeout,
        )
        try:
            response = self._http.send(request, auth=self._auth(), stream=True)
        except httpx.TransportError as exc:
            self._log.warning(
                "mixpanel request failed",
                extra=self._fields(path, None, attempt, started, error=type(exc).__name__),
            )
            raise self._transport_error(exc, ctx) from exc
        try:
            status = response.status_code
            self._log.info("mixpanel request", extra=self._fields(path, status, attempt, started))
            if not 200 <= status < 300:
                body = self._read_error_body(response)
                raise error_from_response(status, body, response.headers, ctx)
            try:
                yield response
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise self._transport_error(exc, ctx) from exc
        finally:
            response.close()

    def _wait_or_raise(self, error: MixpanelError, attempt: int, path: str) -> None:
        delay = self._retry.delay_before_retry(error, attempt, self._rng)
        if delay is None:
            raise error
        self._log.warning(
            "mixpanel request will be retried",
            extra={
                "path": path,
                "attempt": attempt,
                "error_code": error.code,
                "status": error.status,
                "retry_in_s": round(delay, 3),
                "project_id": self._account.project_id,
            },
        )
        self._sleep(delay)

    def _auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self._account.username, self._account.secret.get_secret_value())

    def _context(self, path: str) -> RequestContext:
        return RequestContext(
            project_id=self._account.project_id,
            region=self._account.region.value,
            path=path,
            secrets=self._credential_forms(),
        )

    def _credential_forms(self) -> tuple[str, ...]:
        """The secret as it could come back quoted: raw, or inside the Basic auth token."""
        secret = self._account.secret.get_secret_value()
        token = base64.b64encode(f"{self._account.username}:{secret}".encode()).decode()
        return (secret, token)

    def _transport_error(self, exc: Exception, ctx: RequestContext) -> MixpanelError:
        where = f"project {ctx.project_id} ({ctx.region} region)"
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return Unreachable(
                f"Could not connect to Mixpanel for {where} ({type(exc).__name__}). Check that "
                "Mixpanel is up and the region is right; the request will be retried."
            )
        if isinstance(exc, httpx.TimeoutException):
            return TransientError(
                f"Mixpanel stopped answering {ctx.path} for {where} ({type(exc).__name__}). "
                "It will be retried."
            )
        return TransientError(
            f"The connection to Mixpanel broke while reading {ctx.path} for {where} "
            f"({type(exc).__name__}). It will be retried."
        )

    @staticmethod
    def _read_error_body(response: httpx.Response) -> str:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= MAX_ERROR_BODY:
                    break
        except (httpx.TransportError, httpx.DecodingError):
            pass  # the status code alone decides the error; the text is a courtesy
        return b"".join(chunks)[:MAX_ERROR_BODY].decode("utf-8", "replace")

    def _decode_json(self, body: bytes, path: str) -> Any:
        try:
            return json.loads(body)
        except ValueError:
            raise UnexpectedResponse(
                f"Mixpanel answered {path} for project {self._account.project_id} with a body "
                "that is not JSON."
            ) from None

    def _what(self, params: Params) -> str:
        days = f"{params.get('from_date')}..{params.get('to_date')}"
        return f"{days} for project {self._account.project_id}"

    def _fields(
        self, path: str, status: int | None, attempt: int, started: float, **more: Any
    ) -> dict[str, Any]:
        return {
            "path": path,
            "status": status,
            "attempt": attempt,
            "elapsed_ms": round((time.monotonic() - started) * 1000, 1),
            "project_id": self._account.project_id,
            "region": self._account.region.value,
            **more,
        }
