"""The tunable parts of the formulas (SPEC defaults), read from the settings once per run."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from usage_analytics.settings import Settings


def _exact(weight: float) -> Fraction:
    """0.3 as 3/10, not as the binary float closest to it."""
    return Fraction(str(weight))


@dataclass(frozen=True)
class HealthWeights:
    adoption_breadth: Fraction = Fraction(1, 2)
    adoption_depth: Fraction = Fraction(1, 2)
    engagement_volume: Fraction = Fraction(2, 5)
    engagement_days: Fraction = Fraction(3, 10)
    engagement_stickiness: Fraction = Fraction(3, 10)
    user_property_volume: Fraction = Fraction(3, 5)
    user_property_days: Fraction = Fraction(2, 5)

    @classmethod
    def from_settings(cls, settings: Settings) -> HealthWeights:
        return cls(
            adoption_breadth=_exact(settings.health_adoption_breadth_weight),
            adoption_depth=_exact(settings.health_adoption_depth_weight),
            engagement_volume=_exact(settings.health_engagement_volume_weight),
            engagement_days=_exact(settings.health_engagement_days_weight),
            engagement_stickiness=_exact(settings.health_engagement_stickiness_weight),
            user_property_volume=_exact(settings.health_user_property_volume_weight),
            user_property_days=_exact(settings.health_user_property_days_weight),
        )


@dataclass(frozen=True)
class SignalRules:
    drop_pct: Fraction = Fraction(30)  # a drop of at least this many percent fires
    min_baseline_events: int = 10  # last week's events needed to judge any dimension

    @classmethod
    def from_settings(cls, settings: Settings) -> SignalRules:
        return cls(
            drop_pct=_exact(settings.signal_drop_pct),
            min_baseline_events=settings.signal_min_baseline_events,
        )
