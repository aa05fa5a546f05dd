"""Schema-driven fuzzing: schemathesis generates requests from the committed OpenAPI spec
(valid ones and deliberately invalid ones) and sends them through the local API Gateway.
Whatever it sends, the API never answers 5xx, and every error has the one shape."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from local.mixpanel_sim import SimulatorHandle
from tests.integration.api.conftest import SIM_SECRET, SIM_USERNAME, bearer, wait_for

pytestmark = pytest.mark.integration

SPEC = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
EXAMPLES_PER_OPERATION = 8


def _prepare(client: httpx.Client, workspace_id: str, simulator: SimulatorHandle) -> None:
    """A connected workspace whose probe is done, so fuzzing reaches the deeper states."""
    admin = bearer(workspace_id, "admin")
    base = f"/v1/workspaces/{workspace_id}/integrations/mixpanel"
    body = {"username": SIM_USERNAME, "secret": SIM_SECRET,
            "project_id": simulator.config.project.project_id}  # fmt: skip
    assert client.post(f"{base}/credentials", json=body, headers=admin).status_code == 200
    identity = {"mode": "group", "key": "company_id"}
    assert client.put(f"{base}/identity", json=identity, headers=admin).status_code == 202
    wait_for(lambda: client.get(f"{base}/probe", headers=admin).json()["status"] == "done")


def test_no_generated_request_gets_a_server_error(
    client: httpx.Client, api_server: object, workspace_id: str, simulator: SimulatorHandle
) -> None:
    _prepare(client, workspace_id, simulator)
    schema = schemathesis.openapi.from_dict(json.loads(SPEC.read_text()))
    headers = bearer(workspace_id, "owner")
    base_url = str(client.base_url).rstrip("/")
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(
                generation_mode=mode, path_parameters={"workspace_id": workspace_id}
            )

            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                      derandomize=True, suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(case=strategy)
            def fuzz(case: schemathesis.Case) -> None:
                nonlocal calls
                calls += 1
                response = case.call(
                    base_url=base_url, headers={**(case.headers or {}), **headers}, timeout=60
                )
                if response.status_code >= 500:
                    failures.append(
                        f"{response.status_code} {case.as_curl_command()}\n{response.text}"
                    )
                elif response.status_code >= 400:
                    error = response.json()["error"]
                    assert set(error) == {"code", "message", "details"}, response.text

            fuzz()
    assert calls >= 10 * 2 * 3
    assert not failures, "\n\n".join(failures[:5])
