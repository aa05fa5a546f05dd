"""`python -m local.mixpanel_sim` runs the simulator in the foreground until stopped."""

from __future__ import annotations

import threading

import httpx
import pytest

from local.mixpanel_sim.__main__ import main
from local.mixpanel_sim.server import SimulatorHandle

pytestmark = pytest.mark.integration


def test_main_serves_the_scenario_until_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    started: list[SimulatorHandle] = []
    ready = threading.Event()
    stop = threading.Event()

    def on_ready(handle: SimulatorHandle) -> None:
        started.append(handle)
        ready.set()

    argv = [
        "--port",
        "0",
        "--seed",
        "3",
        "--accounts",
        "12",
        "--days",
        "5",
        "--today",
        "2025-06-18",
        "--scenario",
        "faulty",
    ]
    runner = threading.Thread(target=main, args=(argv,), kwargs={"ready": on_ready, "stop": stop})
    runner.start()
    try:
        assert ready.wait(60)
        handle = started[0]
        health = httpx.get(f"{handle.base_url}/_sim/health").json()
        assert health["today"] == "2025-06-18" and health["seed"] == 3
        faults = httpx.get(f"{handle.base_url}/_sim/faults").json()["faults"]
        assert {f["kind"] for f in faults} >= {"http_error", "schema_drift", "terminated_early"}
    finally:
        stop.set()
        runner.join(30)
    assert not runner.is_alive()
    out = capsys.readouterr().out
    assert handle.base_url in out and "dev default" in out
    assert handle.config.secret not in out
