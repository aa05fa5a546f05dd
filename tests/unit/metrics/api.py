"""Calls the real api handler (resolver, validation, error shape) with the usage routes
reading the in-process tables of a `Stack`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from functions.api import handler as api_handler
from tests.unit.api.fakes import api_event, principal
from tests.unit.metrics.stack import WS, Stack
from usage_analytics.auth.principal import Principal, Role
from usage_analytics.metrics.services import substituted_metrics_services

MEMBER = principal(Role.MEMBER, WS)


@dataclass
class Answer:
    status: int
    body: Any

    @property
    def code(self) -> str | None:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return error.get("code") if isinstance(error, dict) else None

    @property
    def message(self) -> str:
        return str(self.body["error"]["message"])


class UsageApi:
    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        caller: Principal | None = MEMBER,
        query: dict[str, str] | None = None,
    ) -> Answer:
        raw = api_handler.handler(api_event(method, path, body, caller=caller, query=query), None)
        text = raw.get("body") or ""
        return Answer(raw["statusCode"], json.loads(text) if text else None)

    def get(self, suffix: str, **query: str) -> Answer:
        return self("GET", f"/v1/workspaces/{WS}{suffix}", query=query or None)

    def tool(self, name: str, body: Any) -> Answer:
        return self("POST", f"/v1/workspaces/{WS}/assistant/{name}", body)


@contextmanager
def usage_api(stack: Stack) -> Iterator[UsageApi]:
    with substituted_metrics_services(stack.services):
        yield UsageApi()
