"""Counting one day's events by name and by account value, in one streaming pass.

Memory is bounded whatever the day's size: at most `max_values` distinct account values
(and, in user-property mode, `max_pending_ids` users whose value must come from their
profile) are tracked; past that the sample says it is truncated. Identity bookkeeping
events are not usage and are skipped; hot-shard events count under their original name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec

from usage_analytics.ingest.decoding import event_type
from usage_analytics.ingest.values import account_values
from usage_analytics.integration.model import IdentityMode

IGNORED_EVENTS = frozenset({"$identify", "$create_alias", "$merge"})
HOTSHARD_EVENT = "$hotshard_events"
MAX_VALUES = 50_000
MAX_PENDING_IDS = 2_000
MAX_EVENTS = 1_000_000


@dataclass
class DaySample:
    events: Counter[str] = field(default_factory=Counter)
    values: Counter[str] = field(default_factory=Counter)
    # user-property mode: events per distinct_id whose events lack the property
    pending: Counter[str] = field(default_factory=Counter)
    sampled: int = 0
    malformed: int = 0
    values_truncated: bool = False
    stopped_early: bool = False

    def add_value(self, value: str, count: int, max_values: int) -> None:
        if value in self.values or len(self.values) < max_values:
            self.values[value] += count
        else:
            self.values_truncated = True


def sample_day(
    lines: Iterable[bytes],
    mode: IdentityMode,
    key: str,
    *,
    max_values: int = MAX_VALUES,
    max_pending_ids: int = MAX_PENDING_IDS,
    max_events: int = MAX_EVENTS,
) -> DaySample:
    decoder = msgspec.json.Decoder(event_type(key))
    sample = DaySample()
    for event in _events(lines, decoder, sample):
        if sample.sampled >= max_events:
            sample.stopped_early = True
            break
        name = event.event
        props = event.properties
        distinct_id = props.distinct_id
        if name == HOTSHARD_EVENT and props.original_event:
            name, distinct_id = props.original_event, props.original_distinct_id
        if name in IGNORED_EVENTS:
            continue
        sample.sampled += 1
        sample.events[name] += 1
        values = account_values(props.account)
        for value in values:
            sample.add_value(value, 1, max_values)
        if not values and mode is IdentityMode.USER_PROPERTY:
            _pend(sample, distinct_id, max_pending_ids)
    return sample


def _events(
    lines: Iterable[bytes], decoder: msgspec.json.Decoder[Any], sample: DaySample
) -> Iterator[Any]:
    for line in lines:
        try:
            yield decoder.decode(line)
        except msgspec.DecodeError:
            sample.malformed += 1


def _pend(sample: DaySample, distinct_id: object, max_pending_ids: int) -> None:
    if distinct_id is None or distinct_id == "":
        return
    user = str(distinct_id)
    if user in sample.pending or len(sample.pending) < max_pending_ids:
        sample.pending[user] += 1
    else:
        sample.values_truncated = True


def add_profile_values(
    sample: DaySample, profiles: Iterable[tuple[str, object]], max_values: int = MAX_VALUES
) -> None:
    """User-property mode: credit each pending user's events to their profile's value."""
    for distinct_id, raw in profiles:
        count = sample.pending.get(distinct_id, 0)
        if not count:
            continue
        for value in account_values(raw):
            sample.add_value(value, count, max_values)
