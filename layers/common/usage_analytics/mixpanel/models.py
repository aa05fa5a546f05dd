"""What the client returns: small immutable values, independent of Mixpanel's JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ProjectInfo:
    """A verified project. `timezone` is None when it could not be read (the service account
    lacks the scope for /api/app/me and the project was verified by a one-row export)."""

    project_id: int
    timezone: str | None
    name: str | None = None
    verified_by: Literal["app_me", "export"] = "app_me"


@dataclass(frozen=True)
class EventCount:
    event: str
    amount: int
