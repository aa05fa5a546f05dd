"""The C loop (`_engine.c`) against the Python reference: same rows, same stats, any input.

The rule tests run on both loops (conftest `engine`); these check what is particular to the
C one: it is built from the current source, its dedupe key is exactly `dedupe_key`, and on
random days mixing every odd case the two loops agree on everything they report.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts import native
from tests.unit.ingest.world import (
    T0,
    FakeProfiles,
    event,
    group_config,
    user_property_config,
)
from usage_analytics.ingest import DayAggregator, ExportTerminatedEarly, ProfileValues
from usage_analytics.ingest import aggregator as aggregator_module
from usage_analytics.ingest.aggregator import DayAggregate, TooManyAccountValues
from usage_analytics.ingest.dedupe import dedupe_key

engine = aggregator_module.native_engine
ACCOUNTS = [
    {"id": "A-acme", "name": "Acme", "domain": "acme.com", "external_crm_id": "acme"},
    {"id": "A-globex", "name": "Globex", "domain": "www.globex.io", "external_crm_id": "globex"},
    {"id": "A-42", "name": "Forty-two", "domain": "42.example", "external_crm_id": 42},
]
PROFILES = {
    "u1": {"company_domain": "acme.com"},
    "u2": {"company_domain": ["globex.io", "nobody.example"]},
    "7": {"company_domain": "42.example"},
}


def test_the_built_module_is_the_current_source() -> None:
    assert engine is not None, "the native ingest engine is not built: run `make install`"
    assert native.source_digest() == engine.SOURCE_DIGEST, "stale build: run `make install`"


ids = st.one_of(
    st.none(), st.text(max_size=6), st.integers(-(2**70), 2**70), st.just(""), st.just(0)
)
times = st.one_of(st.integers(0, 2**40), st.floats(allow_nan=False, allow_infinity=False))


@given(st.text(min_size=1, max_size=8), ids, times, st.text(max_size=8))
def test_the_dedupe_key_is_dedupe_key(name: str, distinct_id: Any, time: Any, insert: str) -> None:
    assert engine is not None
    assert engine.dedupe_key(name, distinct_id, time, insert) == dedupe_key(
        name, distinct_id, time, insert
    )


# -- random days: every odd case, both loops ---------------------------------------------------

NAMES = ["Page View", "Report Viewed", "Export CSV", "$identify", "$merge", "$hotshard_events"]
VALUES: list[Any] = [
    "acme",
    " acme ",
    "globex",
    "nobody",
    "",
    "   ",
    42,
    42.0,
    True,
    None,
    {"x": 1},
    ["acme", "globex"],
    ["acme", "acme"],
    [],
    ["", None, 3],
    "acme.com",
    "www.globex.io",
]
BAD_LINES = [
    b"not json\n",
    b"\n",
    b'{"event": "X"}\n',
    b'{"event": "", "properties": {"time": 1}}\n',
    b'{"event": "X", "properties": {"time": "yesterday"}}\n',
    b'{"event": "X", "properties": {"time": 1, "distinct_id": [1]}}\n',
    b'{"event": "X", "properties": {"time": 1, "$insert_id": 5}}\n',
    b"[1, 2]\n",
]


def random_day(seed: int, size: int, key: str) -> list[bytes]:
    rng = random.Random(seed)
    lines: list[bytes] = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.1 and lines:
            lines.append(rng.choice(lines))  # an exact duplicate
            continue
        if roll < 0.15:
            lines.append(rng.choice(BAD_LINES))
            continue
        props: dict[str, Any] = {}
        if rng.random() < 0.9:
            props[key] = rng.choice(VALUES)
        name = rng.choice(NAMES)
        if name == "$hotshard_events" and rng.random() < 0.7:
            props["mp_original_event_name"] = rng.choice([*NAMES[:4], ""])
            props["mp_original_distinct_id"] = rng.choice(["u1", "u2", 7, None])
        lines.append(
            event(
                name,
                time=rng.choice([T0 + rng.randrange(86_400), T0 + rng.random() * 1000]),
                distinct_id=rng.choice(["u1", "u2", "u3", 7, "7", "", None]),
                insert_id=rng.choice([None, f"i{rng.randrange(40)}"]),
                **props,
            )
        )
    return lines


def aggregate(lines: list[bytes], group: bool, native_loop: bool, parts: int) -> DayAggregate:
    config = group_config() if group else user_property_config()
    profiles = None if group else ProfileValues(FakeProfiles(PROFILES), config.account_property)
    aggregator = DayAggregator(config, config.resolver(ACCOUNTS), profiles, native=native_loop)
    step = max(1, len(lines) // parts)
    for start in range(0, len(lines), step):
        aggregator.feed(iter(lines[start : start + step]))
    return aggregator.result()


def comparable(result: DayAggregate) -> dict[str, Any]:
    stats = result.stats.model_dump(exclude={"dedupe_bytes"})
    return {"accounts": result.accounts, "quarantine": result.quarantine, "stats": stats}


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 300), st.booleans(), st.integers(1, 4))
def test_both_loops_report_the_same_day(seed: int, size: int, group: bool, parts: int) -> None:
    lines = random_day(seed, size, "company_id" if group else "company_domain")
    native_result = aggregate(lines, group, native_loop=True, parts=parts)
    python_result = aggregate(lines, group, native_loop=False, parts=1)
    assert comparable(native_result) == comparable(python_result)


def test_a_large_day_agrees_too() -> None:
    """Past the tables' growth steps (1,024 slots, doubling) and with many users."""
    lines = [
        event(
            "Report Viewed" if i % 3 else "Page View",
            time=T0 + i,
            distinct_id=f"user-{i % 5_000}",
            company_id=["acme", "globex", "nobody"][i % 3],
        )
        for i in range(30_000)
    ]
    lines += lines[:10_000]  # exact duplicates
    native_result = aggregate(lines, True, native_loop=True, parts=3)
    assert native_result.stats.duplicates == 10_000
    assert native_result.accounts["A-acme"].events == 10_000
    assert native_result.accounts["A-acme"].active_users == 5_000
    assert comparable(native_result) == comparable(aggregate(lines, True, False, 1))


# -- errors raised in Python reach the caller through the C loop -----------------------------


def test_an_incomplete_export_fails_the_day_in_the_c_loop() -> None:
    config = group_config()
    aggregator = DayAggregator(config, config.resolver(ACCOUNTS), native=True)
    with pytest.raises(ExportTerminatedEarly):
        aggregator.feed([event(company_id="acme"), b"terminated early\n", event()])


def test_too_many_values_fails_the_day_in_the_c_loop() -> None:
    config = group_config()
    aggregator = DayAggregator(
        config, config.resolver(ACCOUNTS), native=True, max_distinct_values=10
    )
    with pytest.raises(TooManyAccountValues):
        aggregator.feed(event(company_id=f"c{i}") for i in range(11))


def test_a_failing_line_source_fails_the_day_in_the_c_loop() -> None:
    def lines() -> Any:
        yield event(company_id="acme")
        raise ConnectionError("stream broken")

    config = group_config()
    aggregator = DayAggregator(config, config.resolver(ACCOUNTS), native=True)
    with pytest.raises(ConnectionError, match="stream broken"):
        aggregator.feed(lines())


def test_asking_for_the_c_loop_where_it_is_not_built_says_how_to_build_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(aggregator_module, "native_engine", None)
    config = group_config()
    with pytest.raises(RuntimeError, match="make install"):
        DayAggregator(config, config.resolver(ACCOUNTS), native=True)
    # by default the Python loop counts instead
    aggregator = DayAggregator(config, config.resolver(ACCOUNTS))
    aggregator.feed([event(company_id="acme")])
    assert aggregator.result().accounts["A-acme"].events == 1


def test_the_lambda_build_is_an_arm64_python_extension(tmp_path: Any) -> None:
    built = native.build(tmp_path, target=native.LAMBDA_TARGET)
    header = built.read_bytes()[:20]
    assert header[:4] == b"\x7fELF" and header[4] == 2  # 64-bit ELF
    assert int.from_bytes(header[16:18], "little") == 3  # ET_DYN: a shared object
    assert int.from_bytes(header[18:20], "little") == 183  # EM_AARCH64
    assert b"PyInit__engine" in built.read_bytes()


def test_lines_are_json_for_the_random_days() -> None:
    """The generator above writes what the rule tests write (sanity of the fixture)."""
    day = random_day(1, 50, "company_id")
    decoded = [json.loads(line) for line in day if line not in BAD_LINES]
    assert decoded and all("properties" in d for d in decoded)


@pytest.mark.parametrize(
    "times",
    [
        [2**53 + 1, 2**53, 2**53 + 2, 2**53 + 1],  # equal as doubles, not as ints
        [10**400, -(10**400), 5, 10**400 + 1],  # beyond any double
        [T0 + 0.5, T0, T0 + 0.25, T0 - 0.75],  # fractions
        [2**63, 2**64 + 7, 1.5e300, -1.5e300],
    ],
)
def test_first_and_last_seen_are_exact_for_any_time(times: list[Any]) -> None:
    """The C loop compares times as doubles and falls back to Python on a tie."""
    lines = [event(time=t, company_id="acme") for t in times]
    native_result = aggregate(lines, True, native_loop=True, parts=2)
    assert comparable(native_result) == comparable(aggregate(lines, True, False, 1))
    assert native_result.stats.malformed == 0  # msgspec decodes ints of any size
    assert native_result.accounts["A-acme"].first_seen == int(min(times) // 1)
    assert native_result.accounts["A-acme"].last_seen == int(max(times) // 1)
