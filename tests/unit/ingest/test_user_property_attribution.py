"""SPEC user-property mode: the event's own property first, else the user's profile."""

from __future__ import annotations

import pytest

from tests.unit.ingest.world import (
    FakeProfiles,
    by_account,
    by_value,
    event,
    run,
    user_property_config,
)
from usage_analytics.ingest import ProfileValues

pytestmark = pytest.mark.usefixtures("engine")

PROFILES = {
    "u-acme": {"company_domain": "acme.com"},
    "u-globex": {"company_domain": "globex.io"},
    "u-blank": {"company_domain": "  "},
    "u-other-prop": {"plan": "pro"},
    "u-unknown": {"company_domain": "unknown.org"},
    "u-qa": {"company_domain": "qa.internal"},
}


def test_given_the_event_carries_the_property_then_it_wins_over_the_profile() -> None:
    profiles = FakeProfiles(PROFILES)
    rows = run(
        [event(distinct_id="u-acme", company_domain="WWW.Globex.io")],
        config=user_property_config(),
        profiles=profiles,
    )
    assert set(by_account(rows)) == {"A-globex"}
    assert profiles.calls == []  # nothing to look up


def test_given_the_event_lacks_the_property_then_the_profile_decides() -> None:
    rows = run(
        [event("Report Viewed", distinct_id="u-acme"), event(distinct_id="u-globex")],
        config=user_property_config(),
        profiles=FakeProfiles(PROFILES),
    )
    accounts = by_account(rows)
    assert accounts["A-acme"].events == 1
    assert accounts["A-acme"].feature_counts == {"Report Viewed": 1}
    assert accounts["A-globex"].events == 1


def test_given_a_blank_event_property_then_the_profile_is_used() -> None:
    rows = run(
        [event(distinct_id="u-acme", company_domain="   ")],
        config=user_property_config(),
        profiles=FakeProfiles(PROFILES),
    )
    assert set(by_account(rows)) == {"A-acme"}


def test_given_no_profile_value_then_the_event_goes_to_no_account() -> None:
    rows = run(
        [
            event(distinct_id="u-blank"),
            event(distinct_id="u-other-prop"),
            event(distinct_id="nobody"),
            event(distinct_id=""),
        ],
        config=user_property_config(),
        profiles=FakeProfiles(PROFILES),
    )
    assert rows.accounts == [] and rows.quarantine == []
    assert rows.stats.no_account == 4


def test_given_an_unmatched_profile_value_then_it_is_quarantined() -> None:
    rows = run(
        [event(distinct_id="u-unknown", time=1), event(distinct_id="u-unknown", time=2)],
        config=user_property_config(),
        profiles=FakeProfiles(PROFILES),
    )
    usage = by_value(rows)["unknown.org"]
    assert (usage.events, usage.first_seen, usage.last_seen) == (2, 1, 2)


def test_given_excluded_values_then_event_and_profile_values_are_dropped() -> None:
    profiles = FakeProfiles(PROFILES)
    config = user_property_config(excluded_keys=["qa.internal"])
    rows = run(
        [event(distinct_id="u-acme", company_domain="qa.internal"), event(distinct_id="u-qa")],
        config=config,
        profiles=profiles,
    )
    assert rows.accounts == [] and rows.quarantine == []
    assert rows.stats.excluded == 2
    assert profiles.calls == [["u-qa"]]  # an excluded event value is not "missing"


def test_user_property_rows_have_no_active_users_nor_sketch() -> None:
    usage = by_account(
        run(
            [event(distinct_id="u-acme"), event(distinct_id="u-x", company_domain="acme.com")],
            config=user_property_config(),
            profiles=FakeProfiles(PROFILES),
        )
    )["A-acme"]
    assert usage.events == 2 and usage.active_users is None and usage.users_sketch is None


def test_profiles_are_looked_up_in_batches_and_each_user_once_per_run() -> None:
    profiles = FakeProfiles({f"u{i}": {"company_domain": "acme.com"} for i in range(5)})
    lines = [event(distinct_id=f"u{i % 5}", time=i) for i in range(50)]
    cache = ProfileValues(profiles, "company_domain", batch_size=2)
    rows = run(lines, config=user_property_config(), profiles=cache)
    assert by_account(rows)["A-acme"].events == 50
    assert [len(call) for call in profiles.calls] == [2, 2, 1]
    assert sorted(d for call in profiles.calls for d in call) == [f"u{i}" for i in range(5)]
    assert rows.stats.profiles is not None and rows.stats.profiles.calls == 3


def test_a_shared_cache_makes_the_next_day_look_up_only_new_users() -> None:
    profiles = FakeProfiles(PROFILES)
    cache = ProfileValues(profiles, "company_domain")
    run(
        [event(distinct_id="u-acme"), event(distinct_id="nobody")],
        user_property_config(),
        profiles=cache,
    )
    rows = run(
        [event(distinct_id="u-acme"), event(distinct_id="nobody"), event(distinct_id="u-globex")],
        user_property_config(),
        profiles=cache,
    )
    assert profiles.calls == [["u-acme", "nobody"], ["u-globex"]]
    assert set(by_account(rows)) == {"A-acme", "A-globex"}


def test_events_buffered_before_a_lookup_and_after_it_all_count() -> None:
    """A user's events on both sides of a batch boundary land in the same account."""
    profiles = FakeProfiles({"a": {"company_domain": "acme.com"}, "b": {"company_domain": "x"}})
    lines = [event(distinct_id=d, time=t) for t, d in enumerate(["a", "b", "a", "a", "b"])]
    rows = run(lines, user_property_config(), profiles=ProfileValues(profiles, "company_domain", 2))
    assert by_account(rows)["A-acme"].events == 3 and by_value(rows)["x"].events == 2
    assert rows.stats.attributed == 5


def test_profile_values_follow_the_same_value_rules() -> None:
    """Numbers, lists and whitespace in a profile are read like an event's group value."""
    profiles = FakeProfiles(
        {
            "list": {"company_domain": [" acme.com ", "globex.io", "acme.com"]},
            "n": {"company_domain": 7},
        }
    )
    rows = run(
        [event(distinct_id="list"), event(distinct_id="n")],
        user_property_config(),
        profiles=profiles,
    )
    assert {k: u.events for k, u in by_account(rows).items()} == {"A-acme": 1, "A-globex": 1}
    assert set(by_value(rows)) == {"7"}


def test_dedupe_and_identity_rules_apply_in_user_property_mode_too() -> None:
    line = event(distinct_id="u-acme", insert_id="same")
    rows = run(
        [line, line, event("$identify", distinct_id="u-acme")],
        user_property_config(),
        profiles=FakeProfiles(PROFILES),
    )
    assert by_account(rows)["A-acme"].events == 1
    assert (rows.stats.duplicates, rows.stats.ignored_identity) == (1, 1)
