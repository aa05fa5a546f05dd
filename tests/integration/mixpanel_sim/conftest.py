"""The simulator on a real loopback socket: one small world per test module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from local.mixpanel_sim.config import UNLIMITED, SimConfig
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.server import SimulatorHandle, start_simulator
from local.mixpanel_sim.spec import ProjectSpec

TODAY = dt.date(2025, 6, 18)
YESTERDAY = TODAY - dt.timedelta(days=1)
SPEC = ProjectSpec(seed=21, accounts=30, days=10, today=TODAY)


@pytest.fixture(scope="session")
def shared_project() -> SyntheticProject:
    return SyntheticProject(SPEC)


@pytest.fixture
def sim(shared_project: SyntheticProject) -> Iterator[SimulatorHandle]:
    config = SimConfig(project=SPEC, export_limits=UNLIMITED, query_limits=UNLIMITED)
    with start_simulator(config, project=shared_project) as handle:
        yield handle


@pytest.fixture
def client(sim: SimulatorHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, auth=sim.auth, timeout=70.0) as http:
        yield http


def export_params(
    day_from: dt.date, day_to: dt.date | None = None, **extra: object
) -> dict[str, str]:
    params = {
        "project_id": str(SPEC.project_id),
        "from_date": day_from.isoformat(),
        "to_date": (day_to or day_from).isoformat(),
    }
    params.update({k: str(v) for k, v in extra.items()})
    return params
