"""The caller as the API sees it: a user of one workspace with one role.

The authorizer builds it from the token and passes it to the handler in the request
context (string values only: API Gateway drops anything else), and every route checks it
against the workspace in the path and the roles the route allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

WORKSPACE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    # The platform's CRM sync: a machine principal that may only upsert accounts.
    SERVICE = "service"


READERS = frozenset({Role.OWNER, Role.ADMIN, Role.MEMBER})
WRITERS = frozenset({Role.OWNER, Role.ADMIN})
SERVICE_WRITERS = frozenset({Role.OWNER, Role.ADMIN, Role.SERVICE})


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    user_id: str = Field(min_length=1, max_length=256)
    workspace_id: str = Field(pattern=WORKSPACE_ID_PATTERN)
    role: Role

    def context(self) -> dict[str, str]:
        """What the authorizer returns as `context` (and API Gateway hands the handler)."""
        return {"user_id": self.user_id, "workspace_id": self.workspace_id, "role": self.role}

    @classmethod
    def from_context(cls, context: Mapping[str, Any] | None) -> Principal | None:
        """The principal in a request's authorizer context; None when absent or unreadable."""
        if not context:
            return None
        try:
            return cls.model_validate(
                {key: context.get(key) for key in ("user_id", "workspace_id", "role")}
            )
        except ValidationError:
            return None
