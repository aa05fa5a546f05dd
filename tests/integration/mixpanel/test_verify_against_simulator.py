"""Connecting against the simulator: each way a connection can fail gives its own error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from local.mixpanel_sim.config import (
    FREE_PLAN_USERNAME,
    NO_ME_SCOPE_USERNAME,
    NO_PROJECT_USERNAME,
)
from tests.integration.mixpanel.conftest import YESTERDAY, SimWorld, small_project
from usage_analytics.mixpanel import (
    BadCredentials,
    PlanWithoutApiAccess,
    ProjectForbidden,
    ProjectInfo,
    ProjectNotFound,
    Region,
    WrongRegion,
)

pytestmark = pytest.mark.integration


def test_given_the_dev_account_then_verify_reads_the_project_timezone(world: SimWorld) -> None:
    spec = world.handle.project.spec
    assert world.client().verify() == ProjectInfo(
        spec.project_id, timezone=spec.timezone, name=spec.name
    )
    (entry,) = world.requests()
    assert (entry["path"], entry["status"], entry["region"]) == ("/api/app/me", 200, "US")


def test_given_a_wrong_secret_then_bad_credentials(world: SimWorld) -> None:
    with pytest.raises(BadCredentials, match="Reconnect"):
        world.client(secret="not-the-secret").verify()


def test_given_an_account_without_the_me_scope_then_a_one_row_export_verifies(
    world: SimWorld,
) -> None:
    info = world.client(username=NO_ME_SCOPE_USERNAME).verify()
    assert info == ProjectInfo(world.project_id, timezone=None, verified_by="export")
    me, export = world.requests()
    assert me["status"] == 403
    assert export["path"] == "/api/2.0/export" and export["status"] == 200
    assert export["params"] == {
        "project_id": str(world.project_id),
        "from_date": YESTERDAY.isoformat(),
        "to_date": YESTERDAY.isoformat(),
        "limit": "1",
    }


def test_given_an_account_without_access_to_the_project_then_not_found_or_forbidden(
    world: SimWorld,
) -> None:
    # /api/app/me does not list the project: the wizard can say so before any export
    with pytest.raises(ProjectNotFound, match="not among the projects"):
        world.client(username=NO_PROJECT_USERNAME).verify()
    # and the export API itself answers 403 for it
    with pytest.raises(ProjectForbidden, match="add the service account"):
        list(world.client(username=NO_PROJECT_USERNAME).export(YESTERDAY, YESTERDAY))


def test_given_a_plan_without_api_access_then_plan_without_api_access(world: SimWorld) -> None:
    with pytest.raises(PlanWithoutApiAccess, match="plan"):
        world.client(username=FREE_PLAN_USERNAME).verify()


def test_given_an_unknown_project_id_then_project_not_found(world: SimWorld) -> None:
    with pytest.raises(ProjectNotFound):
        list(world.client(project_id=999).export(YESTERDAY, YESTERDAY))


def test_given_an_eu_project_asked_in_the_us_then_wrong_region_names_eu(
    start_world: Callable[..., SimWorld],
) -> None:
    world = start_world(project=small_project(region="EU"))
    client = world.client(region="US")
    with pytest.raises(WrongRegion, match="choose region EU"):
        client.verify(detect_region=True)
    assert client.detect_region() is Region.EU
    regions = [entry["region"] for entry in world.requests()]
    assert set(regions) <= {"US", "EU", "IN"} and regions[0] == "US"


def test_given_revoked_credentials_then_the_next_request_says_reconnect(world: SimWorld) -> None:
    client = world.client()
    client.verify()
    world.arm(kind="revoke_credentials")
    with pytest.raises(BadCredentials, match="Reconnect"):
        client.event_names()
