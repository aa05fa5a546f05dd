"""SPEC "Usage-decline churn signal": which dimensions fire, the 10-event baseline, the
30% boundary, and the explanation's numbers."""

from __future__ import annotations

from tests.unit.metrics.world import USER_PROPERTY, D, usage_of, weeks
from usage_analytics.metrics.decline import detect_decline
from usage_analytics.metrics.rules import SignalRules
from usage_analytics.settings import load_settings

RULES = SignalRules()


def _signal(last: tuple[int, int], this: tuple[int, int], rules: SignalRules = RULES,
            **kwargs: object):  # type: ignore[no-untyped-def]  # fmt: skip
    return detect_decline(usage_of(weeks(last, this), **kwargs), rules, name="Acme")  # type: ignore[arg-type]


def _dims(signal: object) -> dict[str, tuple[float, float, float]]:
    assert signal is not None
    return {d.name: (d.before, d.after, d.change_pct) for d in signal.dimensions}  # type: ignore[attr-defined]


def test_a_stickiness_drop_with_rising_volume_fires_on_events_per_user_alone() -> None:
    """50 events by 10 users (5 each) -> 60 events by 30 users (2 each): volume +20%, users
    +200%, but each user does 60% less."""
    signal = _signal((50, 10), (60, 30))
    assert _dims(signal) == {"events_per_user": (5.0, 2.0, -60.0)}
    assert signal is not None
    text = signal.explanation
    assert "Events per active user fell 60%, from 5 to 2" in text
    assert "Events went from 50 to 60 (+10, +20%)" in text
    assert "active users went from 10 to 30 (+20, +200%)" in text
    assert (signal.totals.events_before, signal.totals.events_after) == (50, 60)
    assert (signal.totals.active_users_before, signal.totals.active_users_after) == (10, 30)


def test_the_signal_names_every_dimension_that_dropped_with_both_values_and_the_change() -> None:
    signal = _signal((100, 10), (20, 5))
    assert _dims(signal) == {
        "events": (100.0, 20.0, -80.0),
        "active_users": (10.0, 5.0, -50.0),
        "events_per_user": (10.0, 4.0, -60.0),
    }
    assert signal is not None
    assert signal.type == "usage_decline" and signal.week == "2026-W47" and signal.as_of == D
    assert signal.account_id == "acct-1" and signal.name == "Acme"
    assert signal.explanation.startswith(
        "Acme: usage declined in the week 2026-11-13 to 2026-11-19 against the week before "
        "(2026-11-06 to 2026-11-12): Events fell 80%, from 100 to 20; active users fell 50%, "
        "from 10 to 5; events per active user fell 60%, from 10 to 4."
    )
    assert "Events went from 100 to 20 (-80, -80%) and active users went from 10 to 5" in (
        signal.explanation
    )


def test_fewer_users_doing_the_same_volume_fires_on_active_users_only() -> None:
    assert _dims(_signal((100, 20), (100, 10))) == {"active_users": (20.0, 10.0, -50.0)}


def test_a_drop_of_exactly_30_percent_fires_and_29_9_percent_does_not() -> None:
    assert _dims(_signal((10, 1), (7, 1))) == {
        "events": (10.0, 7.0, -30.0),
        "events_per_user": (10.0, 7.0, -30.0),
    }
    assert _signal((1000, 1), (701, 1)) is None


def test_nothing_is_judged_when_last_week_had_fewer_than_10_events() -> None:
    assert _signal((9, 9), (1, 1)) is None
    assert _signal((10, 10), (1, 1)) is not None


def test_a_dimension_without_a_baseline_is_not_judged() -> None:
    """Events but no identifiable users last week: users and events per user have no
    baseline; events alone are judged."""
    usage = usage_of(weeks((40, 0), (10, 3)))
    signal = detect_decline(usage, RULES, name="Acme")
    assert _dims(signal) == {"events": (40.0, 10.0, -75.0)}


def test_rising_usage_fires_nothing() -> None:
    assert _signal((50, 10), (80, 12)) is None


def test_user_property_mode_has_no_signal() -> None:
    usage = usage_of(weeks((100, 10), (10, 1), mode=USER_PROPERTY), mode=USER_PROPERTY)
    assert detect_decline(usage, RULES, name="Acme") is None


def test_the_threshold_and_the_baseline_come_from_the_settings() -> None:
    strict = SignalRules.from_settings(
        load_settings({"SIGNAL_DROP_PCT": "50", "SIGNAL_MIN_BASELINE_EVENTS": "100"})
    )
    assert _signal((100, 10), (60, 10), strict) is None  # -40% < 50%
    assert _signal((99, 10), (10, 10), strict) is None  # baseline under 100
    assert _dims(_signal((100, 10), (50, 10), strict)) == {
        "events": (100.0, 50.0, -50.0),
        "events_per_user": (10.0, 5.0, -50.0),
    }


def test_the_defaults_are_the_spec_numbers() -> None:
    assert SignalRules.from_settings(load_settings({})) == SignalRules()
    assert (RULES.drop_pct, RULES.min_baseline_events) == (30, 10)
