"""Requests and responses as the simulator's routes see them, independent of the socket layer,
so routes can be unit-tested as plain functions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"


@dataclass
class SimRequest:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def params(self) -> dict[str, str]:
        """Query and form fields together (Mixpanel accepts either for most fields)."""
        return {**self.query, **self.form}

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class SimResponse:
    status: int
    body: bytes = b""
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    stream: Iterator[bytes] | None = None  # sent with chunked transfer encoding
    gzip: bool = False
    delay_seconds: float = 0.0  # wait before answering (the `slow` fault)
    on_close: list[Callable[[], None]] = field(default_factory=list)

    def json(self) -> object:
        return json.loads(self.body)

    def close(self) -> None:
        callbacks, self.on_close = self.on_close, []
        for callback in callbacks:
            callback()


def json_response(
    status: int, payload: object, headers: dict[str, str] | None = None
) -> SimResponse:
    return SimResponse(status, json.dumps(payload).encode(), JSON, dict(headers or {}))


def error(status: int, message: str, headers: dict[str, str] | None = None) -> SimResponse:
    """Mixpanel's error shape: `{"error": "...", "status": "error"}`."""
    return json_response(status, {"error": message, "status": "error"}, headers)


class CutConnection(Exception):
    """Raised by a stream to make the server drop the connection mid-body."""
