"""`GET /api/2.0/export`: a date range of raw events as streamed JSON lines.

Parameters as Mixpanel reads them: inclusive `from_date`/`to_date` in the export frame,
`to_date` no later than today there, optional `event` (JSON array), `limit` (<= 100000),
`time_in_ms`. `where` is accepted and ignored (noted in the request log).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from local.mixpanel_sim.events import Record, iter_late_records
from local.mixpanel_sim.faults import Fault, FaultBook
from local.mixpanel_sim.messages import TEXT, CutConnection, SimRequest, SimResponse, error
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.request_log import LogEntry

MAX_LIMIT = 100_000
TERMINATED_EARLY = b"terminated early\n"


class BadRequest(ValueError):
    """An export parameter Mixpanel would refuse with 400; the message is the error text."""


@dataclass(frozen=True)
class ExportQuery:
    from_date: dt.date
    to_date: dt.date
    events: frozenset[str] | None
    limit: int | None
    time_in_ms: bool
    where: str | None

    @property
    def days(self) -> Iterator[dt.date]:
        day = self.from_date
        while day <= self.to_date:
            yield day
            day += dt.timedelta(days=1)


def date_range(params: dict[str, str]) -> tuple[dt.date, dt.date] | None:
    """The requested range when both dates parse (for matching faults), else None."""
    try:
        return dt.date.fromisoformat(params["from_date"]), dt.date.fromisoformat(params["to_date"])
    except (KeyError, ValueError):
        return None


def parse_export_query(params: dict[str, str], today: dt.date) -> ExportQuery:
    """Validate the export parameters against `today` in the project's export frame."""
    dates = {}
    for name in ("from_date", "to_date"):
        raw = params.get(name)
        if not raw:
            raise BadRequest(f"{name} is a required parameter")
        try:
            dates[name] = dt.date.fromisoformat(raw)
        except ValueError:
            raise BadRequest(f"{name} must be a date formatted as YYYY-MM-DD") from None
        if len(raw) != 10:
            raise BadRequest(f"{name} must be a date formatted as YYYY-MM-DD")
    if dates["to_date"] > today:
        raise BadRequest("to_date cannot be later than today")
    if dates["from_date"] > dates["to_date"]:
        raise BadRequest("from_date cannot be later than to_date")
    return ExportQuery(
        from_date=dates["from_date"],
        to_date=dates["to_date"],
        events=_events(params.get("event")),
        limit=_limit(params.get("limit")),
        time_in_ms=params.get("time_in_ms", "").lower() in ("true", "1"),
        where=params.get("where") or None,
    )


def _events(raw: str | None) -> frozenset[str] | None:
    if raw is None or raw == "":
        return None
    try:
        names = json.loads(raw)
    except ValueError:
        names = None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise BadRequest('event must be a JSON array of event names, e.g. ["Signed Up"]')
    return frozenset(names)


def _limit(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest("limit must be an integer") from None
    if limit < 1 or limit > MAX_LIMIT:
        raise BadRequest(f"limit cannot be over {MAX_LIMIT} (and must be positive)")
    return limit


def export(
    project: SyntheticProject,
    faults: FaultBook,
    request: SimRequest,
    entry: LogEntry,
    now: dt.datetime,
    slow: Fault | None = None,
) -> SimResponse:
    try:
        query = parse_export_query(request.params, project.frame_today(now))
    except BadRequest as exc:
        return error(400, str(exc))
    if query.where:
        entry.extra["where_ignored"] = True
    days = (query.from_date, query.to_date)
    shaping = StreamFaults(
        terminated=faults.take("terminated_early", request.path, days),
        cut=faults.take("cut_connection", request.path, days),
        slow=slow,
    )
    batches = _batches(project, faults, query, project.frame_cutoff_ms(now))
    gzip = "gzip" in (request.header("accept-encoding") or "").lower()
    return SimResponse(200, content_type=TEXT, stream=shaped(batches, entry, shaping), gzip=gzip)


def _batches(
    project: SyntheticProject, faults: FaultBook, query: ExportQuery, cutoff_ms: int
) -> Iterator[list[str]]:
    """The requested lines, a batch at a time, filtered by event name and cut at `limit`."""
    remaining = query.limit
    wanted = query.events
    for day in query.days:
        for batch in _day_batches(project, faults, day, query.time_in_ms, cutoff_ms):
            if wanted is None:
                lines = [r[2] for r in batch]
            else:
                lines = [r[2] for r in batch if r[0] in wanted]
            if remaining is not None:
                lines = lines[:remaining]
                remaining -= len(lines)
            if lines:
                yield lines
            if remaining == 0:
                return


def _day_batches(
    project: SyntheticProject, faults: FaultBook, day: dt.date, ms: bool, cutoff_ms: int
) -> Iterator[list[Record]]:
    batches = project.batches(day, time_in_ms=ms, cutoff_ms=cutoff_ms)
    for fault in faults.day_faults(day, "schema_drift"):
        batches = _drifted(batches, fault, day, project.spec.group_key)
    for fault in faults.day_faults(day, "late_events"):
        count = int(str(fault.params["events"]))
        late = iter_late_records(project.plan, day, count, salt=str(fault.id), time_in_ms=ms)
        batches = itertools.chain(batches, [list(late)])
    return batches


def _drifted(
    batches: Iterator[list[Record]], fault: Fault, day: dt.date, group_key: str
) -> Iterator[list[Record]]:
    """A tracking change broke the day: most events vanish (`drop`) or lose the group key
    (`rename`: it becomes `companyId`), a few percent survive."""
    keep = float(str(fault.params["keep_ratio"]))
    rename = fault.params.get("mode") == "rename"
    rng = random.Random(f"drift:{day.isoformat()}:{fault.id}")
    old, new = f'"{group_key}":', '"companyId":'
    for batch in batches:
        out = []
        for name, t, line in batch:
            if rng.random() < keep:
                out.append((name, t, line))
            elif rename:
                out.append((name, t, line.replace(old, new, 1)))
        yield out


@dataclass(frozen=True)
class StreamFaults:
    terminated: Fault | None = None
    cut: Fault | None = None
    slow: Fault | None = None

    def after(self, fault: Fault | None) -> int | None:
        return None if fault is None else int(str(fault.params.get("after_lines") or 0))


def shaped(batches: Iterator[list[str]], entry: LogEntry, faults: StreamFaults) -> Iterator[bytes]:
    """The body as bytes blocks, with this request's stream faults applied and the lines
    sent counted into the log entry.

    `terminated_early` ends the body with the line `terminated early` after N lines (or at
    the end, when there are fewer); `cut_connection` drops the connection likewise; `slow`
    with `stall_seconds` pauses the stream after N lines.
    """
    stop_at, cut_at = faults.after(faults.terminated), faults.after(faults.cut)
    stall_seconds = float(str(faults.slow.params.get("stall_seconds") or 0)) if faults.slow else 0
    stall_at = faults.after(faults.slow) if stall_seconds > 0 else None
    ends = [n for n in (stop_at, cut_at) if n is not None]
    end_at = min(ends) if ends else None
    for label, fault in (("terminated_early", faults.terminated), ("cut_connection", faults.cut)):
        if fault is not None:
            entry.fault = label
    sent = 0
    for batch in batches:
        lines = batch
        if stall_at is not None and sent <= stall_at < sent + len(lines):
            head, lines = lines[: stall_at - sent], lines[stall_at - sent :]
            if head:
                sent = entry.lines = sent + len(head)
                yield "".join(head).encode()
            time.sleep(stall_seconds)
            stall_at = None
        if end_at is not None and sent + len(lines) >= end_at:
            lines = lines[: end_at - sent]
            if lines:
                sent = entry.lines = sent + len(lines)
                yield "".join(lines).encode()
            break
        sent = entry.lines = sent + len(lines)
        yield "".join(lines).encode()
    if cut_at is not None:
        entry.outcome = "cut"
        raise CutConnection()
    if stop_at is not None:
        entry.outcome = "terminated_early"
        yield TERMINATED_EARLY
