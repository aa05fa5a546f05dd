"""Each injected fault changes the answer the way the real failure would."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from local.mixpanel_sim.config import DEV_SECRET, Limits
from local.mixpanel_sim.export_route import TERMINATED_EARLY
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.simulator import Simulator
from tests.unit.mixpanel_sim.simfixtures import (
    YESTERDAY,
    body,
    drain_until_cut,
    error_text,
    export_request,
    request,
    simulator,
)

OTHER_DAY = YESTERDAY - dt.timedelta(days=3)


@pytest.fixture
def sim(project: SyntheticProject) -> Simulator:
    return simulator(project)


def test_http_error_answers_5xx_n_times_then_recovers(sim: Simulator) -> None:
    sim.faults.add({"kind": "http_error", "status": 503, "count": 2})
    statuses = [sim.handle(export_request(YESTERDAY, limit=1)).status for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_terminated_early_ends_a_200_body_with_the_marker_line(sim: Simulator) -> None:
    sim.faults.add({"kind": "terminated_early", "day": YESTERDAY.isoformat(), "after_lines": 25})
    other = body(sim.handle(export_request(OTHER_DAY)))
    assert not other.endswith(TERMINATED_EARLY)
    response = sim.handle(export_request(YESTERDAY))
    assert response.status == 200
    data = body(response)
    assert data.endswith(b"\nterminated early\n")
    assert data.count(b"\n") == 26
    entry = sim.log.entries("/api/2.0/export")[-1]
    assert entry["outcome"] == "terminated_early" and entry["lines"] == 25
    assert not body(sim.handle(export_request(YESTERDAY))).endswith(TERMINATED_EARLY)


def test_cut_connection_stops_the_stream_mid_body(sim: Simulator) -> None:
    sim.faults.add({"kind": "cut_connection", "after_lines": 40})
    received, cut = drain_until_cut(sim.handle(export_request(YESTERDAY)))
    assert cut
    assert received.count(b"\n") == 40
    assert sim.log.entries()[-1]["outcome"] == "cut"


def test_schema_drift_collapses_one_day_and_rename_drops_the_group_key(sim: Simulator) -> None:
    normal = body(sim.handle(export_request(YESTERDAY))).count(b"\n")
    sim.faults.add({"kind": "schema_drift", "day": YESTERDAY.isoformat(), "keep_ratio": 0.05})
    drifted = body(sim.handle(export_request(YESTERDAY))).count(b"\n")
    assert 0.02 * normal < drifted < 0.08 * normal
    assert body(sim.handle(export_request(OTHER_DAY))) == sim.project.day_export_bytes(OTHER_DAY)
    sim.faults.clear()
    sim.faults.add({"kind": "schema_drift", "day": YESTERDAY.isoformat(), "mode": "rename"})
    renamed = body(sim.handle(export_request(YESTERDAY)))
    assert renamed.count(b"\n") == normal
    assert renamed.count(b'"company_id":') < 0.1 * renamed.count(b'"companyId":')


def test_late_events_make_a_closed_day_grow(sim: Simulator) -> None:
    before = body(sim.handle(export_request(OTHER_DAY))).count(b"\n")
    sim.faults.add({"kind": "late_events", "day": OTHER_DAY.isoformat(), "events": 120})
    after = body(sim.handle(export_request(OTHER_DAY)))
    assert after.count(b"\n") == before + 120
    assert after.startswith(sim.project.day_export_bytes(OTHER_DAY))


def test_a_rate_limit_storm_answers_429_with_retry_after(sim: Simulator) -> None:
    sim.faults.add({"kind": "rate_limit", "count": 3, "retry_after": 7})
    answers = [sim.handle(export_request(YESTERDAY, limit=1)) for _ in range(4)]
    assert [a.status for a in answers] == [429, 429, 429, 200]
    assert answers[0].headers["Retry-After"] == "7"
    assert error_text(answers[0]).startswith("Query rate limit exceeded")


def test_the_hourly_limit_answers_429_with_retry_after_and_can_be_lifted(
    project: SyntheticProject,
) -> None:
    sim = simulator(project, export_limits=Limits(per_hour=2, per_second=None, concurrent=None))
    statuses = []
    for _ in range(3):
        response = sim.handle(export_request(YESTERDAY, limit=1))
        body(response)
        statuses.append(response.status)
    assert statuses == [200, 200, 429]
    refused = sim.handle(export_request(YESTERDAY, limit=1))
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert "2 queries per hour" in error_text(refused)
    sim.limiters["export"].set_limits(Limits(per_hour=None, per_second=None, concurrent=None))
    assert sim.handle(export_request(YESTERDAY, limit=1)).status == 200


def test_without_retry_after_the_429_has_no_header(project: SyntheticProject) -> None:
    sim = simulator(project, send_retry_after=False)
    sim.faults.add({"kind": "rate_limit"})
    assert "Retry-After" not in sim.handle(export_request(YESTERDAY, limit=1)).headers


def test_the_query_concurrency_cap_holds_until_responses_close(project: SyntheticProject) -> None:
    sim = simulator(project, query_limits=Limits(per_hour=None, per_second=None, concurrent=2))
    open_responses = [sim.handle(request("/api/query/events/names")) for _ in range(2)]
    assert sim.handle(request("/api/query/events/names")).status == 429
    open_responses[0].close()
    assert sim.handle(request("/api/query/events/names")).status == 200


def test_revoked_credentials_fail_from_the_nth_request(sim: Simulator) -> None:
    sim.faults.add({"kind": "revoke_credentials", "after_requests": 2})
    statuses = [sim.handle(request("/api/app/me")).status for _ in range(4)]
    assert statuses == [200, 200, 401, 401]
    assert sim.handle(request("/api/query/events/names")).status == 400


def test_slow_delays_the_answer_by_the_asked_seconds(sim: Simulator) -> None:
    sim.faults.add({"kind": "slow", "delay_seconds": 2.5, "path": "/api/query/"})
    assert sim.handle(request("/api/app/me")).delay_seconds == 0
    assert sim.handle(request("/api/query/events/names")).delay_seconds == 2.5
    assert sim.handle(request("/api/query/events/names")).delay_seconds == 0


def test_the_request_log_counts_requests_without_secrets(sim: Simulator) -> None:
    sim.handle(request("/api/app/me"))
    body(sim.handle(export_request(YESTERDAY, limit=5)))
    sim.handle(request("/api/query/events/names", secret="wrong"))
    entries = sim.log.entries()
    assert [(e["path"], e["status"]) for e in entries] == [
        ("/api/app/me", 200),
        ("/api/2.0/export", 200),
        ("/api/query/events/names", 400),
    ]
    assert entries[1]["lines"] == 5
    assert entries[1]["params"]["from_date"] == YESTERDAY.isoformat()  # type: ignore[index]
    assert DEV_SECRET not in json.dumps(entries) and "wrong" not in json.dumps(entries)
    assert len(sim.log.entries("/api/2.0/")) == 1
