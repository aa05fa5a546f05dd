"""A small synthetic world shared by the simulator's unit tests (built once per session),
and no network: these tests call the simulator as plain functions."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator

import pytest

from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.spec import ProjectSpec

# A Wednesday: yesterday is a Tuesday, "this week" is Wed..Tue, "last week" the 7 days before.
TODAY = dt.date(2025, 6, 18)
SMALL = ProjectSpec(seed=11, accounts=40, days=21, today=TODAY)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a unit test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="session")
def project() -> SyntheticProject:
    return SyntheticProject(SMALL)


@pytest.fixture(scope="session")
def window_events(project: SyntheticProject) -> dict[dt.date, list[dict[str, object]]]:
    """Every event of the small project's 21 days, parsed, by day."""
    return {day: list(project.day_events(day)) for day in days(project)}


def days(project: SyntheticProject) -> Iterator[dt.date]:
    day = project.spec.first_day
    while day <= project.spec.today:
        yield day
        day += dt.timedelta(days=1)
