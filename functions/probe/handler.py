"""Probe Lambda: sample yesterday for the identity the wizard chose (invoked async by the API)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from usage_analytics.probe.run import run_probe
from usage_analytics.probe.wiring import default_probe_deps


class ProbeInput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    workspace_id: str = Field(min_length=1)
    identity_key: str = Field(min_length=1)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = ProbeInput.model_validate(event)
    return run_probe(default_probe_deps(), request.workspace_id, request.identity_key)
