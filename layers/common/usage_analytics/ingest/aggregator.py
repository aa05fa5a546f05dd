"""The streaming day aggregator: export lines in, per-account and per-value usage out.

Reads the lines once and never holds an event after it has been counted. Per-event work is
a handful of dict/set operations (profiled with py-spy; see benchmarks/results/ingest.md):

- each line is decoded into a Struct with only the fields we read (see `decoding.py`);
- events are first aggregated per *source*: the raw account value as it appears in the
  export (the string itself, so a dict lookup finds its state), or in user-property mode
  the distinct_id whose profile will decide. A source state is a plain list
  `[events, first_seen, last_seen, feature_counts, users]`;
- only at the end is each source resolved (trimmed, excluded, matched to a CRM account)
  into its *targets*, the accounts and quarantined values it names, and folded into them.
  So CRM matching runs once per distinct value, and a user's profile is looked up once.
- users are a set of distinct_id strings per source; each target's Theta sketch is built
  once from the union of its sources' sets (each (account, user) reaches it once).
- the per-event loop runs in C (`_engine.c`, 1.5 times the throughput) when the module is
  built, as it is by `make install` and in the Lambda layer: the same rules, with the dedupe
  keys and the (source, user) pairs in compact C tables. `_feed_group` and
  `_feed_user_property` below are the reference it follows, used where it is not built;
  the tests run both.

Rules applied (SPEC "Attributing events to accounts"), in order:

1. `$identify`, `$create_alias`, `$merge` are identity bookkeeping: ignored.
2. Hot-shard events (`$hotshard_events`, `distinct_id=""`) are real usage that Mixpanel
   rewrote past 200K events per user per day: the original event name and distinct_id are
   restored from `mp_original_event_name` / `mp_original_distinct_id` before anything else
   (so they count as the feature they are, dedupe on their real key, and count their user;
   an original name that is itself an identity event is still ignored). Without the
   originals the event still counts, as `$hotshard_events` with no user.
3. Dedupe on (event, distinct_id, time, $insert_id) when `$insert_id` is present; the
   first copy read is the one counted.
4. Account values: group mode reads `properties[group_key]`; user-property mode reads the
   event's own property when it carries a usable value and otherwise the user's profile
   property (batched lookups, see `profiles.py`). A blank event property is treated as not
   carried (a blank super property says nothing; the profile may know), while an event
   property whose values are all excluded keys excludes the event.
5. Values are trimmed, excluded keys dropped, each value resolved to an account; values
   that resolve to no account are quarantined under their own (trimmed) text.
6. An event counts once for each distinct *target*: two values of one event naming the
   same account (`acme.com` and `www.acme.com` under the domain mapping) count that event
   once for the account, not twice.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from msgspec import DecodeError

try:  # the per-event loop in C (`_engine.c`), built by `make install` and for the layer
    from usage_analytics.ingest import _engine as native_engine
except ImportError as error:  # not built here: the Python loop counts alike, slower
    native_engine = None  # type: ignore[assignment]
    logging.getLogger(__name__).warning(
        "native ingest engine unavailable (%s): using the Python loop", error
    )

from usage_analytics.ingest.config import IngestConfig, ResolveAccount
from usage_analytics.ingest.decoding import LineDecoder
from usage_analytics.ingest.dedupe import KEY_MASK, key_set_bytes
from usage_analytics.ingest.memory import MemoryBudget
from usage_analytics.ingest.profiles import ProfileValues
from usage_analytics.ingest.rows import DayUsage
from usage_analytics.ingest.sketch import users_sketch
from usage_analytics.ingest.stats import IngestStats
from usage_analytics.ingest.values import account_values

IDENTITY_EVENTS = frozenset({"$identify", "$create_alias", "$merge"})
HOTSHARD_EVENT = "$hotshard_events"
_SPECIAL_EVENTS = IDENTITY_EVENTS | {HOTSHARD_EVENT}

DEFAULT_MAX_DISTINCT_VALUES = 250_000

_INF = float("inf")
State = list[Any]  # [events, first_seen, last_seen, feature_counts, users]

# user-property mode: the marker of a raw event value that carries no account value
_NOT_CARRIED: State = []


class TooManyAccountValues(RuntimeError):
    """The account property has more distinct values than any real customer base.

    Almost always a misconfigured group key (an id per event, a timestamp...); failing the
    day with this message is better than running a Lambda out of memory.
    """


def _new_state(users: bool = True) -> State:
    """users=False in user-property mode: no active users there, so no set per user."""
    return [0, _INF, -_INF, {}, set() if users else None]


class DayAggregator:
    """Feed it the day's lines (`feed`, once or in parts), then call `result` once."""

    def __init__(
        self,
        config: IngestConfig,
        resolve: ResolveAccount,
        profiles: ProfileValues | None = None,
        *,
        max_distinct_values: int = DEFAULT_MAX_DISTINCT_VALUES,
        memory: MemoryBudget | None = None,
        native: bool | None = None,
    ) -> None:
        """`native`: count with the C loop (True), the Python one (False), or the C loop
        when it is built (None, the default). Both apply the same rules, tested alike."""
        if not config.is_group_mode and profiles is None:
            raise ValueError("user_property mode needs a ProfileValues lookup")
        self._config = config
        self._resolve = resolve
        self._profiles = profiles
        self._max_values = max_distinct_values
        self._memory = memory
        self._decoder = LineDecoder(config.account_property)
        self._tracked = frozenset(config.tracked_features)
        if native is None:
            native = native_engine is not None
        elif native and native_engine is None:
            raise RuntimeError("the native ingest engine is not built: run `make install`")
        self._native = native_engine.Engine() if native else None
        self._seen: set[int] = set()
        self._by_value: dict[Hashable, State] = {}  # raw str / None / values tuple -> state
        # the hot loops' index of the plain-string raw values: a dict with only str keys
        # takes CPython's string fast path (a None or tuple key in _by_value would not)
        self._by_str: dict[str, State] = {}
        self._by_user: dict[Any, State] = {}  # user-property mode: distinct_id -> state
        self._unfetched: list[str] = []
        self.stats = IngestStats()
        self._finished = False

    # -- reading: one pass, one hot loop per identity mode ---------------------------------

    def feed(self, lines: Iterable[bytes]) -> None:
        """Count these lines (the whole day, or the next part of it).

        With a memory budget, the lines are counted in parts and the process's memory is
        checked after each (`DayTooLarge` past the budget).
        """
        if self._native is not None:
            count = self._feed_native
        elif self._config.is_group_mode:
            count = self._feed_group
        else:
            count = self._feed_user_property
        if self._memory is None:
            count(lines)
            return
        remaining = iter(lines)
        while True:
            before = self.stats.lines_read
            count(islice(remaining, self._memory.every_lines))
            if self.stats.lines_read == before:
                return
            self._memory.check(self.stats.lines_read)

    def _bad_line(self, number: int, line: bytes) -> None:
        reason = self._decoder.reason(line)
        if reason == "blank_line":
            self.stats.blank_lines += 1
        else:
            self.stats.record_malformed(number, reason, line)

    def _feed_native(self, lines: Iterable[bytes]) -> None:
        """The C loop: `_feed_group` or `_feed_user_property`, rule for rule."""
        assert self._native is not None
        group = self._config.is_group_mode
        number, duplicates, ignored, hot, no_user = self._native.feed(
            lines,
            self.stats.lines_read,
            self._decoder.decode,
            DecodeError,
            self._bad_line,
            self._by_str,
            self._value_state,
            self._tracked,
            _SPECIAL_EVENTS,
            IDENTITY_EVENTS,
            HOTSHARD_EVENT,
            None if group else _NOT_CARRIED,
            self._by_user,
            self._user_state,
        )
        self.stats.lines_read = number
        self.stats.no_account += no_user
        self._count(duplicates, ignored, hot)

    def _feed_group(self, lines: Iterable[bytes]) -> None:
        decode = self._decoder.decode
        decode_error = DecodeError
        seen = self._seen
        by_str = self._by_str
        value_state = self._value_state
        tracked = self._tracked
        special = _SPECIAL_EVENTS
        mask = KEY_MASK
        number = start = self.stats.lines_read
        duplicates = ignored = hot = 0
        for number, line in enumerate(lines, start + 1):
            try:
                event = decode(line)
            except decode_error:
                self._bad_line(number, line)
                continue
            name = event.event
            props = event.properties
            distinct_id = props.distinct_id
            if name in special:
                if name != HOTSHARD_EVENT:
                    ignored += 1
                    continue
                hot += 1
                name = props.original_event or name
                distinct_id = props.original_distinct_id
                if name in IDENTITY_EVENTS:
                    ignored += 1
                    continue
            time = props.time
            insert_id = props.insert_id
            if insert_id is not None:
                key = hash((name, distinct_id, time, insert_id)) & mask  # dedupe.dedupe_key
                if key in seen:
                    duplicates += 1
                    continue
                seen.add(key)
            raw = props.account
            state = by_str.get(raw) if raw.__class__ is str else None
            if state is None:
                state = value_state(raw)
            state[0] += 1
            if time < state[1]:
                state[1] = time
            if time > state[2]:
                state[2] = time
            if name in tracked:
                counts = state[3]
                counts[name] = counts.get(name, 0) + 1
            state[4].add(distinct_id)  # None and "" are dropped when the row is built
        self.stats.lines_read = number
        self._count(duplicates, ignored, hot)

    def _feed_user_property(self, lines: Iterable[bytes]) -> None:
        decode = self._decoder.decode
        decode_error = DecodeError
        seen = self._seen
        by_str = self._by_str
        value_state = self._value_state
        by_user = self._by_user
        tracked = self._tracked
        special = _SPECIAL_EVENTS
        mask = KEY_MASK
        number = start = self.stats.lines_read
        duplicates = ignored = hot = no_user = 0
        for number, line in enumerate(lines, start + 1):
            try:
                event = decode(line)
            except decode_error:
                self._bad_line(number, line)
                continue
            name = event.event
            props = event.properties
            distinct_id = props.distinct_id
            if name in special:
                if name != HOTSHARD_EVENT:
                    ignored += 1
                    continue
                hot += 1
                name = props.original_event or name
                distinct_id = props.original_distinct_id
                if name in IDENTITY_EVENTS:
                    ignored += 1
                    continue
            time = props.time
            insert_id = props.insert_id
            if insert_id is not None:
                key = hash((name, distinct_id, time, insert_id)) & mask  # dedupe.dedupe_key
                if key in seen:
                    duplicates += 1
                    continue
                seen.add(key)
            raw = props.account
            state = by_str.get(raw) if raw.__class__ is str else None
            if state is None:
                state = value_state(raw)
            if state is _NOT_CARRIED:  # the user's profile decides
                if not (distinct_id or distinct_id == 0):
                    no_user += 1
                    continue
                state = by_user.get(distinct_id)
                if state is None:
                    state = self._user_state(distinct_id)
            state[0] += 1
            if time < state[1]:
                state[1] = time
            if time > state[2]:
                state[2] = time
            if name in tracked:
                counts = state[3]
                counts[name] = counts.get(name, 0) + 1
        self.stats.lines_read = number
        self.stats.no_account += no_user
        self._count(duplicates, ignored, hot)

    def _count(self, duplicates: int, ignored: int, hot: int) -> None:
        self.stats.duplicates += duplicates
        self.stats.ignored_identity += ignored
        self.stats.hotshard_restored += hot

    # -- sources (once per distinct raw value or user) -------------------------------------

    def _value_state(self, raw: Any) -> State:
        """The state of a raw value not seen yet as such (or not a plain string)."""
        key: Hashable = raw if raw is None or raw.__class__ is str else account_values(raw)
        state = self._by_value.get(key)
        if state is None:
            state = self._new_value_state(key)
        if key.__class__ is str:
            self._by_str[key] = state
        return state

    def _new_value_state(self, key: Hashable) -> State:
        if not self._config.is_group_mode:
            values = key if key.__class__ is tuple else account_values(key)
            if not values:
                self._by_value[key] = _NOT_CARRIED
                return _NOT_CARRIED
        if len(self._by_value) >= self._max_values:
            raise TooManyAccountValues(
                f"more than {self._max_values} distinct values of "
                f"{self._config.account_property!r} in one day: check that it names the account"
            )
        state = self._by_value[key] = _new_state(self._config.is_group_mode)
        return state

    def _user_state(self, distinct_id: Any) -> State:
        """A new user on the profile path: buffered, and looked up with the next batch."""
        assert self._profiles is not None
        state = self._by_user[distinct_id] = _new_state(users=False)
        self._unfetched.append(str(distinct_id))
        if len(self._unfetched) >= self._profiles.batch_size:
            self._profiles.fetch(self._unfetched)
            self._unfetched.clear()
        return state

    # -- the result: sources -> targets ---------------------------------------------------

    def result(self) -> DayAggregate:
        """Resolve every source to its targets and build each target's day usage (once)."""
        if self._finished:
            raise RuntimeError("result() was already taken: folding twice would double count")
        self._finished = True
        folder = _Folder(self._config, self._resolve, self.stats)
        for key, state in self._by_value.items():
            if state is not _NOT_CARRIED:
                folder.fold(key if key.__class__ is tuple else account_values(key), state)
        if self._by_user:
            profiles = self._profiles
            assert profiles is not None
            profiles.fetch(self._unfetched)
            self._unfetched.clear()
            for distinct_id, state in self._by_user.items():
                folder.fold(account_values(profiles.get(str(distinct_id))), state)
        if self._profiles is not None:
            self.stats.profiles = self._profiles.stats.model_copy()
        if self._native is not None:
            self.stats.dedupe_keys = self._native.dedupe_keys()
            self.stats.dedupe_bytes = self._native.dedupe_bytes()
        else:
            self.stats.dedupe_keys = len(self._seen)
            self.stats.dedupe_bytes = key_set_bytes(self._seen)
        group = self._config.is_group_mode
        return DayAggregate(
            accounts={k: _usage(s, group) for k, s in folder.accounts.items()},
            quarantine={k: _usage(s, group) for k, s in folder.quarantine.items()},
            stats=self.stats,
        )


class _Folder:
    """Adds source states into their targets: accounts and quarantined values."""

    def __init__(self, config: IngestConfig, resolve: ResolveAccount, stats: IngestStats):
        self._excluded = config.excluded_keys
        self._resolve = resolve
        self._stats = stats
        self._targets: dict[tuple[str, ...], list[State]] = {}
        self.accounts: dict[str, State] = {}
        self.quarantine: dict[str, State] = {}

    def fold(self, values: tuple[str, ...], source: State) -> None:
        events = source[0]
        if not events:
            return
        if not values:
            self._stats.no_account += events
            return
        targets = self._targets.get(values)
        if targets is None:
            targets = self._targets[values] = self._targets_of(values)
        if not targets:
            self._stats.excluded += events
            return
        self._stats.attributed += events
        for target in targets:
            target[0] += events
            target[1] = min(target[1], source[1])
            target[2] = max(target[2], source[2])
            counts = target[3]
            for name, count in source[3].items():
                counts[name] = counts.get(name, 0) + count
            if source[4]:
                target[4] |= source[4]

    def _targets_of(self, values: tuple[str, ...]) -> list[State]:
        """Distinct target states of these values (none when all are excluded)."""
        targets: dict[int, State] = {}
        for value in values:
            if value in self._excluded:
                continue
            account_id = self._resolve(value)
            if account_id is not None:
                state = self.accounts.get(account_id) or self.accounts.setdefault(
                    account_id, _new_state()
                )
            else:
                state = self.quarantine.get(value) or self.quarantine.setdefault(
                    value, _new_state()
                )
            targets[id(state)] = state
        return list(targets.values())


def _usage(state: State, group_mode: bool) -> DayUsage:
    active: int | None = None
    sketch: bytes | None = None
    if group_mode:
        users = {u if u.__class__ is str else str(u) for u in state[4] if u is not None and u != ""}
        active = len(users)
        sketch = users_sketch(users)
    return DayUsage(
        events=state[0],
        feature_counts=dict(sorted(state[3].items())),
        active_users=active,
        users_sketch=sketch,
        first_seen=int(state[1] // 1),
        last_seen=int(state[2] // 1),
    )


@dataclass(frozen=True)
class DayAggregate:
    """A day's usage per account id and per quarantined value, with the day's stats."""

    accounts: dict[str, DayUsage]
    quarantine: dict[str, DayUsage]
    stats: IngestStats
