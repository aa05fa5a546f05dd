"""A full setup wizard over HTTP, as the SPA runs it, with every log line and response
captured: the Mixpanel secret must appear nowhere but in Secrets Manager."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import boto3
import httpx
import pytest

from local.mixpanel_sim import SimulatorHandle, crm_accounts
from tests.integration.api.conftest import SIM_SECRET, SIM_USERNAME, bearer, wait_for

pytestmark = pytest.mark.integration


def test_given_a_new_workspace_when_an_admin_runs_the_wizard_then_the_secret_leaks_nowhere(
    client: httpx.Client,
    simulator: SimulatorHandle,
    workspace_id: str,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # everything, third-party debug logs included
    caplog.set_level(logging.DEBUG, logger="usage-analytics-api")
    admin = bearer(workspace_id, "admin")
    base = f"/v1/workspaces/{workspace_id}/integrations/mixpanel"
    exchanges: list[httpx.Response] = []

    def call(method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = client.request(method, path, json=body, headers=admin, **kwargs)
        exchanges.append(response)
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json()

    accounts = crm_accounts(spec=simulator.config.project)
    assert call("PUT", f"/v1/workspaces/{workspace_id}/accounts", {"accounts": accounts}) == {
        "upserted": len(accounts)
    }
    project_id = simulator.config.project.project_id
    credentials = {"username": SIM_USERNAME, "secret": SIM_SECRET, "project_id": project_id}
    card = call("POST", f"{base}/credentials", credentials)
    assert (card["status"], card["project_id"]) == ("configuring", project_id)

    started = call("PUT", f"{base}/identity", {"mode": "group", "key": "company_id"})
    assert started["status"] == "running"
    probe = wait_for(lambda: _done(call("GET", f"{base}/probe")))
    assert probe["events_sampled"] > 0
    assert probe["account_values"] and probe["suggested_features"]

    preview = call("POST", f"{base}/match-preview", {"mapping": {"field": "crm_id"}})
    assert preview["matched"] and preview["match_rate"] > 0.5

    version = call("GET", base)["version"]
    configuration = {
        "mapping": {"field": "crm_id"},
        "tracked_features": probe["suggested_features"][:5],
        "excluded_keys": [],
        "version": version,
    }
    card = call("PUT", f"{base}/configuration", configuration)
    assert card["status"] == "backfilling" and card["backfill"]["days_total"] == 30
    call("GET", base)
    call("GET", f"{base}/sync-history")

    stored = boto3.client("secretsmanager").get_secret_value(
        SecretId=f"usage-analytics/mixpanel/{workspace_id}"
    )
    assert json.loads(stored["SecretString"])["secret"] == SIM_SECRET

    captured = capfd.readouterr()
    everything = "\n".join(
        [
            caplog.text,
            *(repr(record.__dict__) for record in caplog.records),
            captured.out,
            captured.err,
            *(r.text + repr(dict(r.headers)) for r in exchanges),
        ]
    )
    basic = base64.b64encode(f"{SIM_USERNAME}:{SIM_SECRET}".encode()).decode()
    assert len(exchanges) >= 9 and "POST /v1/workspaces" in everything  # logs were captured
    assert SIM_SECRET not in everything
    assert basic not in everything


def _done(view: dict[str, Any]) -> dict[str, Any] | None:
    assert view["status"] != "failed", view["error"]
    return view if view["status"] == "done" else None
