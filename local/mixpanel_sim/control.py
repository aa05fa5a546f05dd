"""The simulator's own endpoints under `/_sim/` (no auth, never logged as API requests):

- `GET /_sim/health`: project id, region, timezone, export frame, today.
- `GET /_sim/accounts`: the synthetic accounts (id, domain, shape, CRM status, users).
- `GET|POST|DELETE /_sim/faults`: list / arm (one object, a list, or `{"faults": [...]}`)
  / clear.
- `GET|DELETE /_sim/requests`: the request log (`?path=` prefix filter) / clear it.
- `GET|POST /_sim/limits`: rate limits, `{"export": {...}, "query": {...},
  "send_retry_after": bool}`, each `{"per_hour", "per_second", "concurrent"}` (null: off).
- `POST /_sim/reset`: clear faults, request log, rate-limit windows, Engage sessions.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from local.mixpanel_sim.config import Limits
from local.mixpanel_sim.faults import FaultError
from local.mixpanel_sim.messages import SimRequest, SimResponse, error, json_response

if TYPE_CHECKING:
    from local.mixpanel_sim.simulator import Simulator


def handle(sim: Simulator, request: SimRequest) -> SimResponse:
    key = (request.method, request.path.rstrip("/"))
    try:
        if key == ("GET", "/_sim/health"):
            return json_response(200, health(sim))
        if key == ("GET", "/_sim/accounts"):
            return json_response(200, {"accounts": accounts(sim)})
        if key == ("GET", "/_sim/faults"):
            return json_response(200, {"faults": sim.faults.snapshot()})
        if key == ("POST", "/_sim/faults"):
            return json_response(201, {"armed": arm(sim, _body(request))})
        if key == ("DELETE", "/_sim/faults"):
            sim.faults.clear()
            return json_response(200, {"faults": []})
        if key == ("GET", "/_sim/requests"):
            return json_response(200, {"requests": sim.log.entries(request.query.get("path"))})
        if key == ("DELETE", "/_sim/requests"):
            sim.log.clear()
            return json_response(200, {"requests": []})
        if key == ("GET", "/_sim/limits"):
            return json_response(200, limits(sim))
        if key == ("POST", "/_sim/limits"):
            set_limits(sim, _body(request))
            return json_response(200, limits(sim))
        if key == ("POST", "/_sim/reset"):
            sim.reset()
            return json_response(200, {"status": "ok"})
    except (FaultError, ValueError, TypeError) as exc:
        return error(400, str(exc))
    return error(404, f"no such control endpoint: {request.method} {request.path}")


def _body(request: SimRequest) -> object:
    if not request.body:
        return {}
    try:
        return json.loads(request.body)
    except ValueError:
        raise ValueError("the body must be JSON") from None


def health(sim: Simulator) -> dict[str, object]:
    spec = sim.project.spec
    now = sim.now()
    return {
        "status": "ok",
        "project_id": spec.project_id,
        "region": spec.region,
        "timezone": spec.timezone,
        "export_frame": spec.export_frame,
        "today": sim.project.frame_today(now).isoformat(),
        "now": now.isoformat(),
        "first_day": spec.first_day.isoformat(),
        "seed": spec.seed,
        "accounts": spec.accounts,
        "username": sim.config.username,
    }


def accounts(sim: Simulator) -> list[dict[str, object]]:
    return [
        {
            "index": a.index,
            "kind": a.kind,
            "name": a.name,
            "company_id": a.company_id,
            "domain": a.domain,
            "shape": a.shape,
            "decline_mode": a.decline_mode,
            "crm_status": a.crm_status,
            "users": len(a.users),
            "features": list(a.features),
        }
        for a in sim.project.accounts
    ]


def arm(sim: Simulator, body: object) -> list[dict[str, object]]:
    if isinstance(body, dict) and "faults" in body:
        body = body["faults"]
    items = body if isinstance(body, list) else [body]
    armed = []
    for item in items:
        if not isinstance(item, dict):
            raise FaultError("a fault is a JSON object with a kind")
        armed.append(sim.faults.add(item).to_json())
    return armed


def limits(sim: Simulator) -> dict[str, object]:
    def as_json(limits: Limits) -> dict[str, object]:
        return {
            "per_hour": limits.per_hour,
            "per_second": limits.per_second,
            "concurrent": limits.concurrent,
        }

    return {
        "export": as_json(sim.limiters["export"].limits),
        "query": as_json(sim.limiters["query"].limits),
        "send_retry_after": sim.send_retry_after,
    }


def set_limits(sim: Simulator, body: object) -> None:
    if not isinstance(body, dict):
        raise ValueError("limits must be a JSON object")
    for family in ("export", "query"):
        if family in body:
            data = body[family]
            if not isinstance(data, dict):
                raise ValueError(f"{family} must be an object of per_hour/per_second/concurrent")
            limiter = sim.limiters[family]
            limiter.set_limits(Limits.from_json(data, limiter.limits))
    if "send_retry_after" in body:
        sim.send_retry_after = bool(body["send_retry_after"])
