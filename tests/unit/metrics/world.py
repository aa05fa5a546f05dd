"""Hand-built account-days for the metrics tests: a day is (events, users, features)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from usage_analytics.ingest.config import IdentityMode
from usage_analytics.ingest.rows import DayUsage
from usage_analytics.ingest.sketch import users_sketch
from usage_analytics.metrics.account_usage import AccountUsage, History, compute_account_usage

D = dt.date(2026, 11, 19)  # a Thursday, ISO week 2026-W47
FEATURES = ["dashboard_viewed", "export_csv", "invite_sent", "report_created"]
GROUP = IdentityMode.GROUP
USER_PROPERTY = IdentityMode.USER_PROPERTY


def ago(days: int) -> dt.date:
    return D - dt.timedelta(days=days)


def epoch(day: dt.date, hour: int = 12) -> int:
    return int(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC).timestamp())


def users(prefix: str, count: int, start: int = 0) -> list[str]:
    return [f"{prefix}{i}" for i in range(start, start + count)]


def day(
    events: int,
    people: Iterable[str] = (),
    *,
    on: dt.date = D,
    features: Mapping[str, int] | None = None,
    mode: IdentityMode = GROUP,
) -> DayUsage:
    ids = sorted(set(people))
    group = mode is GROUP
    return DayUsage(
        events=events,
        feature_counts=dict(features or {}),
        active_users=len(ids) if group else None,
        users_sketch=users_sketch(ids) if group else None,
        first_seen=epoch(on, 9),
        last_seen=epoch(on, 17),
    )


def usage_of(
    rows: Mapping[dt.date, DayUsage],
    *,
    account_id: str = "acct-1",
    mode: IdentityMode = GROUP,
    seat_count: int | None = None,
    features: list[str] | None = None,
    history: History | None = None,
    as_of: dt.date = D,
) -> AccountUsage:
    return compute_account_usage(
        account_id,
        dict(rows),
        as_of=as_of,
        mode=mode,
        tracked_features=FEATURES if features is None else features,
        seat_count=seat_count,
        history=history,
    )


def weeks(
    last: tuple[int, int], this: tuple[int, int], *, mode: IdentityMode = GROUP
) -> dict[dt.date, DayUsage]:
    """Last week's and this week's (events, distinct users), each on one day of the week:
    last week on D-7, this week on D. Users of the two weeks are different people."""
    return {
        ago(7): day(last[0], users("old", last[1]), on=ago(7), mode=mode),
        D: day(this[0], users("new", this[1]), on=D, mode=mode),
    }
