"""Fan-out step 1 (daily sync and rematch): the workspaces to visit."""

from typing import Any

from pydantic import BaseModel, Field

from usage_analytics.wiring import integrations
from usage_analytics.workflows.fan_out import list_workspaces


class ListInput(BaseModel):
    job: str
    input: dict[str, Any] = Field(default_factory=dict)
    execution_id: str | None = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = ListInput.model_validate(event)
    return list_workspaces(integrations(), request.job, request.input)
