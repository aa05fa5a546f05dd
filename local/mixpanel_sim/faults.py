"""Faults on demand: what goes wrong with Mixpanel in production, armed by tests and demos.

A fault is a JSON object `{"kind": ..., ...}` (defaults in brackets):

- `http_error`: answer with a 5xx. `status` [500], `count` [1].
- `rate_limit`: 429 `Query rate limit exceeded`. `retry_after` seconds [1; null: no
  header], `count` [1].
- `slow`: wait before answering, or stall mid-stream. `delay_seconds` [0],
  `stall_seconds` [0], `after_lines` [0], `count` [1].
- `terminated_early`: the 200 body ends with the line `terminated early`.
  `after_lines` [10], `count` [1].
- `cut_connection`: the connection drops mid-stream. `after_lines` [10], `count` [1].
- `revoke_credentials`: 401 from then on. `after_requests` or `at` (ISO time),
  `username` [every account].
- `schema_drift`: a day's events collapse. `day` (required), `keep_ratio` [0.03],
  `mode` [`drop`; `rename` keeps the events but renames the group key].
- `late_events`: a closed day grows. `day` (required), `events` [100].

Every fault takes `path` (a path prefix; stream and data faults default to the export),
`day` (only exports whose range includes it), `count` (firings; null = always) and `skip`
(let that many matching requests through first).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

EXPORT_PATH = "/api/2.0/export"
ONE_SHOT = ("http_error", "rate_limit", "slow", "terminated_early", "cut_connection")
PERSISTENT = ("revoke_credentials", "schema_drift", "late_events")
STREAM_KINDS = ("terminated_early", "cut_connection", "schema_drift", "late_events")
KINDS = ONE_SHOT + PERSISTENT

_DEFAULTS: dict[str, dict[str, object]] = {
    "http_error": {"status": 500},
    "rate_limit": {"retry_after": 1},
    "slow": {"delay_seconds": 0.0, "stall_seconds": 0.0, "after_lines": 0},
    "terminated_early": {"after_lines": 10},
    "cut_connection": {"after_lines": 10},
    "revoke_credentials": {"after_requests": None, "at": None, "username": None},
    "schema_drift": {"keep_ratio": 0.03, "mode": "drop"},
    "late_events": {"events": 100},
}


class FaultError(ValueError):
    """A fault description the simulator cannot arm; the message says which field."""


@dataclass
class Fault:
    id: int
    kind: str
    params: dict[str, object]
    path: str | None = None
    day: dt.date | None = None
    remaining: int | None = 1
    skip: int = 0
    fired: int = 0
    seen_requests: int = field(default=0)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "path": self.path,
            "day": self.day.isoformat() if self.day else None,
            "remaining": self.remaining,
            "skip": self.skip,
            "fired": self.fired,
            **self.params,
        }

    def matches(self, path: str, days: tuple[dt.date, dt.date] | None) -> bool:
        prefix = self.path or (EXPORT_PATH if self.kind in STREAM_KINDS else "/api/")
        if not path.startswith(prefix):
            return False
        if self.day is None:
            return True
        return days is not None and days[0] <= self.day <= days[1]


def parse_fault(data: Mapping[str, object], fault_id: int) -> Fault:
    """Validate a fault description; unknown kinds and fields are refused, not ignored."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise FaultError(f"kind must be one of {', '.join(KINDS)} (got {kind!r})")
    assert isinstance(kind, str)
    params = dict(_DEFAULTS[kind])
    common = {"kind", "path", "day", "count", "skip"}
    unknown = set(data) - common - set(params)
    if unknown:
        raise FaultError(f"unknown field(s) for {kind}: {', '.join(sorted(unknown))}")
    params.update({k: v for k, v in data.items() if k in params})
    day = _day(data.get("day"))
    if kind in ("schema_drift", "late_events") and day is None:
        raise FaultError(f"{kind} needs a day (YYYY-MM-DD)")
    if kind == "revoke_credentials" and params["after_requests"] is None and params["at"] is None:
        params["after_requests"] = 0
    if params.get("at") is not None:
        params["at"] = _instant(params["at"]).isoformat()
    count = data.get("count", 1 if kind in ONE_SHOT else None)
    if count is not None and (not isinstance(count, int) or count < 1):
        raise FaultError("count must be a positive integer or null (always)")
    skip = data.get("skip", 0)
    if not isinstance(skip, int) or skip < 0:
        raise FaultError("skip must be a non-negative integer")
    path = data.get("path")
    if path is not None and (not isinstance(path, str) or not path.startswith("/")):
        raise FaultError("path must be a path prefix such as /api/2.0/export")
    return Fault(
        id=fault_id, kind=kind, params=params, path=path, day=day, remaining=count, skip=skip
    )


def _day(value: object) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FaultError(f"day must be YYYY-MM-DD (got {value!r})") from None


def _instant(value: object) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise FaultError(f"at must be an ISO date-time (got {value!r})") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


class FaultBook:
    """The armed faults of one simulator; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def add(self, data: Mapping[str, object]) -> Fault:
        fault = parse_fault(data, next(self._ids))
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def snapshot(self) -> list[dict[str, object]]:
        with self._lock:
            return [f.to_json() for f in self._faults]

    def take(
        self, kind: str, path: str, days: tuple[dt.date, dt.date] | None = None
    ) -> Fault | None:
        """The first armed fault of `kind` matching this request, consuming one firing."""
        with self._lock:
            for fault in self._faults:
                if fault.kind != kind or not fault.matches(path, days):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.fired += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                return fault
            return None

    def observe_request(self) -> None:
        """Count one API request towards `revoke_credentials` faults' `after_requests`."""
        with self._lock:
            for fault in self._faults:
                if fault.kind == "revoke_credentials":
                    fault.seen_requests += 1

    def revoked(self, username: str, now: dt.datetime) -> bool:
        with self._lock:
            for fault in self._faults:
                if fault.kind != "revoke_credentials":
                    continue
                target = fault.params.get("username")
                if target is not None and target != username:
                    continue
                after = fault.params.get("after_requests")
                at = fault.params.get("at")
                if isinstance(after, int) and fault.seen_requests > after:
                    return True
                if isinstance(at, str) and now >= dt.datetime.fromisoformat(at):
                    return True
            return False

    def day_faults(self, day: dt.date, kind: str) -> list[Fault]:
        """Data faults (`schema_drift`, `late_events`) armed for `day`."""
        with self._lock:
            return [f for f in self._faults if f.kind == kind and f.day == day]
