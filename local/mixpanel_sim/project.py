"""A seeded synthetic Mixpanel project: the one object tests, demos and the server use.

    project = SyntheticProject(ProjectSpec(seed=7, today=dt.date(2025, 6, 16)))
    for line in project.day_lines(dt.date(2025, 6, 15)): ...   # lazily, bytes per line
    body = project.day_export_bytes(dt.date(2025, 6, 15))       # fast bulk path

Days are export-frame days (see `ProjectSpec.export_frame`). Lines are not time-ordered,
like Mixpanel's export.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from local.mixpanel_sim.events import (
    DAY_MS,
    Record,
    day_start_ms,
    iter_day_batches,
    iter_day_records,
)
from local.mixpanel_sim.plan import AccountPlan, ProjectPlan, build_plan
from local.mixpanel_sim.profiles import build_profiles
from local.mixpanel_sim.spec import ProjectSpec


class SyntheticProject:
    def __init__(self, spec: ProjectSpec | None = None) -> None:
        self.spec = spec or ProjectSpec()
        self.plan: ProjectPlan = build_plan(self.spec)

    # --- the cast -------------------------------------------------------------------------
    @property
    def accounts(self) -> tuple[AccountPlan, ...]:
        """Customers, then the QA accounts, then the pseudo-account of unassigned users."""
        return self.plan.accounts

    @property
    def customers(self) -> tuple[AccountPlan, ...]:
        return self.plan.customers

    @cached_property
    def profiles(self) -> list[dict[str, Any]]:
        return build_profiles(self.plan)

    @cached_property
    def profiles_by_id(self) -> dict[str, dict[str, Any]]:
        return {str(p["$distinct_id"]): p for p in self.profiles}

    # --- time -----------------------------------------------------------------------------
    def frame_today(self, now: dt.datetime) -> dt.date:
        """Today in the export frame: the UTC date for new projects, the project-timezone
        date for old ones (what Mixpanel checks `to_date` against)."""
        if self.spec.export_frame == "utc":
            return now.astimezone(dt.UTC).date()
        return now.astimezone(ZoneInfo(self.spec.timezone)).date()

    def frame_cutoff_ms(self, now: dt.datetime) -> int:
        """`now` as a frame timestamp: events at or after it have not happened yet."""
        if self.spec.export_frame == "utc":
            return int(now.timestamp() * 1000)
        wall_clock = now.astimezone(ZoneInfo(self.spec.timezone)).replace(tzinfo=dt.UTC)
        return int(wall_clock.timestamp() * 1000)

    # --- one day of events ----------------------------------------------------------------
    def records(
        self, day: dt.date, *, time_in_ms: bool = False, cutoff_ms: int | None = None
    ) -> Iterator[Record]:
        """(event name, time in ms, line) for every event of `day`, lazily."""
        records = iter_day_records(self.plan, day, time_in_ms=time_in_ms)
        if cutoff_ms is None or cutoff_ms >= day_start_ms(day) + DAY_MS:
            return records
        return (r for r in records if r[1] < cutoff_ms)

    def batches(
        self, day: dt.date, *, time_in_ms: bool = False, cutoff_ms: int | None = None
    ) -> Iterator[list[Record]]:
        """The same records, a batch (one account) at a time: the server's fast path."""
        batches = iter_day_batches(self.plan, day, time_in_ms=time_in_ms)
        if cutoff_ms is None or cutoff_ms >= day_start_ms(day) + DAY_MS:
            return batches
        return ([r for r in batch if r[1] < cutoff_ms] for batch in batches)

    def day_lines(self, day: dt.date, *, time_in_ms: bool = False) -> Iterator[bytes]:
        """The export body of `day` as JSON lines (bytes, newline included), lazily."""
        for _, _, line in iter_day_records(self.plan, day, time_in_ms=time_in_ms):
            yield line.encode()

    def day_events(self, day: dt.date, *, time_in_ms: bool = False) -> Iterator[dict[str, object]]:
        """The events of `day` as dicts, lazily (parsed from the very lines the server sends)."""
        for _, _, line in iter_day_records(self.plan, day, time_in_ms=time_in_ms):
            yield json.loads(line)

    def day_chunks(
        self, day: dt.date, *, time_in_ms: bool = False, chunk_bytes: int = 1 << 20
    ) -> Iterator[bytes]:
        """The export body of `day` in blocks of about `chunk_bytes`: the fast path for
        benchmarks and big days (a million events is about 500 MB of JSON)."""
        buffer: list[str] = []
        size = 0
        for _, _, line in iter_day_records(self.plan, day, time_in_ms=time_in_ms):
            buffer.append(line)
            size += len(line)
            if size >= chunk_bytes:
                yield "".join(buffer).encode()
                buffer, size = [], 0
        if buffer:
            yield "".join(buffer).encode()

    def day_export_bytes(self, day: dt.date, *, time_in_ms: bool = False) -> bytes:
        """The whole export body of `day` in one buffer (prefer `day_chunks` for big days)."""
        return b"".join(self.day_chunks(day, time_in_ms=time_in_ms))

    def day_event_counts(self, day: dt.date, *, cutoff_ms: int | None = None) -> Counter[str]:
        return Counter(r[0] for r in self.records(day, cutoff_ms=cutoff_ms))

    def expected_event_names(self) -> list[str]:
        """Event names by expected volume, most common first (for the names endpoint)."""
        weight: dict[str, float] = {}
        for account in self.plan.accounts:
            users = sum(u.activity * u.depth for u in account.users) * account.intensity
            previous = 0.0
            total = account.cum_weights[-1]
            for name, cum in zip(account.event_names, account.cum_weights, strict=True):
                weight[name] = weight.get(name, 0.0) + users * (cum - previous) / total
                previous = cum
        weight["$identify"] = 1e-3
        weight["$merge"] = 1e-4
        if self.spec.hot_shard_day is not None:
            weight["record_synced"] = self.plan.bot_events * 0.75
            weight["api_request"] = self.plan.bot_events * 0.25
            weight["$hotshard_events"] = 1e-5
        return sorted(weight, key=lambda n: (-weight[n], n))
