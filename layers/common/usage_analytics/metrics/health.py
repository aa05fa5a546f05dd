"""Adoption and Engagement, 0-100 each, with the inputs that explain them (SPEC "Health
pillars").

Every pillar is a weighted sum of components that are each on a 0-100 scale, so a card
can show "component value x weight = points" and the points add up to the score (before
rounding the total to a whole number, half up).

- Feature breadth: tracked features used in 30 days / tracked count, as a percentile rank
  among the workspace's accounts with usage (`percentile.py`). An account that used no
  tracked feature gets 0, whatever its rank would be.
- User depth: active users in 30 days / seats (capped at 100%) when the seat count is
  known, else the average days active per active user / 30.
- Event volume: events in 30 days as a percentile rank among accounts with usage.
- Days active: days with events / 30.
- Stickiness: average daily active users (over all 30 days) / active users in 30 days.

Without a seat count, user depth and stickiness are the same number: the sum of daily
active users is the sum over users of their active days, so both equal
sum(daily users) / (30 * users in 30 days).

An account without events in 30 days scores 0 on both pillars.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from usage_analytics.ingest.config import IdentityMode
from usage_analytics.metrics.account_usage import AccountUsage
from usage_analytics.metrics.change import rounded
from usage_analytics.metrics.percentile import PercentileRanks
from usage_analytics.metrics.rules import HealthWeights
from usage_analytics.metrics.windows import WINDOW_DAYS

HUNDRED = Fraction(100)


class PillarInput(BaseModel):
    """One component of a pillar: its value on 0-100, its weight, the points it adds."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="feature_breadth, user_depth, event_volume, days_active, ...")
    value: float = Field(description="the component on a 0-100 scale")
    weight: float = Field(description="its share of the pillar, 0-1")
    points: float = Field(description="value x weight: what it adds to the score")
    explanation: str
    facts: dict[str, Any] = Field(default_factory=dict, description="the raw numbers")


class Pillar(BaseModel):
    model_config = ConfigDict(frozen=True)

    score: int = Field(ge=0, le=100)
    inputs: list[PillarInput]


class Health(BaseModel):
    model_config = ConfigDict(frozen=True)

    adoption: Pillar
    engagement: Pillar


class WorkspaceRanks:
    """The populations the percentile ranks compare against: accounts with usage."""

    def __init__(self, usages: Iterable[AccountUsage]) -> None:
        active = [u for u in usages if u.has_usage]
        self.breadth = PercentileRanks([breadth_ratio(u) for u in active])
        self.volume = PercentileRanks([u.events_30d for u in active])

    @property
    def ranked(self) -> int:
        return len(self.volume)


def breadth_ratio(usage: AccountUsage) -> Fraction:
    tracked = len(usage.tracked_features)
    return Fraction(usage.features_used, tracked) if tracked else Fraction(0)


def _score(parts: list[tuple[Fraction, Fraction]]) -> int:
    total = sum((value * weight for value, weight in parts), Fraction(0))
    exact = Decimal(total.numerator) / Decimal(total.denominator)
    return max(0, min(100, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))))


def _input(
    name: str, value: Fraction, weight: Fraction, explanation: str, **facts: Any
) -> PillarInput:
    return PillarInput(
        name=name,
        value=rounded(value) or 0.0,
        weight=float(weight),
        points=rounded(value * weight) or 0.0,
        explanation=explanation,
        facts=facts,
    )


def _pillar(parts: list[tuple[str, Fraction, Fraction, str, dict[str, Any]]]) -> Pillar:
    return Pillar(
        score=_score([(value, weight) for _, value, weight, _, _ in parts]),
        inputs=[_input(n, v, w, text, **facts) for n, v, w, text, facts in parts],
    )


def _pct(value: Fraction) -> str:
    return f"{rounded(value, 0):.0f}%"


def _breadth(u: AccountUsage, ranks: WorkspaceRanks) -> tuple[Fraction, str, dict[str, Any]]:
    ratio = breadth_ratio(u)
    rank = ranks.breadth.rank(ratio) if u.features_used else Fraction(0)
    text = (
        f"Used {u.features_used} of {len(u.tracked_features)} tracked features "
        f"({_pct(ratio * 100)}) in 30 days: percentile rank {rounded(rank, 0):.0f} among "
        f"{ranks.ranked} accounts with usage."
    )
    if not u.features_used:
        text = f"Used none of the {len(u.tracked_features)} tracked features in 30 days."
    facts = {
        "features_used": u.features_used,
        "tracked_features": len(u.tracked_features),
        "breadth_pct": rounded(ratio * 100),
        "percentile_rank": rounded(rank),
        "accounts_ranked": ranks.ranked,
    }
    return rank, text, facts


def _user_days_share(u: AccountUsage) -> Fraction:
    """sum(daily users) / (30 * users in 30 days): stickiness, and depth without seats."""
    users, user_days = u.active_users_30d or 0, u.daily_active_user_days or 0
    if users == 0:
        return Fraction(0)
    return min(Fraction(1), Fraction(user_days, WINDOW_DAYS * users))


def _depth(u: AccountUsage) -> tuple[Fraction, str, dict[str, Any]]:
    users = u.active_users_30d or 0
    if u.seat_count:
        share = min(Fraction(1), Fraction(users, u.seat_count))
        text = f"{users} active users in 30 days for {u.seat_count} seats ({_pct(share * 100)})."
        return (
            share * 100,
            text,
            {"basis": "seats", "active_users_30d": users, "seat_count": u.seat_count},
        )
    share = _user_days_share(u)
    per_user = share * WINDOW_DAYS
    text = (
        f"No seat count: an active user was active on {rounded(per_user)} of 30 days on "
        f"average ({_pct(share * 100)})."
    )
    facts = {
        "basis": "days_active_per_user",
        "active_users_30d": users,
        "avg_days_active_per_user": rounded(per_user, 2),
    }
    return share * 100, text, facts


def _volume(u: AccountUsage, ranks: WorkspaceRanks) -> tuple[Fraction, str, dict[str, Any]]:
    rank = ranks.volume.rank(u.events_30d)
    text = (
        f"{u.events_30d:,} events in 30 days: percentile rank {rounded(rank, 0):.0f} among "
        f"{ranks.ranked} accounts with usage."
    )
    facts = {
        "events_30d": u.events_30d,
        "percentile_rank": rounded(rank),
        "accounts_ranked": ranks.ranked,
    }
    return rank, text, facts


def _days(u: AccountUsage) -> tuple[Fraction, str, dict[str, Any]]:
    share = Fraction(u.days_active, WINDOW_DAYS)
    text = f"Active on {u.days_active} of the last 30 days ({_pct(share * 100)})."
    return share * 100, text, {"days_active": u.days_active}


def _stickiness(u: AccountUsage) -> tuple[Fraction, str, dict[str, Any]]:
    share = _user_days_share(u)
    daily = Fraction(u.daily_active_user_days or 0, WINDOW_DAYS)
    users = u.active_users_30d or 0
    text = (
        f"{rounded(daily)} active users a day on average against {users} active users in "
        f"30 days ({_pct(share * 100)})."
    )
    facts = {"average_daily_active_users": rounded(daily, 2), "active_users_30d": users}
    return share * 100, text, facts


def score_health(usage: AccountUsage, ranks: WorkspaceRanks, weights: HealthWeights) -> Health:
    """Both pillars of one account, ranked against `ranks` (the whole workspace)."""
    group = usage.identity_mode is IdentityMode.GROUP
    breadth = _breadth(usage, ranks)
    volume, days = _volume(usage, ranks), _days(usage)
    if group:
        adoption = [
            ("feature_breadth", breadth, weights.adoption_breadth),
            ("user_depth", _depth(usage), weights.adoption_depth),
        ]
        engagement = [
            ("event_volume", volume, weights.engagement_volume),
            ("days_active", days, weights.engagement_days),
            ("stickiness", _stickiness(usage), weights.engagement_stickiness),
        ]
    else:
        adoption = [("feature_breadth", breadth, Fraction(1))]
        engagement = [
            ("event_volume", volume, weights.user_property_volume),
            ("days_active", days, weights.user_property_days),
        ]
    if not usage.has_usage:
        return _no_usage(adoption, engagement)
    return Health(
        adoption=_pillar([(n, v, w, t, f) for n, (v, t, f), w in adoption]),
        engagement=_pillar([(n, v, w, t, f) for n, (v, t, f), w in engagement]),
    )


def _no_usage(*pillars: list[Any]) -> Health:
    """SPEC: no events in 30 days scores 0 on both, whatever the components would say."""
    text = "No events in the last 30 days: this component scores 0."
    built = [
        _pillar([(name, Fraction(0), weight, text, facts) for name, (_, _, facts), weight in p])
        for p in pillars
    ]
    return Health(adoption=built[0], engagement=built[1])
