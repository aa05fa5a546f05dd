from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from functions.api import handler as api_handler
from tests.unit.api.fakes import World, api_event
from usage_analytics.api.routing import substituted_services


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, Any]

    @property
    def code(self) -> str | None:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return error.get("code") if isinstance(error, dict) else None


class Api:
    """Calls the real api handler (resolver, validation, error shape) on in-memory adapters."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.responses: list[dict[str, Any]] = []

    def __call__(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Answer:
        raw = api_handler.handler(api_event(method, path, body, **kwargs), None)
        self.responses.append(raw)
        headers = dict(raw.get("headers") or {})
        headers.update({k: v[0] for k, v in (raw.get("multiValueHeaders") or {}).items() if v})
        text = raw.get("body") or ""
        return Answer(raw["statusCode"], json.loads(text) if text else None, headers)


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def api(world: World) -> Iterator[Api]:
    with substituted_services(world.services):
        yield Api(world)
