"""The Query API endpoints the probe and user-property mode use.

- `GET /api/query/events/names`: most common event names of the last 31 days (a JSON list).
- `GET /api/query/events/top`: today's top events with amounts and the change from yesterday.
- `POST /api/query/engage`: user profiles, 1,000 a page, paged with `session_id` + `page`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import threading
from collections import Counter, OrderedDict

from local.mixpanel_sim.events import DAY_MS, day_start_ms
from local.mixpanel_sim.messages import SimRequest, SimResponse, error, json_response
from local.mixpanel_sim.project import SyntheticProject

EVENT_TYPES = ("general", "unique", "average")
MAX_SESSIONS = 256  # Engage sessions kept for paging; older ones expire
MAX_CACHED_DAYS = 8  # per-day event counts kept for events/top


class QueryRoutes:
    """Query endpoints over one project; keeps Engage sessions and per-day counts."""

    def __init__(self, project: SyntheticProject, page_size: int = 1_000) -> None:
        self.project = project
        self.page_size = page_size
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, list[str]] = OrderedDict()
        self._session_seq = itertools.count(1)
        self._counts: OrderedDict[tuple[dt.date, int | None], Counter[str]] = OrderedDict()

    def reset(self) -> None:
        with self._lock:
            self._sessions.clear()

    # --- events/names ---------------------------------------------------------------------
    def names(self, request: SimRequest) -> SimResponse:
        params = request.params
        problem = _check_type(params)
        if problem:
            return problem
        limit = _int(params.get("limit"), 255)
        if limit is None:
            return error(400, "limit must be a positive integer")
        return json_response(200, self.project.expected_event_names()[:limit])

    # --- events/top -----------------------------------------------------------------------
    def top(self, request: SimRequest, now: dt.datetime) -> SimResponse:
        params = request.params
        problem = _check_type(params)
        if problem:
            return problem
        limit = _int(params.get("limit"), 100)
        if limit is None:
            return error(400, "limit must be a positive integer")
        today = self.project.frame_today(now)
        cutoff = self.project.frame_cutoff_ms(now)
        today_counts = self._day_counts(today, cutoff)
        yesterday_counts = self._day_counts(today - dt.timedelta(days=1), None)
        elapsed = _elapsed_share(now, self.project, today)
        events = []
        for name, amount in today_counts.most_common(limit):
            before = yesterday_counts.get(name, 0)
            change = (amount / elapsed - before) / before if before and elapsed > 0 else 1.0
            events.append({"amount": amount, "event": name, "percent_change": change})
        return json_response(200, {"events": events, "type": params.get("type", "general")})

    def _day_counts(self, day: dt.date, cutoff: int | None) -> Counter[str]:
        key = (day, cutoff)
        with self._lock:
            cached = self._counts.get(key)
        if cached is None:
            cached = self.project.day_event_counts(day, cutoff_ms=cutoff)
            with self._lock:
                self._counts[key] = cached
                while len(self._counts) > MAX_CACHED_DAYS:
                    self._counts.popitem(last=False)
        return cached

    # --- engage ---------------------------------------------------------------------------
    def engage(self, request: SimRequest, now: dt.datetime) -> SimResponse:
        params = request.params
        try:
            wanted = _json_list(params.get("distinct_ids"), "distinct_ids")
            if wanted is None and params.get("distinct_id"):
                wanted = [params["distinct_id"]]
            output = _json_list(params.get("output_properties"), "output_properties")
        except ValueError as exc:
            return error(400, str(exc))
        page = _int(params.get("page"), 0, minimum=0)
        if page is None:
            return error(400, "page must be a non-negative integer")
        session_id = params.get("session_id") or None
        if page > 0 and session_id is None:
            return error(400, "session_id is required when page is above 0")
        ids = self._session(session_id, wanted)
        if ids is None:
            return error(400, "unknown or expired session_id")
        sid, matches = ids
        chunk = matches[page * self.page_size : (page + 1) * self.page_size]
        by_id = self.project.profiles_by_id
        results = [_profile(by_id[d], output) for d in chunk]
        return json_response(
            200,
            {
                "page": page,
                "page_size": self.page_size,
                "results": results,
                "session_id": sid,
                "status": "ok",
                "total": len(matches),
                "computed_at": now.isoformat(),
            },
        )

    def _session(
        self, session_id: str | None, wanted: list[str] | None
    ) -> tuple[str, list[str]] | None:
        if session_id is not None:
            with self._lock:
                stored = self._sessions.get(session_id)
            return None if stored is None else (session_id, stored)
        by_id = self.project.profiles_by_id
        if wanted is None:
            matches = [str(p["$distinct_id"]) for p in self.project.profiles]
        else:
            matches = sorted({str(d) for d in wanted if str(d) in by_id})
        digest = hashlib.sha1("\n".join(matches).encode()).hexdigest()[:16]
        with self._lock:
            sid = f"{digest}-{next(self._session_seq)}"
            self._sessions[sid] = matches
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)  # the oldest session expires
        return sid, matches


def _profile(profile: dict[str, object], output: list[str] | None) -> dict[str, object]:
    props = profile["$properties"]
    assert isinstance(props, dict)
    if output is not None:
        props = {k: v for k, v in props.items() if k in output}
    return {"$distinct_id": profile["$distinct_id"], "$properties": dict(props)}


def _json_list(raw: str | None, name: str) -> list[str] | None:
    if raw is None or raw == "":
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a JSON array")
    return [str(v) for v in value]


def _int(raw: str | None, default: int, minimum: int = 1) -> int | None:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= minimum else None


def _check_type(params: dict[str, str]) -> SimResponse | None:
    kind = params.get("type", "general")
    if kind not in EVENT_TYPES:
        return error(400, f"type must be one of {', '.join(EVENT_TYPES)}")
    return None


def _elapsed_share(now: dt.datetime, project: SyntheticProject, today: dt.date) -> float:
    return max(0.0, min(1.0, (project.frame_cutoff_ms(now) - day_start_ms(today)) / DAY_MS))
