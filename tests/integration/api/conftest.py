"""The API as a client sees it: the local API Gateway (real authorizer, real handler) on
the embedded AWS, with the Mixpanel simulator behind it."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from local.api_server import LocalApiServer
from local.dev_tokens import install_dev_key, mint_token
from local.mixpanel_sim import UNLIMITED, ProjectSpec, SimConfig, SimulatorHandle, start_simulator
from usage_analytics.settings import reset_settings

# A secret nobody else uses, so finding it anywhere means our code leaked it.
SIM_SECRET = f"wizard-secret-{uuid.uuid4().hex}"
SIM_USERNAME = "api-tests.mp-service-account"


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorHandle]:
    config = SimConfig(
        project=ProjectSpec(accounts=40, days=35),
        username=SIM_USERNAME,
        secret=SIM_SECRET,
        export_limits=UNLIMITED,
        query_limits=UNLIMITED,
    )
    with start_simulator(config) as handle:
        yield handle


@pytest.fixture(scope="module")
def api_server(local_stack: Any, simulator: SimulatorHandle) -> Iterator[LocalApiServer]:
    """The local API, with the stack's authorizer accepting dev tokens and every Mixpanel
    host pointed at the simulator."""
    install_dev_key(local_stack.environment)
    saved = os.environ.get("MIXPANEL_BASE_URL")
    os.environ["MIXPANEL_BASE_URL"] = simulator.base_url
    reset_settings()
    try:
        with LocalApiServer().start() as server:
            yield server
    finally:
        if saved is None:
            os.environ.pop("MIXPANEL_BASE_URL", None)
        else:
            os.environ["MIXPANEL_BASE_URL"] = saved
        reset_settings()


@pytest.fixture
def client(api_server: LocalApiServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_server.base_url, timeout=60) as http:
        yield http


def bearer(workspace_id: str, role: str, **kwargs: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(workspace_id, role, **kwargs)}"}


def wait_for(check: Callable[[], Any], timeout: float = 90.0, interval: float = 0.25) -> Any:
    """Poll until `check()` returns something truthy (background work: the async probe)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(interval)
