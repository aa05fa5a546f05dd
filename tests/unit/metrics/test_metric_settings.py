"""Health weights and the signal's threshold and baseline are settings with SPEC defaults."""

from __future__ import annotations

import pytest

from usage_analytics.metrics.rules import HealthWeights, SignalRules
from usage_analytics.settings import SettingsError, load_settings


def test_the_defaults_are_the_spec_weights_exactly() -> None:
    settings = load_settings({})
    assert HealthWeights.from_settings(settings) == HealthWeights()
    assert (settings.health_adoption_breadth_weight, settings.health_adoption_depth_weight) == (
        0.5,
        0.5,
    )
    assert (
        settings.health_engagement_volume_weight,
        settings.health_engagement_days_weight,
        settings.health_engagement_stickiness_weight,
    ) == (0.4, 0.3, 0.3)
    assert (
        settings.health_user_property_volume_weight,
        settings.health_user_property_days_weight,
    ) == (0.6, 0.4)
    assert (settings.signal_drop_pct, settings.signal_min_baseline_events) == (30.0, 10)
    assert SignalRules.from_settings(settings) == SignalRules()


def test_weights_that_do_not_add_up_to_1_are_refused_naming_the_variables() -> None:
    with pytest.raises(SettingsError, match=r"HEALTH_ENGAGEMENT_DAYS_WEIGHT=0\.5"):
        load_settings({"HEALTH_ENGAGEMENT_DAYS_WEIGHT": "0.5"})


def test_weights_that_move_together_are_accepted() -> None:
    settings = load_settings(
        {"HEALTH_USER_PROPERTY_VOLUME_WEIGHT": "0.7", "HEALTH_USER_PROPERTY_DAYS_WEIGHT": "0.3"}
    )
    assert HealthWeights.from_settings(settings).user_property_volume * 10 == 7


@pytest.mark.parametrize(
    ("env", "var"),
    [
        ({"SIGNAL_DROP_PCT": "0"}, "SIGNAL_DROP_PCT"),
        ({"SIGNAL_DROP_PCT": "120"}, "SIGNAL_DROP_PCT"),
        ({"SIGNAL_MIN_BASELINE_EVENTS": "0"}, "SIGNAL_MIN_BASELINE_EVENTS"),
        ({"HEALTH_ADOPTION_DEPTH_WEIGHT": "-0.5"}, "HEALTH_ADOPTION_DEPTH_WEIGHT"),
    ],
)
def test_out_of_range_values_are_refused_naming_the_variable(env: dict[str, str], var: str) -> None:
    with pytest.raises(SettingsError, match=var):
        load_settings(env)
