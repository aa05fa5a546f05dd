"""`/_sim/*`: what tests and demos use to steer the simulator over HTTP."""

from __future__ import annotations

import httpx
import pytest

from local.mixpanel_sim.config import Limits
from local.mixpanel_sim.server import SimulatorHandle
from tests.integration.mixpanel_sim.conftest import SPEC, YESTERDAY, export_params

pytestmark = pytest.mark.integration
EXPORT = "/api/2.0/export"


def test_health_and_accounts_describe_the_project(sim: SimulatorHandle) -> None:
    health = httpx.get(f"{sim.base_url}/_sim/health").json()
    assert health["project_id"] == SPEC.project_id
    assert health["today"] == SPEC.today.isoformat()
    assert health["export_frame"] == "utc" and health["region"] == "US"
    accounts = httpx.get(f"{sim.base_url}/_sim/accounts").json()["accounts"]
    assert len([a for a in accounts if a["kind"] == "customer"]) == SPEC.accounts
    assert {"company_id", "domain", "shape", "crm_status"} <= set(accounts[0])


def test_faults_are_armed_listed_and_cleared(sim: SimulatorHandle, client: httpx.Client) -> None:
    base = sim.base_url
    armed = httpx.post(
        f"{base}/_sim/faults",
        json={
            "faults": [
                {"kind": "http_error", "status": 502, "count": 1},
                {"kind": "rate_limit", "retry_after": 3, "count": 1},
            ]
        },
    )
    assert armed.status_code == 201
    assert [f["kind"] for f in armed.json()["armed"]] == ["http_error", "rate_limit"]
    assert len(httpx.get(f"{base}/_sim/faults").json()["faults"]) == 2
    assert client.get(EXPORT, params=export_params(YESTERDAY, limit=1)).status_code == 502
    limited = client.get(EXPORT, params=export_params(YESTERDAY, limit=1))
    assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
    assert client.get(EXPORT, params=export_params(YESTERDAY, limit=1)).status_code == 200
    httpx.post(f"{base}/_sim/faults", json={"kind": "http_error", "count": None})
    httpx.delete(f"{base}/_sim/faults")
    assert client.get(EXPORT, params=export_params(YESTERDAY, limit=1)).status_code == 200


def test_a_fault_the_simulator_cannot_arm_is_a_400(sim: SimulatorHandle) -> None:
    refused = httpx.post(f"{sim.base_url}/_sim/faults", json={"kind": "meteor"})
    assert refused.status_code == 400
    assert "kind must be one of" in refused.json()["error"]
    assert httpx.post(f"{sim.base_url}/_sim/faults", content=b"{nope").status_code == 400


def test_the_request_log_counts_api_requests_by_path(
    sim: SimulatorHandle, client: httpx.Client
) -> None:
    client.get(EXPORT, params=export_params(YESTERDAY, limit=3))
    client.get("/api/query/events/names", params={"project_id": SPEC.project_id})
    client.get("/api/query/events/names", params={"project_id": SPEC.project_id})
    log = httpx.get(f"{sim.base_url}/_sim/requests").json()["requests"]
    assert [e["path"] for e in log] == [EXPORT] + ["/api/query/events/names"] * 2
    assert log[0]["params"]["limit"] == "3" and log[0]["lines"] == 3
    assert log[0]["username"] == sim.auth[0]
    names = httpx.get(f"{sim.base_url}/_sim/requests", params={"path": "/api/query/"}).json()
    assert len(names["requests"]) == 2
    httpx.delete(f"{sim.base_url}/_sim/requests")
    assert httpx.get(f"{sim.base_url}/_sim/requests").json()["requests"] == []


def test_limits_can_be_set_at_runtime_and_reset_clears_the_windows(
    sim: SimulatorHandle, client: httpx.Client
) -> None:
    base = sim.base_url
    limits = httpx.post(f"{base}/_sim/limits", json={"export": {"per_hour": 2}}).json()
    assert limits["export"]["per_hour"] == 2
    statuses = [client.get(EXPORT, params=export_params(YESTERDAY, limit=1)) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert int(statuses[2].headers["retry-after"]) > 3000
    assert "Query rate limit exceeded" in statuses[2].json()["error"]
    httpx.post(f"{base}/_sim/reset")
    assert client.get(EXPORT, params=export_params(YESTERDAY, limit=1)).status_code == 200
    assert httpx.post(f"{base}/_sim/limits", json={"export": {"per_hour": 0}}).status_code == 400


def test_a_stopped_simulator_refuses_connections(sim: SimulatorHandle) -> None:
    url = f"{sim.base_url}/_sim/health"
    assert httpx.get(url).status_code == 200
    sim.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2.0)


def test_the_handle_steers_faults_limits_and_the_log_from_python(
    sim: SimulatorHandle, client: httpx.Client
) -> None:
    sim.add_fault("http_error", status=500)
    armed = sim.set_faults([{"kind": "http_error", "status": 503, "count": 1}])
    assert [f["status"] for f in armed] == [503]
    assert client.get(EXPORT, params=export_params(YESTERDAY, limit=1)).status_code == 503
    sim.set_limits(export=Limits(per_hour=1, per_second=None, concurrent=None))
    assert client.get(EXPORT, params=export_params(YESTERDAY, limit=1)).status_code == 200
    assert client.get(EXPORT, params=export_params(YESTERDAY, limit=1)).status_code == 429
    sim.reset()
    assert sim.requests() == []
    assert client.get(EXPORT, params=export_params(YESTERDAY, limit=1)).status_code == 200
