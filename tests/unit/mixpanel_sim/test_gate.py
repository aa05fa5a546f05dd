"""Who gets in, in the order Mixpanel answers: region, credentials, project id, plan,
project, permission. Called as plain functions: no sockets."""

from __future__ import annotations

import pytest

from local.mixpanel_sim.config import (
    FREE_PLAN_USERNAME,
    NO_ME_SCOPE_USERNAME,
    NO_PROJECT_USERNAME,
)
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.simulator import Simulator
from tests.unit.mixpanel_sim.simfixtures import (
    YESTERDAY,
    body,
    error_text,
    export_request,
    request,
    simulator,
)

EXPORT = {"from_date": YESTERDAY.isoformat(), "to_date": YESTERDAY.isoformat(), "limit": 1}
NAMES = "/api/query/events/names"


@pytest.fixture(scope="module")
def sim(project: SyntheticProject) -> Simulator:
    return simulator(project)


def test_given_the_dev_account_then_every_endpoint_answers(sim: Simulator) -> None:
    assert sim.handle(export_request(YESTERDAY, limit=1)).status == 200
    assert sim.handle(request(NAMES)).status == 200
    assert sim.handle(request("/api/query/events/top")).status == 200
    assert sim.handle(request("/api/query/engage", method="POST")).status == 200
    assert sim.handle(request("/api/app/me", {})).status == 200


def test_given_a_wrong_secret_then_export_and_app_say_401_and_query_says_400(
    sim: Simulator,
) -> None:
    for path, status in (
        ("/api/2.0/export", 401),
        ("/api/app/me", 401),
        (NAMES, 400),
        ("/api/query/engage", 400),
    ):
        method = "POST" if path.endswith("engage") else "GET"
        response = sim.handle(request(path, EXPORT, secret="wrong", method=method))
        assert response.status == status, path
        assert error_text(response) == "Unable to authenticate request"


def test_given_no_credentials_then_401(sim: Simulator) -> None:
    assert sim.handle(request("/api/2.0/export", EXPORT, auth=False)).status == 401


def test_given_another_region_header_then_401_as_a_wrong_residency_host(sim: Simulator) -> None:
    for region in ("EU", "IN", "eu"):
        response = sim.handle(request("/api/app/me", headers={"X-Mixpanel-Region": region}))
        assert response.status == 401
        assert error_text(response) == "Unable to authenticate request"
    ok = sim.handle(request("/api/app/me", headers={"X-Mixpanel-Region": "us"}))
    assert ok.status == 200


def test_given_a_plan_without_api_access_then_402(sim: Simulator) -> None:
    response = sim.handle(request("/api/2.0/export", EXPORT, username=FREE_PLAN_USERNAME))
    assert response.status == 402
    assert "plan" in error_text(response)


def test_given_no_role_on_the_project_then_403_and_an_unknown_project_404(sim: Simulator) -> None:
    assert (
        sim.handle(request("/api/2.0/export", EXPORT, username=NO_PROJECT_USERNAME)).status == 403
    )
    unknown = request("/api/2.0/export", EXPORT)
    unknown.query["project_id"] = "999"
    response = sim.handle(unknown)
    assert response.status == 404
    assert "999" in error_text(response)


def test_given_an_account_without_the_me_scope_then_me_is_403_but_export_works(
    sim: Simulator,
) -> None:
    assert sim.handle(request("/api/app/me", username=NO_ME_SCOPE_USERNAME)).status == 403
    export = sim.handle(request("/api/2.0/export", EXPORT, username=NO_ME_SCOPE_USERNAME))
    assert export.status == 200
    assert body(export).count(b"\n") == 1


def test_given_no_or_a_bad_project_id_then_400(sim: Simulator) -> None:
    missing = request("/api/2.0/export", EXPORT)
    del missing.query["project_id"]
    assert sim.handle(missing).status == 400
    bad = request("/api/2.0/export", EXPORT)
    bad.query["project_id"] = "abc"
    assert sim.handle(bad).status == 400


def test_unknown_paths_and_methods_are_refused(sim: Simulator) -> None:
    assert sim.handle(request("/api/2.0/engage")).status == 404
    assert sim.handle(request("/api/2.0/export", EXPORT, method="POST")).status == 405
    logged = [(e["path"], e["status"]) for e in sim.log.entries()[-2:]]
    assert logged == [("/api/2.0/engage", 404), ("/api/2.0/export", 405)]


def test_me_lists_the_project_with_its_timezone_keyed_by_id(sim: Simulator) -> None:
    payload = sim.handle(request("/api/app/me")).json()
    assert isinstance(payload, dict)
    project = payload["results"]["projects"][str(sim.project.spec.project_id)]
    assert project["timezone"] == "America/Los_Angeles"
    assert project["permissions"]
    org = payload["results"]["organizations"][str(project["organization_id"])]
    assert org["name"]
    none = sim.handle(request("/api/app/me", username=NO_PROJECT_USERNAME)).json()
    assert none["results"]["projects"] == {}  # type: ignore[index]
