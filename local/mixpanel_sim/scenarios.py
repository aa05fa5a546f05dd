"""Named set-ups of the simulator for demos, benchmarks and manual testing.

- `default`: ~300 accounts, 45 days, Mixpanel's real rate limits, no faults.
- `big`: 2,000 accounts, ~50,000 users, ~1,000,000 events on a weekday, 7 days, no limits.
- `faulty`: the default project with a standing set of faults (5xx, `terminated early`,
  a cut stream, a 429, a slow query, a schema-drift day yesterday, a day that grows late).
- `legacy-timezone`: a project created before 2023: export days are project-timezone days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from local.mixpanel_sim.config import UNLIMITED, SimConfig
from local.mixpanel_sim.spec import DEFAULT_SEED, ProjectSpec, Region, utc_today


def _default(spec: ProjectSpec) -> SimConfig:
    return SimConfig(project=spec)


def _big(spec: ProjectSpec) -> SimConfig:
    return SimConfig(project=spec, export_limits=UNLIMITED, query_limits=UNLIMITED)


def _faulty(spec: ProjectSpec) -> SimConfig:
    today = spec.today

    def day(days_ago: int) -> str:
        return (today - dt.timedelta(days=days_ago)).isoformat()

    faults: tuple[dict[str, object], ...] = (
        {"kind": "http_error", "status": 503, "count": 2},
        {"kind": "terminated_early", "day": day(3), "after_lines": 500},
        {"kind": "cut_connection", "day": day(6), "after_lines": 800},
        {"kind": "rate_limit", "retry_after": 2, "skip": 5},
        {"kind": "slow", "path": "/api/query/", "delay_seconds": 2.0},
        {"kind": "schema_drift", "day": day(1), "keep_ratio": 0.03},
        {"kind": "late_events", "day": day(2), "events": 200},
    )
    return SimConfig(project=spec, faults=faults)


# Project knobs a scenario changes; command-line overrides still win.
SPEC_DEFAULTS: dict[str, dict[str, object]] = {
    "big": {
        "accounts": 2_000,
        "days": 7,
        "mean_users_per_account": 25.0,
        "target_events_per_day": 1_000_000,
    },
    "legacy-timezone": {"created": dt.date(2021, 3, 1)},
}


SCENARIOS: dict[str, Callable[[ProjectSpec], SimConfig]] = {
    "default": _default,
    "big": _big,
    "faulty": _faulty,
    "legacy-timezone": _default,
}


def scenario_config(
    name: str,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    region: Region = "US",
    accounts: int | None = None,
    days: int | None = None,
    project_id: int | None = None,
) -> SimConfig:
    """The SimConfig of a named scenario; unknown names raise ValueError listing the known."""
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
    knobs: dict[str, object] = {"seed": seed, "today": today or utc_today(), "region": region}
    knobs.update(SPEC_DEFAULTS.get(name, {}))
    overrides = {"accounts": accounts, "days": days, "project_id": project_id}
    knobs.update({k: v for k, v in overrides.items() if v is not None})
    return SCENARIOS[name](ProjectSpec(**knobs))  # type: ignore[arg-type]
