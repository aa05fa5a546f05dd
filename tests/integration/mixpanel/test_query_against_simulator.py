"""Probe and Engage calls against the simulator."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.integration.mixpanel.conftest import YESTERDAY, SimWorld
from usage_analytics.mixpanel import EventCount

pytestmark = pytest.mark.integration


def test_event_names_and_top_events_describe_the_project(world: SimWorld) -> None:
    client = world.client()
    names = client.event_names(limit=10)
    assert 0 < len(names) <= 10 and all(isinstance(n, str) for n in names)
    top = client.top_events()
    assert top and all(isinstance(t, EventCount) and t.amount > 0 for t in top)
    assert [t.amount for t in top] == sorted((t.amount for t in top), reverse=True)


def test_engage_pages_through_the_profiles_of_a_days_users(
    start_world: Callable[..., SimWorld],
) -> None:
    world = start_world(engage_page_size=7)
    client = world.client()
    domain_property = world.handle.project.spec.domain_property
    distinct_ids = {
        json.loads(line)["properties"]["distinct_id"]
        for line in client.export(YESTERDAY, YESTERDAY)
    }
    profiles = dict(client.engage_profiles(sorted(distinct_ids), [domain_property]))
    assert profiles, "the simulator's users have profiles"
    assert set(profiles) <= distinct_ids
    assert all(set(props) <= {domain_property} for props in profiles.values())
    assert sum(1 for props in profiles.values() if props.get(domain_property)) > 0
    engage = world.requests("/api/query/engage")
    # pages of 7 until a short one (an empty one when the last page was exactly full), or
    # until every id asked has been answered
    full_pages, rest = divmod(len(profiles), 7)
    all_answered = rest == 0 and len(profiles) == len(distinct_ids)
    assert len(engage) == (full_pages if all_answered else full_pages + 1)
    assert all(e["status"] == 200 for e in engage)
    pages = [e["params"].get("page") for e in engage]
    assert pages[0] is None and pages[1:] == [str(p) for p in range(1, len(pages))]
