"""The awkward parts of real Mixpanel data are all present, so the client has real work."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from local.mixpanel_sim.crm import crm_accounts, crm_late_additions
from local.mixpanel_sim.project import SyntheticProject
from tests.unit.mixpanel_sim.conftest import SMALL, TODAY

Events = dict[dt.date, list[dict]]
MISSING = object()


@pytest.fixture(scope="module")
def all_events(window_events: Events) -> list[dict]:
    return [e for day in window_events.values() for e in day]


def group_values(events: list[dict]) -> list[object]:
    return [e["properties"].get("company_id", MISSING) for e in events]


def test_duplicates_share_the_dedupe_key_but_not_the_processing_time(
    window_events: Events,
) -> None:
    events = window_events[TODAY - dt.timedelta(days=1)]
    keyed = Counter(
        (
            e["event"],
            e["properties"]["distinct_id"],
            e["properties"]["time"],
            e["properties"]["$insert_id"],
        )
        for e in events
        if "$insert_id" in e["properties"]
    )
    duplicated = [key for key, n in keyed.items() if n == 2]
    assert len(duplicated) >= 5
    key = duplicated[0]
    copies = [
        e
        for e in events
        if "$insert_id" in e["properties"]
        and (
            e["event"],
            e["properties"]["distinct_id"],
            e["properties"]["time"],
            e["properties"]["$insert_id"],
        )
        == key
    ]
    assert (
        copies[0]["properties"]["mp_processing_time_ms"]
        != copies[1]["properties"]["mp_processing_time_ms"]
    )


def test_some_events_have_no_insert_id_and_some_of_those_arrive_twice(
    all_events: list[dict],
) -> None:
    without = [e for e in all_events if "$insert_id" not in e["properties"]]
    assert len(without) > 0.01 * len(all_events)
    repeated = Counter(repr(e) for e in without)
    assert any(n >= 2 for n in repeated.values())


def test_group_values_come_as_strings_numbers_lists_padded_blank_null_and_missing(
    all_events: list[dict],
) -> None:
    values = group_values(all_events)
    assert any(isinstance(v, str) and v.strip() == v and v for v in values)
    assert any(isinstance(v, int) for v in values)
    assert any(isinstance(v, list) and len(v) == 1 for v in values)
    assert any(
        isinstance(v, list) and len(set(v)) == 2 and all(x.strip() for x in v) for v in values
    )
    assert any(isinstance(v, str) and v.strip() and v != v.strip() for v in values)
    assert "" in values and "   " in values
    assert None in values and MISSING in values
    assert [] in values and ["", " "] in values


def test_qa_and_test_values_are_sent_but_never_in_the_crm(all_events: list[dict]) -> None:
    values = set(v for v in group_values(all_events) if isinstance(v, str))
    assert {"qa-internal", "test"} <= values
    crm_ids = {a["external_crm_id"] for a in crm_accounts(spec=SMALL)}
    assert not {"qa-internal", "test"} & crm_ids


def test_some_sent_values_are_missing_from_the_crm_and_some_arrive_late(
    project: SyntheticProject, all_events: list[dict]
) -> None:
    sent = {str(v).strip() for v in group_values(all_events) if isinstance(v, str | int)}
    crm_ids = {a["external_crm_id"] for a in crm_accounts(spec=SMALL)}
    late_ids = {a["external_crm_id"] for a in crm_late_additions(spec=SMALL)}
    unknown = sent - crm_ids - {"", "qa-internal", "test"}
    assert unknown & late_ids
    assert unknown - late_ids  # never in the CRM at all
    matched = {a.company_id for a in project.customers if a.crm_status == "matched"}
    assert matched <= crm_ids
    assert len(sent & crm_ids) > 0.6 * len(project.customers)


def test_identity_bookkeeping_events_are_present(all_events: list[dict]) -> None:
    identify = [e for e in all_events if e["event"] == "$identify"]
    merges = [e for e in all_events if e["event"] == "$merge"]
    assert identify and merges
    props = identify[0]["properties"]
    assert props["$anon_distinct_id"].startswith("$device:")
    assert props["$identified_id"] == props["distinct_id"]
    assert any("company_id" in e["properties"] for e in identify)  # they carry the group key


def test_the_hot_shard_day_rewrites_the_bots_events(
    project: SyntheticProject, window_events: Events
) -> None:
    hot_day = project.spec.hot_shard_day
    assert hot_day is not None
    hot = [e for e in window_events[hot_day] if e["event"] == "$hotshard_events"]
    assert len(hot) == project.plan.bot_events > 0
    props = hot[0]["properties"]
    assert props["distinct_id"] == ""
    assert props["mp_original_distinct_id"].startswith("svc-sync-")
    assert props["mp_original_event_name"] in {"record_synced", "api_request"}
    assert props["company_id"]
    other_day = hot_day - dt.timedelta(days=1)
    assert not any(e["event"] == "$hotshard_events" for e in window_events[other_day])
    assert any(
        e["properties"]["distinct_id"] == props["mp_original_distinct_id"]
        for e in window_events[other_day]
    )


def test_company_domain_is_a_super_property_for_some_users_and_profile_only_for_others(
    project: SyntheticProject, all_events: list[dict]
) -> None:
    carried = {
        e["properties"]["distinct_id"] for e in all_events if "company_domain" in e["properties"]
    }
    active = {e["properties"]["distinct_id"] for e in all_events}
    profiles = project.profiles_by_id
    profile_only = [
        d
        for d in active - carried
        if d in profiles and "company_domain" in profiles[d]["$properties"]
    ]
    assert carried and profile_only
    without_any = [p for p in project.profiles if "company_domain" not in p["$properties"]]
    assert without_any


def test_anonymous_visitors_have_no_profile_and_no_group_key(
    project: SyntheticProject, all_events: list[dict]
) -> None:
    anonymous = [e for e in all_events if e["properties"]["distinct_id"].startswith("$device:")]
    assert anonymous
    assert all("company_id" not in e["properties"] for e in anonymous)
    assert not any(e["properties"]["distinct_id"] in project.profiles_by_id for e in anonymous)
