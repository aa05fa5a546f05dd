"""Every generated line follows Mixpanel's documented raw-export format."""

from __future__ import annotations

import datetime as dt
import json
import re

from local.mixpanel_sim.events import DAY_MS, day_start_ms
from local.mixpanel_sim.project import SyntheticProject
from tests.unit.mixpanel_sim.conftest import TODAY

YESTERDAY = TODAY - dt.timedelta(days=1)
INSERT_ID = re.compile(r"^[0-9a-f]{16}$")


def test_every_line_is_a_json_event_with_time_distinct_id_and_processing_time(
    project: SyntheticProject,
) -> None:
    start_s = day_start_ms(YESTERDAY) // 1000
    with_insert_id = 0
    lines = list(project.day_lines(YESTERDAY))
    for line in lines:
        assert line.endswith(b"\n") and line.count(b"\n") == 1
        event = json.loads(line)
        assert set(event) == {"event", "properties"}
        assert isinstance(event["event"], str) and event["event"]
        props = event["properties"]
        assert isinstance(props["time"], int)
        assert start_s <= props["time"] < start_s + 86_400
        assert isinstance(props["distinct_id"], str)
        assert isinstance(props["mp_processing_time_ms"], int)
        assert props["mp_processing_time_ms"] >= props["time"] * 1000
        if "$insert_id" in props:
            assert INSERT_ID.match(props["$insert_id"])
            with_insert_id += 1
    assert 0.9 * len(lines) < with_insert_id < len(lines)


def test_given_time_in_ms_then_times_are_milliseconds_of_the_same_events(
    project: SyntheticProject,
) -> None:
    seconds = list(project.day_events(YESTERDAY))
    millis = list(project.day_events(YESTERDAY, time_in_ms=True))
    assert len(seconds) == len(millis)
    start = day_start_ms(YESTERDAY)
    for s, m in zip(seconds, millis, strict=True):
        t_ms = m["properties"]["time"]  # type: ignore[index]
        assert start <= t_ms < start + DAY_MS
        assert t_ms // 1000 == s["properties"]["time"]  # type: ignore[index]
        assert m["event"] == s["event"]
    assert any(m["properties"]["time"] % 1000 for m in millis)  # type: ignore[index]
