"""The Mixpanel client against the real Mixpanel simulator on loopback.

Each test gets its own small simulator (a fresh port, so a fresh per-project limiter in the
client too) and a client factory whose `sleep` records waits instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from local.mixpanel_sim.config import SimConfig
from local.mixpanel_sim.server import SimulatorHandle, start_simulator
from local.mixpanel_sim.spec import ProjectSpec
from usage_analytics.clock import FixedClock
from usage_analytics.mixpanel import MixpanelClient, Region, RetryPolicy, ServiceAccount

TODAY = dt.date(2024, 5, 20)
YESTERDAY = TODAY - dt.timedelta(days=1)

pytestmark = pytest.mark.integration


@dataclass
class Waits:
    seconds: list[float] = field(default_factory=list)

    def __call__(self, delay: float) -> None:
        self.seconds.append(delay)


@dataclass
class SimWorld:
    """A running simulator, its control API, and clients pointed at it."""

    handle: SimulatorHandle
    waits: Waits = field(default_factory=Waits)

    @property
    def base_url(self) -> str:
        return self.handle.base_url

    @property
    def project_id(self) -> int:
        return self.handle.project.spec.project_id

    def client(
        self,
        *,
        username: str | None = None,
        secret: str | None = None,
        region: str | None = None,
        project_id: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> MixpanelClient:
        sim_user, sim_secret = self.handle.auth
        account = ServiceAccount(
            username=username or sim_user,
            secret=SecretStr(secret or sim_secret),
            project_id=project_id or self.project_id,
            region=Region.parse(region or self.handle.project.spec.region),
        )
        return MixpanelClient(
            account,
            base_url=self.base_url,
            retry=retry or RetryPolicy(max_attempts=4, base_delay=0.5, max_delay=4.0),
            sleep=self.waits,
            rng=random.Random(3),
            clock=FixedClock(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)),
        )

    def arm(self, **fault: object) -> None:
        """Arm a fault through the simulator's control API (`POST /_sim/faults`)."""
        answer = httpx.post(f"{self.base_url}/_sim/faults", json=fault)
        assert answer.status_code == 201, answer.text

    def requests(self, path: str = "/api/") -> list[dict[str, Any]]:
        """The simulator's request log (`GET /_sim/requests`)."""
        answer = httpx.get(f"{self.base_url}/_sim/requests", params={"path": path})
        answer.raise_for_status()
        entries = answer.json()["requests"]
        assert isinstance(entries, list)
        return entries


def small_project(**overrides: object) -> ProjectSpec:
    knobs: dict[str, object] = {"today": TODAY, "accounts": 25, "days": 4, **overrides}
    return ProjectSpec(**knobs)  # type: ignore[arg-type]


@pytest.fixture
def start_world() -> Iterator[Callable[..., SimWorld]]:
    handles: list[SimulatorHandle] = []

    def start(**config: object) -> SimWorld:
        project = config.pop("project", None) or small_project()
        handle = start_simulator(SimConfig(project=project, **config))  # type: ignore[arg-type]
        handles.append(handle)
        return SimWorld(handle)

    yield start
    for handle in handles:
        handle.stop()


@pytest.fixture
def world(start_world: Callable[..., SimWorld]) -> SimWorld:
    return start_world()
