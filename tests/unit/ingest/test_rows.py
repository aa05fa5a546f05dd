"""DayUsage.merge: what the rematch uses to add a quarantined value's day into an account's."""

from __future__ import annotations

from usage_analytics.ingest import DayUsage
from usage_analytics.ingest.sketch import users_sketch


def usage(events: int, first: int, last: int, users: list[str], **features: int) -> DayUsage:
    return DayUsage(
        events=events,
        feature_counts=features,
        active_users=len(users),
        users_sketch=users_sketch(users),
        first_seen=first,
        last_seen=last,
    )


def test_merging_two_day_usages_adds_events_and_features_and_unions_users() -> None:
    merged = usage(3, 100, 200, ["a", "b"], Login=2).merge(
        usage(2, 50, 150, ["b", "c"], Login=1, Export=1)
    )
    assert merged.events == 5
    assert merged.feature_counts == {"Login": 3, "Export": 1}
    assert merged.active_users == 3
    assert (merged.first_seen, merged.last_seen) == (50, 200)


def test_merging_user_property_usages_keeps_active_users_empty() -> None:
    a = DayUsage(events=1, first_seen=1, last_seen=1)
    merged = a.merge(DayUsage(events=2, first_seen=0, last_seen=5, feature_counts={"x": 1}))
    assert (merged.events, merged.active_users, merged.users_sketch) == (3, None, None)
    assert merged.feature_counts == {"x": 1}
