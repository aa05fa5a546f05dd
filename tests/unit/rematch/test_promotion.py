"""One quarantined (value, day) moves into an account-day row in one transaction: the merge,
the quarantine item's deletion and its summary entry, all or nothing, exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.unit.rematch.world import NEWCO, WS, CrashingClient, World
from tests.unit.storage.test_day_replace_crashes import Budget, Crash
from tests.unit.storage.world import usage
from usage_analytics.ingest import AccountDayRow, QuarantineDayRow
from usage_analytics.ingest.rows import DayUsage
from usage_analytics.ingest.sketch import users_sketch
from usage_analytics.storage.day_items import day_sk
from usage_analytics.storage.promotion import PromotionContention, QuarantinePromotion
from usage_analytics.storage.quarantine import day_pk, quarantine_day_item

DAY = dt.date(2024, 6, 1)
VALUE = "newco.com"


def users(*ids: str, events: int, first: int = 100, last: int = 200, **features: int) -> DayUsage:
    return DayUsage(
        events=events, feature_counts=features, active_users=len(ids),
        users_sketch=users_sketch(ids), first_seen=first, last_seen=last,
    )  # fmt: skip


@pytest.fixture
def world(dynamodb: Any) -> World:
    return World.create(dynamodb)


def quarantine(world: World, u: DayUsage, value: str = VALUE, day: dt.date = DAY) -> None:
    row = QuarantineDayRow(workspace_id=WS, value=value, day=day, usage=u)
    world.quarantine.replace_day(WS, day, [row])


def account_row(world: World, u: DayUsage, day: dt.date = DAY) -> None:
    world.usage.put_rows([AccountDayRow(workspace_id=WS, account_id=NEWCO.id, day=day, usage=u)])


def promotion(world: World, client: Any = None) -> QuarantinePromotion:
    return QuarantinePromotion(world.usage_table, world.quarantine_table, client=client)


def stored(world: World) -> DayUsage:
    row = world.usage.get(WS, NEWCO.id, DAY)
    assert row is not None
    return row.usage


def test_given_no_row_for_the_account_that_day_then_the_quarantined_day_becomes_it(
    world: World,
) -> None:
    q = users("n1", "n2", events=3, **{"Export CSV": 2})
    quarantine(world, q)

    promoted = promotion(world).promote(WS, VALUE, DAY, NEWCO.id)

    assert promoted is not None and promoted.events == 3
    assert stored(world) == q
    assert world.quarantined() == {VALUE: []}  # the summary goes once the value is done
    assert world.quarantine.value_days(WS, VALUE) == []


def test_given_a_row_for_the_account_that_day_then_the_day_is_added_to_it(world: World) -> None:
    account_row(world, users("n1", "n2", events=4, first=150, last=300, **{"Export CSV": 1}))
    quarantine(world, users("n2", "n3", events=2, first=90, last=250, **{"Export CSV": 2, "X": 1}))

    promotion(world).promote(WS, VALUE, DAY, NEWCO.id)

    merged = stored(world)
    assert (merged.events, merged.feature_counts) == (6, {"Export CSV": 3, "X": 1})
    assert (merged.first_seen, merged.last_seen) == (90, 300)
    assert merged.active_users == 3  # n2 once: the union of the sketches, not a sum
    assert merged.users_sketch == users("n1", "n2", "n3", events=1).users_sketch
    assert world.usage.day_keys(WS, DAY)  # still found by the day's index (re-runnable day)


def test_promoting_the_same_day_again_is_a_no_op(world: World) -> None:
    quarantine(world, users("n1", events=2))
    promotion(world).promote(WS, VALUE, DAY, NEWCO.id)

    assert promotion(world).promote(WS, VALUE, DAY, NEWCO.id) is None
    assert stored(world).events == 2


def test_a_failure_between_the_merge_and_the_delete_leaves_neither(world: World) -> None:
    """The delete's condition fails (the day was re-ingested after it was read): the merge,
    part of the same transaction, is not applied either; the retry merges the new day."""
    account_row(world, users("n1", events=4))
    quarantine(world, users("n2", events=2))
    real = world.usage_table.meta.client
    seen: list[Any] = []

    class ReingestFirst:
        def transact_write_items(self, **kwargs: Any) -> Any:
            if not seen:  # between the reads and the commit: a newer day write lands
                quarantine(world, users("n2", "n3", events=5))
                seen.append(kwargs)
                with pytest.raises(real.exceptions.TransactionCanceledException):
                    real.transact_write_items(**kwargs)
                assert stored(world).events == 4  # the cancelled put did not land
            return real.transact_write_items(**kwargs)

    promoted = promotion(world, ReingestFirst()).promote(WS, VALUE, DAY, NEWCO.id)

    assert promoted is not None and promoted.events == 5
    assert (stored(world).events, stored(world).active_users) == (9, 3)
    assert world.quarantine.value_days(WS, VALUE) == []


def test_a_row_written_after_it_was_read_is_not_overwritten(world: World) -> None:
    account_row(world, users("n1", events=4))
    quarantine(world, users("n2", events=2))
    real = world.usage_table.meta.client
    calls: list[int] = []

    class SyncFirst:
        def transact_write_items(self, **kwargs: Any) -> Any:
            if not calls:  # the account's day is rewritten concurrently
                account_row(world, users("n1", "n4", events=7))
            calls.append(1)
            return real.transact_write_items(**kwargs)

    promotion(world, SyncFirst()).promote(WS, VALUE, DAY, NEWCO.id)

    assert len(calls) == 2
    assert (stored(world).events, stored(world).active_users) == (9, 3)


@pytest.mark.parametrize("after_commit", [False, True], ids=["before-commit", "reply-lost"])
def test_a_crash_around_the_transaction_then_a_rerun_counts_the_day_once(
    world: World, after_commit: bool
) -> None:
    account_row(world, users("n1", events=4))
    quarantine(world, users("n2", events=2))
    client = CrashingClient(world.usage_table.meta.client, Budget(0), after_commit=after_commit)

    with pytest.raises(Crash):
        promotion(world, client).promote(WS, VALUE, DAY, NEWCO.id)
    assert stored(world).events == (6 if after_commit else 4)

    promotion(world).promote(WS, VALUE, DAY, NEWCO.id)

    assert stored(world).events == 6
    assert world.quarantine.value_days(WS, VALUE) == []


def test_a_day_whose_quarantine_write_is_still_in_progress_is_left_to_it(world: World) -> None:
    """The ingest writes a day's item before listing the day in the summary: an item whose
    day is not listed is not promoted (the write may yet be undone)."""
    item = quarantine_day_item(QuarantineDayRow(workspace_id=WS, value=VALUE, day=DAY,
                                                usage=usage(3)))  # fmt: skip
    world.quarantine_table.put_item(Item=item)

    assert promotion(world).promote(WS, VALUE, DAY, NEWCO.id) is None
    assert world.usage.get(WS, NEWCO.id, DAY) is None
    assert len(world.quarantine.value_days(WS, VALUE)) == 1


def test_a_listed_day_without_its_item_is_unlisted(world: World) -> None:
    quarantine(world, usage(3))
    world.quarantine_table.delete_item(Key={"pk": day_pk(WS, VALUE), "sk": day_sk(DAY)})

    assert promotion(world).promote(WS, VALUE, DAY, NEWCO.id) is None
    assert world.quarantined() == {VALUE: []}
    assert promotion(world).drop_if_empty(WS, VALUE) is True
    assert world.quarantine.count(WS) == 0


def test_a_summary_with_days_left_is_not_dropped(world: World) -> None:
    quarantine(world, usage(3))

    assert promotion(world).drop_if_empty(WS, VALUE) is False
    assert world.quarantine.count(WS) == 1


def test_rows_that_keep_changing_make_a_retryable_contention_error(world: World) -> None:
    quarantine(world, users("n2", events=2))
    real = world.usage_table.meta.client
    n = iter(range(3, 100))

    class AlwaysRewritten:
        def transact_write_items(self, **kwargs: Any) -> Any:
            quarantine(world, users("n2", events=next(n)))
            return real.transact_write_items(**kwargs)

    with pytest.raises(PromotionContention):
        promotion(world, AlwaysRewritten()).promote(WS, VALUE, DAY, NEWCO.id)
    assert world.usage.get(WS, NEWCO.id, DAY) is None
