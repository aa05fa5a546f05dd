"""`/api/2.0/export` parameters as Mixpanel reads them: inclusive dates in the project's
export frame, today's limit, event filter, limit, time_in_ms."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from local.mixpanel_sim.config import UNLIMITED, SimConfig
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.simulator import Simulator
from tests.unit.mixpanel_sim.conftest import SMALL, TODAY
from tests.unit.mixpanel_sim.simfixtures import (
    YESTERDAY,
    body,
    error_text,
    export_request,
    request,
    simulator,
)


@pytest.fixture(scope="module")
def sim(project: SyntheticProject) -> Simulator:
    return simulator(project)


def test_a_day_streams_exactly_the_generated_export(sim: Simulator) -> None:
    response = sim.handle(export_request(YESTERDAY))
    assert response.status == 200
    assert response.content_type.startswith("text/plain")
    assert response.stream is not None
    assert body(response) == sim.project.day_export_bytes(YESTERDAY)


def test_dates_are_inclusive_and_one_request_streams_the_whole_range(sim: Simulator) -> None:
    first = YESTERDAY - dt.timedelta(days=2)
    expected = b"".join(
        sim.project.day_export_bytes(first + dt.timedelta(days=k)) for k in range(3)
    )
    assert body(sim.handle(export_request(first, YESTERDAY))) == expected


def test_event_filter_limit_and_milliseconds(sim: Simulator) -> None:
    filtered = body(
        sim.handle(export_request(YESTERDAY, event=json.dumps(["invite_sent", "page_view"])))
    )
    names = {json.loads(line)["event"] for line in filtered.splitlines()}
    assert names == {"invite_sent", "page_view"}
    limited = body(sim.handle(export_request(YESTERDAY, limit=7)))
    assert limited.count(b"\n") == 7
    ms = body(sim.handle(export_request(YESTERDAY, limit=3, time_in_ms="true")))
    seconds = body(sim.handle(export_request(YESTERDAY, limit=3)))
    for a, b in zip(ms.splitlines(), seconds.splitlines(), strict=True):
        assert json.loads(a)["properties"]["time"] // 1000 == json.loads(b)["properties"]["time"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"from_date": TODAY, "to_date": TODAY + dt.timedelta(days=1)},
            "to_date cannot be later than today",
        ),
        (
            {"from_date": YESTERDAY, "to_date": YESTERDAY - dt.timedelta(days=1)},
            "from_date cannot be later than to_date",
        ),
        ({"from_date": "2025-6-1", "to_date": YESTERDAY}, "from_date must be a date"),
        ({"to_date": YESTERDAY}, "from_date is a required parameter"),
        ({"from_date": YESTERDAY, "to_date": YESTERDAY, "limit": 100_001}, "limit cannot be over"),
        ({"from_date": YESTERDAY, "to_date": YESTERDAY, "event": "page_view"}, "JSON array"),
    ],
)
def test_bad_parameters_are_refused_with_mixpanels_message(
    sim: Simulator, params: dict[str, object], message: str
) -> None:
    response = sim.handle(request("/api/2.0/export", params))
    assert response.status == 400
    assert message in error_text(response)


def test_today_is_partial_up_to_the_simulators_clock(sim: Simulator) -> None:
    lines = body(sim.handle(export_request(TODAY))).splitlines()
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC).timestamp()
    assert lines
    assert all(json.loads(line)["properties"]["time"] < noon for line in lines)
    assert len(lines) < sim.project.day_export_bytes(TODAY).count(b"\n")


def test_a_legacy_project_reads_dates_in_its_timezone(project: SyntheticProject) -> None:
    """At 03:00 UTC on the 18th it is still the 17th in Los Angeles."""
    early = dt.datetime.combine(TODAY, dt.time(3), tzinfo=dt.UTC)
    new = Simulator(SimConfig(project=SMALL, clock=lambda: early, export_limits=UNLIMITED), project)
    assert new.handle(export_request(TODAY)).status == 200
    legacy_spec = dataclasses.replace(SMALL, created=dt.date(2021, 3, 1))
    legacy = Simulator(SimConfig(project=legacy_spec, clock=lambda: early, export_limits=UNLIMITED))
    refused = legacy.handle(export_request(TODAY))
    assert refused.status == 400
    assert error_text(refused) == "to_date cannot be later than today"
    assert legacy.handle(export_request(YESTERDAY, limit=1)).status == 200


def test_where_is_accepted_and_noted_as_ignored(sim: Simulator) -> None:
    response = sim.handle(export_request(YESTERDAY, limit=1, where='properties["x"]=="y"'))
    assert body(response).count(b"\n") == 1
    assert sim.log.entries("/api/2.0/export")[-1]["extra"] == {"where_ignored": True}
