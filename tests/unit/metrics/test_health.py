"""SPEC "Health pillars" on a hand-computed workspace of four accounts (group mode, four
tracked features):

| account | events | days | users (user-days) | seats | features |
|---------|--------|------|-------------------|-------|----------|
| A       | 300    | 30   | 2 (60)            | 4     | 4        |
| B       | 30     | 10   | 2 (11)            | -     | 2        |
| C       | 30     | 1    | 3 (3)             | 10    | 2        |
| Z       | 0      | 0    | 0                 | 5     | 0        |

Ranked (accounts with usage, n = 3): breadth A 1 -> 100, B and C 1/2 -> 2/3 (tie) -> 66.67;
volume A 100, B and C (tie at 30) 66.67.
"""

from __future__ import annotations

from tests.unit.metrics.world import FEATURES, GROUP, USER_PROPERTY, ago, day, usage_of
from usage_analytics.ingest.config import IdentityMode
from usage_analytics.metrics.account_usage import AccountUsage
from usage_analytics.metrics.health import Health, WorkspaceRanks, score_health
from usage_analytics.metrics.rules import HealthWeights
from usage_analytics.settings import load_settings

ALL = dict.fromkeys(FEATURES, 1)
TWO = {"export_csv": 1, "report_created": 1}


def _world(mode: IdentityMode = GROUP) -> dict[str, AccountUsage]:
    a = {ago(i): day(10, ["a1", "a2"], on=ago(i), mode=mode) for i in range(30)}
    a[ago(0)] = day(10, ["a1", "a2"], on=ago(0), features=ALL, mode=mode)
    b = {ago(i): day(3, ["b1"], on=ago(i), mode=mode) for i in range(10)}
    b[ago(0)] = day(3, ["b1", "b2"], on=ago(0), features=TWO, mode=mode)
    c = {ago(2): day(30, ["c1", "c2", "c3"], on=ago(2), features=TWO, mode=mode)}
    return {
        "A": usage_of(a, account_id="A", seat_count=4, mode=mode),
        "B": usage_of(b, account_id="B", mode=mode),
        "C": usage_of(c, account_id="C", seat_count=10, mode=mode),
        "Z": usage_of({}, account_id="Z", seat_count=5, mode=mode),
    }


def _scores(
    world: dict[str, AccountUsage], weights: HealthWeights | None = None
) -> dict[str, Health]:
    ranks = WorkspaceRanks(world.values())
    return {k: score_health(u, ranks, weights or HealthWeights()) for k, u in world.items()}


def _inputs(pillar: object) -> dict[str, float]:
    return {i.name: i.value for i in pillar.inputs}  # type: ignore[attr-defined]


def test_the_worlds_inputs_are_what_the_table_says() -> None:
    w = _world()
    assert [(u.events_30d, u.days_active, u.active_users_30d, u.daily_active_user_days,
             u.features_used) for u in w.values()] == [
        (300, 30, 2, 60, 4), (30, 10, 2, 11, 2), (30, 1, 3, 3, 2), (0, 0, 0, 0, 0)
    ]  # fmt: skip


def test_adoption_is_half_breadth_rank_and_half_user_depth() -> None:
    scores = _scores(_world())
    # A: 0.5 * 100 + 0.5 * (2 users / 4 seats = 50) = 75
    assert scores["A"].adoption.score == 75
    assert _inputs(scores["A"].adoption) == {"feature_breadth": 100.0, "user_depth": 50.0}
    # B: no seats -> depth = 11 user-days / (30 * 2 users) = 18.33; 0.5*66.67 + 0.5*18.33
    # = 42.5 exactly, rounded half up
    assert _inputs(scores["B"].adoption) == {"feature_breadth": 66.7, "user_depth": 18.3}
    assert scores["B"].adoption.score == 43
    # C: 0.5 * 66.67 + 0.5 * (3 / 10 seats = 30) = 48.33
    assert scores["C"].adoption.score == 48


def test_engagement_is_40_volume_rank_30_days_active_30_stickiness() -> None:
    scores = _scores(_world())
    assert scores["A"].engagement.score == 100
    # B: 0.4 * 66.67 + 0.3 * (10/30) + 0.3 * (11 / 30 / 2 = 18.33) = 42.17
    assert _inputs(scores["B"].engagement) == {
        "event_volume": 66.7, "days_active": 33.3, "stickiness": 18.3
    }  # fmt: skip
    assert scores["B"].engagement.score == 42
    # C: 0.4 * 66.67 + 0.3 * 3.33 + 0.3 * (1 user-day per user over 30 days = 3.33) = 28.67
    assert scores["C"].engagement.score == 29


def test_an_account_with_no_events_in_30_days_scores_0_on_both_pillars() -> None:
    zero = _scores(_world())["Z"]
    assert (zero.adoption.score, zero.engagement.score) == (0, 0)
    assert all(i.points == 0 for i in zero.adoption.inputs + zero.engagement.inputs)
    assert "No events in the last 30 days" in zero.adoption.inputs[0].explanation


def test_the_points_of_the_inputs_add_up_to_the_score_before_rounding() -> None:
    for health in _scores(_world()).values():
        for pillar in (health.adoption, health.engagement):
            assert abs(sum(i.points for i in pillar.inputs) - pillar.score) <= 0.5 + 0.05 * len(
                pillar.inputs
            )
            assert all(abs(i.value * i.weight - i.points) < 0.06 for i in pillar.inputs)


def test_an_account_that_used_no_tracked_feature_gets_0_breadth_whatever_its_rank() -> None:
    world = _world()
    world["N"] = usage_of({ago(1): day(500, ["n1"], on=ago(1))}, account_id="N", seat_count=1)
    scores = _scores(world)
    assert _inputs(scores["N"].adoption)["feature_breadth"] == 0
    assert scores["N"].adoption.score == 50  # depth 1/1 seats = 100, weighted 0.5


def test_user_depth_is_capped_at_100_when_more_users_than_seats() -> None:
    world = _world()
    world["A"] = world["A"].model_copy(update={"seat_count": 1})
    assert _inputs(_scores(world)["A"].adoption)["user_depth"] == 100


def test_user_property_mode_is_all_breadth_for_adoption_and_60_40_for_engagement() -> None:
    scores = _scores(_world(USER_PROPERTY))
    assert [i.name for i in scores["A"].adoption.inputs] == ["feature_breadth"]
    assert (scores["A"].adoption.score, scores["B"].adoption.score) == (100, 67)
    # B: 0.6 * 66.67 + 0.4 * 33.33 = 53.33; C: 0.6 * 66.67 + 0.4 * 3.33 = 41.33
    assert [scores[k].engagement.score for k in "ABCZ"] == [100, 53, 41, 0]


def test_the_weights_come_from_the_settings() -> None:
    settings = load_settings(
        {"HEALTH_ADOPTION_BREADTH_WEIGHT": "1", "HEALTH_ADOPTION_DEPTH_WEIGHT": "0",
         "HEALTH_ENGAGEMENT_VOLUME_WEIGHT": "0", "HEALTH_ENGAGEMENT_DAYS_WEIGHT": "1",
         "HEALTH_ENGAGEMENT_STICKINESS_WEIGHT": "0"}
    )  # fmt: skip
    scores = _scores(_world(), HealthWeights.from_settings(settings))
    assert scores["C"].adoption.score == 67  # breadth rank alone
    assert scores["B"].engagement.score == 33  # days active alone: 10 / 30


def test_the_explanations_quote_the_numbers() -> None:
    b = _scores(_world())["B"]
    texts = " ".join(i.explanation for i in b.adoption.inputs + b.engagement.inputs)
    assert "Used 2 of 4 tracked features (50%)" in texts
    assert "percentile rank 67 among 3 accounts with usage" in texts
    assert "Active on 10 of the last 30 days (33%)" in texts
    assert "No seat count" in texts
