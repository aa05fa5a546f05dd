"""Helpers to call the simulator as a function: build a request, read a response."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json

from local.mixpanel_sim.config import DEV_SECRET, DEV_USERNAME, UNLIMITED, SimConfig
from local.mixpanel_sim.messages import CutConnection, SimRequest, SimResponse
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.simulator import Simulator
from tests.unit.mixpanel_sim.conftest import SMALL, TODAY

YESTERDAY = TODAY - dt.timedelta(days=1)
PROJECT_ID = SMALL.project_id


def simulator(project: SyntheticProject, **config: object) -> Simulator:
    base = SimConfig(project=SMALL, export_limits=UNLIMITED, query_limits=UNLIMITED)
    return Simulator(dataclasses.replace(base, **config), project)  # type: ignore[arg-type]


def request(
    path: str,
    params: dict[str, object] | None = None,
    *,
    method: str = "GET",
    form: dict[str, str] | None = None,
    username: str = DEV_USERNAME,
    secret: str = DEV_SECRET,
    headers: dict[str, str] | None = None,
    auth: bool = True,
) -> SimRequest:
    query = {"project_id": str(PROJECT_ID)}
    query.update({k: str(v) for k, v in (params or {}).items()})
    all_headers = {k.lower(): v for k, v in (headers or {}).items()}
    if auth:
        token = base64.b64encode(f"{username}:{secret}".encode()).decode()
        all_headers["authorization"] = f"Basic {token}"
    return SimRequest(method, path, query, dict(form or {}), all_headers)


def export_request(
    day_from: dt.date, day_to: dt.date | None = None, **params: object
) -> SimRequest:
    extra = {"from_date": day_from.isoformat(), "to_date": (day_to or day_from).isoformat()}
    return request("/api/2.0/export", {**extra, **params})


def body(response: SimResponse) -> bytes:
    """The whole body as a client would read it (a stream is drained and closed)."""
    try:
        if response.stream is None:
            return response.body
        return b"".join(response.stream)
    finally:
        response.close()


def drain_until_cut(response: SimResponse) -> tuple[bytes, bool]:
    received: list[bytes] = []
    assert response.stream is not None
    try:
        for chunk in response.stream:
            received.append(chunk)
    except CutConnection:
        return b"".join(received), True
    finally:
        response.close()
    return b"".join(received), False


def error_text(response: SimResponse) -> str:
    payload = json.loads(body(response))
    assert payload["status"] == "error"
    return str(payload["error"])
