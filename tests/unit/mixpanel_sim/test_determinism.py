"""The synthetic project is a pure function of its spec: same seed, same bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt

from local.mixpanel_sim.project import SyntheticProject
from tests.unit.mixpanel_sim.conftest import SMALL, TODAY

YESTERDAY = TODAY - dt.timedelta(days=1)


def test_given_the_same_spec_when_a_day_is_generated_twice_then_the_bytes_are_identical() -> None:
    first = SyntheticProject(SMALL).day_export_bytes(YESTERDAY)
    second = SyntheticProject(SMALL).day_export_bytes(YESTERDAY)
    assert first == second
    assert first.count(b"\n") > 1_000


def test_given_another_seed_when_the_day_is_generated_then_the_events_differ() -> None:
    other = dataclasses.replace(SMALL, seed=SMALL.seed + 1)
    assert SyntheticProject(SMALL).day_export_bytes(YESTERDAY) != SyntheticProject(
        other
    ).day_export_bytes(YESTERDAY)


def test_given_days_generated_in_any_order_then_each_day_is_the_same(
    project: SyntheticProject,
) -> None:
    early = YESTERDAY - dt.timedelta(days=5)
    alone = SyntheticProject(SMALL).day_export_bytes(early)
    project.day_export_bytes(YESTERDAY)
    assert project.day_export_bytes(early) == alone


def test_given_a_day_outside_the_history_then_it_has_no_events(project: SyntheticProject) -> None:
    before = SMALL.first_day - dt.timedelta(days=1)
    after = TODAY + dt.timedelta(days=1)
    assert project.day_export_bytes(before) == b""
    assert project.day_export_bytes(after) == b""
    assert project.day_export_bytes(SMALL.first_day) != b""


def test_given_another_today_then_the_accounts_are_the_same_people() -> None:
    """The CRM fixture is built without `today`: the cast must not depend on it."""
    later = dataclasses.replace(SMALL, today=TODAY + dt.timedelta(days=30))
    ids = [(a.company_id, a.domain, a.shape) for a in SyntheticProject(SMALL).accounts]
    assert ids == [(a.company_id, a.domain, a.shape) for a in SyntheticProject(later).accounts]


def test_lines_dicts_and_bulk_bytes_are_the_same_export(project: SyntheticProject) -> None:
    lines = list(project.day_lines(YESTERDAY))
    assert b"".join(lines) == project.day_export_bytes(YESTERDAY)
    assert sum(1 for _ in project.day_events(YESTERDAY)) == len(lines)
