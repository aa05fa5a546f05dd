"""Domain events on the custom EventBridge bus (the signals inbox and on-call listen)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

SOURCE = "usage-analytics"
INTEGRATION_ALERT = "Mixpanel integration alert"
USAGE_DECLINE = "Usage decline detected"

Publish = Callable[[str, dict[str, Any]], None]


class EventBusPublisher:
    def __init__(self, client: Any, bus_name: str) -> None:
        self._client = client
        self._bus = bus_name

    def __call__(self, detail_type: str, detail: dict[str, Any]) -> None:
        response = self._client.put_events(
            Entries=[
                {
                    "Source": SOURCE,
                    "DetailType": detail_type,
                    "Detail": json.dumps(detail, default=str),
                    "EventBusName": self._bus,
                }
            ]
        )
        if response.get("FailedEntryCount"):
            raise RuntimeError(
                f"EventBridge refused a {detail_type!r} event: {response['Entries']}"
            )


class RecordingPublisher:
    """For unit tests: keeps what would have been published."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, detail_type: str, detail: dict[str, Any]) -> None:
        self.events.append((detail_type, detail))
