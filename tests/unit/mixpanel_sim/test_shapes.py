"""The usage curves a customer-success team looks for are really in the data."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from local.mixpanel_sim.plan import AccountPlan
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.shapes import day_level
from local.mixpanel_sim.spec import ProjectSpec
from tests.unit.mixpanel_sim.conftest import TODAY

YESTERDAY = TODAY - dt.timedelta(days=1)

AccountDays = dict[int, Counter[int]]  # account index -> days_ago -> events


def per_account(project: SyntheticProject, events: dict[dt.date, list[dict]]) -> AccountDays:
    """Events of each account's users per day (days_ago counted back from yesterday)."""
    owner = {u.distinct_id: a.index for a in project.accounts for u in a.users}
    counts: AccountDays = {a.index: Counter() for a in project.accounts}
    for day, day_events in events.items():
        days_ago = (YESTERDAY - day).days
        for event in day_events:
            index = owner.get(event["properties"]["distinct_id"])
            if index is not None:
                counts[index][days_ago] += 1
    return counts


def week(counts: Counter[int], first_days_ago: int) -> int:
    return sum(counts[d] for d in range(first_days_ago, first_days_ago + 7))


@pytest.fixture(scope="module")
def counts(project: SyntheticProject, window_events: dict[dt.date, list[dict]]) -> AccountDays:
    return per_account(project, window_events)


def of_shape(project: SyntheticProject, shape: str) -> list[AccountPlan]:
    accounts = [a for a in project.customers if a.shape == shape]
    assert accounts, f"the small project has no {shape} account"
    return accounts


def test_declining_accounts_drop_at_least_30_percent_week_over_week(
    project: SyntheticProject, counts: AccountDays
) -> None:
    for account in of_shape(project, "declining"):
        this, last = week(counts[account.index], 0), week(counts[account.index], 7)
        assert last >= 10
        assert (this - last) / last <= -0.30, (account.name, this, last)


def test_declining_by_users_loses_active_users_and_by_depth_keeps_them(
    project: SyntheticProject, window_events: dict[dt.date, list[dict]]
) -> None:
    def active(account: AccountPlan, days_ago: range) -> set[str]:
        ids = {u.distinct_id for u in account.users}
        return {
            e["properties"]["distinct_id"]
            for d in days_ago
            for e in window_events[YESTERDAY - dt.timedelta(days=d)]
            if e["properties"]["distinct_id"] in ids
        }

    modes = set()
    for account in of_shape(project, "declining"):
        this, last = active(account, range(0, 7)), active(account, range(7, 14))
        modes.add(account.decline_mode)
        if account.decline_mode == "users":
            assert len(this) <= 0.7 * len(last)
        else:
            assert len(this) >= 0.6 * len(last)
    assert modes == {"users", "depth"}


def test_churned_accounts_are_silent_in_the_last_two_weeks_but_were_active_before(
    project: SyntheticProject, counts: AccountDays
) -> None:
    for account in of_shape(project, "churned"):
        recent = sum(counts[account.index][d] for d in range(-1, 14))
        assert recent == 0
        if account.churned_days_ago <= 16:  # churned inside the 21-day history
            earlier = range(account.churned_days_ago, 20)
            assert sum(counts[account.index][d] for d in earlier) > 0


def test_new_accounts_have_no_events_before_they_start(
    project: SyntheticProject, counts: AccountDays
) -> None:
    for account in of_shape(project, "new"):
        before = [d for d in counts[account.index] if d > account.started_days_ago]
        assert before == []
        assert week(counts[account.index], 0) > 0


def test_ramping_accounts_grow_and_weekends_are_quiet(
    project: SyntheticProject, counts: AccountDays
) -> None:
    ramping = of_shape(project, "ramping")
    assert sum(week(counts[a.index], 0) for a in ramping) > sum(
        week(counts[a.index], 14) for a in ramping
    )
    steady = of_shape(project, "steady")
    saturday = (YESTERDAY - dt.timedelta(days=3)).weekday()
    assert saturday == 5
    assert sum(counts[a.index][3] for a in steady) < 0.4 * sum(counts[a.index][1] for a in steady)


def test_eroding_level_slides_slower_than_the_decline_threshold(project: SyntheticProject) -> None:
    account = of_shape(project, "eroding")[0]
    for days_ago in range(0, 30):
        ratio = day_level(account, days_ago).depth / day_level(account, days_ago + 7).depth
        assert 0.8 < ratio < 1.0


def test_the_default_project_has_every_shape_and_about_300_accounts() -> None:
    project = SyntheticProject(ProjectSpec(today=TODAY))
    shapes = Counter(a.shape for a in project.customers)
    assert len(project.customers) == 300
    assert set(shapes) == {"steady", "ramping", "declining", "eroding", "churned", "new"}
    assert shapes["declining"] >= 30


def test_a_target_volume_scales_a_weekday_to_about_that_many_events() -> None:
    spec = ProjectSpec(seed=5, accounts=60, days=3, today=TODAY, target_events_per_day=20_000)
    events = SyntheticProject(spec).day_export_bytes(YESTERDAY).count(b"\n")
    assert 17_000 < events < 23_000
