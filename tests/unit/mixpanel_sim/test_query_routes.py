"""The probe's and user-property mode's endpoints: names, top events, Engage profiles."""

from __future__ import annotations

import json

import pytest

from local.mixpanel_sim.catalog import FEATURE_NAMES
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.simulator import Simulator
from tests.unit.mixpanel_sim.simfixtures import error_text, request, simulator

ENGAGE = "/api/query/engage"


@pytest.fixture(scope="module")
def sim(project: SyntheticProject) -> Simulator:
    return simulator(project, engage_page_size=100)


def engage(sim: Simulator, **form: object) -> dict:
    fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in form.items()}
    response = sim.handle(request(ENGAGE, method="POST", form=fields))
    assert response.status == 200, response.body
    payload = response.json()
    assert isinstance(payload, dict)
    return payload


def test_event_names_are_the_most_common_first_and_limited(sim: Simulator) -> None:
    names = sim.handle(request("/api/query/events/names", {"type": "general", "limit": 5})).json()
    assert isinstance(names, list) and len(names) == 5
    assert names[0] == "page_view"
    everything = sim.handle(request("/api/query/events/names")).json()
    assert isinstance(everything, list)
    assert set(FEATURE_NAMES) <= set(everything)


def test_top_events_count_today_so_far(sim: Simulator) -> None:
    payload = sim.handle(request("/api/query/events/top", {"type": "general", "limit": 3})).json()
    assert isinstance(payload, dict) and payload["type"] == "general"
    events = payload["events"]
    assert len(events) == 3
    assert events[0]["amount"] >= events[1]["amount"] >= events[2]["amount"] > 0
    assert all(isinstance(e["percent_change"], float) for e in events)
    assert sim.handle(request("/api/query/events/top", {"type": "weird"})).status == 400


def test_engage_pages_all_profiles_with_a_session(sim: Simulator) -> None:
    first = engage(sim)
    total = first["total"]
    assert total == len(sim.project.profiles) > 200
    assert first["page"] == 0 and first["page_size"] == 100 and len(first["results"]) == 100
    seen = [p["$distinct_id"] for p in first["results"]]
    page = 1
    while len(seen) < total:
        more = engage(sim, session_id=first["session_id"], page=str(page))
        assert more["results"]
        seen += [p["$distinct_id"] for p in more["results"]]
        page += 1
    assert len(set(seen)) == total
    assert engage(sim, session_id=first["session_id"], page=str(page))["results"] == []


def test_engage_by_distinct_ids_returns_only_known_ids_and_asked_properties(
    sim: Simulator,
) -> None:
    user = sim.project.customers[0].users[0]
    payload = engage(
        sim, distinct_ids=[user.distinct_id, "$device:nobody"], output_properties=["company_domain"]
    )
    assert payload["total"] == 1
    [profile] = payload["results"]
    assert profile["$distinct_id"] == user.distinct_id
    assert set(profile["$properties"]) <= {"company_domain"}


def test_engage_paging_needs_a_known_session(sim: Simulator) -> None:
    missing = sim.handle(request(ENGAGE, method="POST", form={"page": "1"}))
    assert missing.status == 400 and "session_id" in error_text(missing)
    unknown = sim.handle(request(ENGAGE, method="POST", form={"page": "1", "session_id": "nope"}))
    assert unknown.status == 400
    bad = sim.handle(request(ENGAGE, method="POST", form={"distinct_ids": "u_1"}))
    assert bad.status == 400 and "JSON array" in error_text(bad)
