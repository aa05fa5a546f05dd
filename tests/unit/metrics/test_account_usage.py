"""SPEC "Account usage" on hand-computed worlds."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from tests.unit.metrics.world import (
    GROUP,
    USER_PROPERTY,
    D,
    ago,
    day,
    epoch,
    usage_of,
    users,
    weeks,
)
from usage_analytics.metrics.account_usage import History


def test_given_rows_in_and_out_of_the_window_then_only_d_minus_29_to_d_count() -> None:
    rows = {
        ago(30): day(1000, ["u1"], on=ago(30)),  # one day too old
        ago(29): day(5, ["u1"], on=ago(29)),
        ago(10): day(7, ["u2"], on=ago(10)),
        D: day(3, ["u1"], on=D),
    }
    usage = usage_of(rows)
    assert usage.events_30d == 15
    assert usage.days_active == 3
    assert usage.active_users_30d == 2  # u1 on two days counts once


def test_the_daily_series_has_thirty_points_oldest_first_with_zero_for_quiet_days() -> None:
    usage = usage_of({ago(29): day(5, on=ago(29)), ago(3): day(8, on=ago(3))})
    assert len(usage.daily) == 30
    assert usage.daily[0] == (ago(29), 5)
    assert usage.daily[26] == (ago(3), 8)
    assert sum(events for _, events in usage.daily) == 13
    assert [d for d, _ in usage.daily] == [ago(29 - i) for i in range(30)]


def test_week_over_week_counts_events_this_week_against_last_week() -> None:
    rows = {
        ago(13): day(4, on=ago(13)),  # first day of last week
        ago(7): day(6, on=ago(7)),  # last day of last week
        ago(6): day(9, on=ago(6)),  # first day of this week
        D: day(6, on=D),
        ago(14): day(100, on=ago(14)),  # before last week: in the window, in no week
    }
    usage = usage_of(rows)
    assert (usage.events_last_week, usage.events_this_week) == (10, 15)
    assert usage.events_change_pct == Fraction(50)
    assert usage.events_30d == 125


def test_the_change_is_null_when_last_week_had_nothing() -> None:
    usage = usage_of({D: day(12, ["a"], on=D)})
    assert usage.events_last_week == 0
    assert usage.events_change_pct is None
    assert usage.active_users_change_pct is None
    assert usage.events_per_user_change_pct is None


def test_a_week_with_no_events_after_a_busy_week_is_a_100_percent_drop() -> None:
    usage = usage_of({ago(8): day(40, ["a", "b"], on=ago(8))})
    assert usage.events_change_pct == Fraction(-100)
    assert usage.active_users_change_pct == Fraction(-100)
    assert usage.events_per_user_this_week is None  # no users this week: no ratio
    assert usage.events_per_user_change_pct is None


def test_active_users_are_distinct_per_week_through_the_sketches_not_summed_by_day() -> None:
    rows = {
        ago(13): day(10, ["a", "b", "c"], on=ago(13)),
        ago(12): day(10, ["a", "b", "d"], on=ago(12)),  # last week: a, b, c, d = 4
        ago(5): day(10, ["a", "e"], on=ago(5)),
        ago(1): day(10, ["a", "e", "f"], on=ago(1)),  # this week: a, e, f = 3
    }
    usage = usage_of(rows)
    assert (usage.active_users_last_week, usage.active_users_this_week) == (4, 3)
    assert usage.active_users_30d == 6
    assert usage.active_users_change_pct == Fraction(-25)
    assert usage.daily_active_user_days == 3 + 3 + 2 + 3
    # events per active user: 20/4 = 5 -> 20/3
    assert usage.events_per_user_last_week == Fraction(5)
    assert usage.events_per_user_this_week == Fraction(20, 3)
    assert usage.events_per_user_change_pct == (Fraction(20, 3) - 5) / 5 * 100


def test_seat_activation_is_distinct_users_of_14_days_over_seats() -> None:
    rows = {
        ago(20): day(5, users("x", 30), on=ago(20)),  # in 30 days, not in 14
        ago(13): day(5, ["a", "b", "c"], on=ago(13)),
        D: day(5, ["a", "d"], on=D),
    }
    usage = usage_of(rows, seat_count=8)
    assert usage.active_users_14d == 4
    assert usage.seat_activation == Fraction(50)  # 4 / 8 * 100


def test_seat_activation_is_null_without_a_seat_count_or_with_zero_seats() -> None:
    rows = {D: day(5, ["a"], on=D)}
    assert usage_of(rows, seat_count=None).seat_activation is None
    assert usage_of(rows, seat_count=0).seat_activation is None


def test_seat_activation_may_exceed_100_when_more_people_use_it_than_were_bought() -> None:
    usage = usage_of({D: day(5, users("u", 12), on=D)}, seat_count=10)
    assert usage.seat_activation == Fraction(120)


def test_user_property_mode_leaves_out_users_and_seat_activation() -> None:
    rows = weeks((50, 10), (60, 30), mode=USER_PROPERTY)
    usage = usage_of(rows, mode=USER_PROPERTY, seat_count=40)
    assert usage.active_users_30d is None
    assert usage.active_users_this_week is None and usage.active_users_change_pct is None
    assert usage.events_per_user_change_pct is None
    assert usage.seat_activation is None
    assert usage.events_change_pct == Fraction(20)


def test_top_features_rank_tracked_features_by_30_day_count_then_by_name() -> None:
    rows = {
        ago(20): day(20, on=ago(20), features={"report_created": 5, "export_csv": 2}),
        D: day(20, on=D, features={"export_csv": 3, "invite_sent": 5, "not_tracked": 99}),
    }
    usage = usage_of(rows)
    assert usage.top_features == [("export_csv", 5), ("invite_sent", 5), ("report_created", 5)]
    assert usage.features_used == 3  # dashboard_viewed unused, not_tracked not counted


def test_last_seen_is_the_latest_event_and_carries_forward_once_the_window_moves_on() -> None:
    assert usage_of({ago(4): day(3, on=ago(4))}).last_seen == epoch(ago(4), 17)
    remembered = History(config_id="cfg", first_seen=epoch(ago(60)), last_seen=epoch(ago(45)))
    quiet = usage_of({}, history=remembered)
    assert quiet.last_seen == epoch(ago(45)) and quiet.events_30d == 0
    assert quiet.daily == [(ago(29 - i), 0) for i in range(30)]


def test_an_account_without_rows_has_zero_usage_and_no_last_seen() -> None:
    usage = usage_of({})
    assert (usage.events_30d, usage.days_active, usage.last_seen) == (0, 0, None)
    assert usage.active_users_30d == 0
    assert not usage.has_usage


def test_time_to_first_value_counts_days_from_the_first_event_to_the_first_feature_day() -> None:
    rows = {
        ago(10): day(4, on=ago(10), mode=USER_PROPERTY),
        ago(8): day(4, on=ago(8), mode=USER_PROPERTY, features={"not_tracked": 4}),
        ago(6): day(4, on=ago(6), mode=USER_PROPERTY, features={"export_csv": 1}),
        ago(2): day(4, on=ago(2), mode=USER_PROPERTY, features={"report_created": 3}),
    }
    usage = usage_of(rows, mode=USER_PROPERTY)
    assert usage.first_value_day == ago(6)
    assert usage.time_to_first_value_days == 4


def test_time_to_first_value_is_null_before_any_feature_use_and_in_group_mode() -> None:
    assert (
        usage_of({D: day(4, on=D, mode=USER_PROPERTY)}, mode=USER_PROPERTY).time_to_first_value_days
        is None
    )
    group = usage_of({D: day(4, ["a"], on=D, features={"export_csv": 1})}, mode=GROUP)
    assert group.time_to_first_value_days is None


def test_time_to_first_value_remembers_a_first_value_older_than_the_window() -> None:
    history = History(
        config_id="cfg",
        first_seen=epoch(ago(50)),
        last_seen=epoch(ago(40)),
        first_value_day=ago(45),
    )
    rows = {D: day(4, on=D, mode=USER_PROPERTY, features={"export_csv": 1})}
    usage = usage_of(rows, mode=USER_PROPERTY, history=history)
    assert usage.first_value_day == ago(45)
    assert usage.time_to_first_value_days == 5
    assert usage.first_seen == epoch(ago(50)) and usage.last_seen == epoch(D, 17)


def test_a_first_event_in_the_evening_and_a_feature_the_next_morning_is_one_day() -> None:
    first = day(1, on=ago(3), mode=USER_PROPERTY)
    first = first.model_copy(update={"first_seen": epoch(ago(3), 23)})
    rows = {
        ago(3): first,
        ago(2): day(2, on=ago(2), mode=USER_PROPERTY, features={"export_csv": 1}),
    }
    assert usage_of(rows, mode=USER_PROPERTY).time_to_first_value_days == 1
    assert dt.datetime.fromtimestamp(first.first_seen, dt.UTC).hour == 23
