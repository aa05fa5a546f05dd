"""Bad lines never crash the day and never vanish: each is counted by reason, a few kept."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.ingest.world import by_account, event, run
from usage_analytics.ingest import ExportTerminatedEarly

pytestmark = pytest.mark.usefixtures("engine")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"{not json", "invalid_json"),
        (b"[1, 2]", "not_an_object"),
        (b'"just a string"', "not_an_object"),
        (b'{"properties": {"time": 1}}', "missing_event"),
        (b'{"event": null, "properties": {"time": 1}}', "missing_event"),
        (b'{"event": 7, "properties": {"time": 1}}', "bad_event"),
        (b'{"event": "", "properties": {"time": 1}}', "bad_event"),
        (b'{"event": "x"}', "missing_properties"),
        (b'{"event": "x", "properties": "nope"}', "bad_properties"),
        (b'{"event": "x", "properties": {"distinct_id": "u"}}', "missing_time"),
        (b'{"event": "x", "properties": {"time": "yesterday"}}', "bad_time"),
        (b'{"event": "x", "properties": {"time": true}}', "bad_time"),
        (b'{"event": "x", "properties": {"time": 1, "distinct_id": {"a": 1}}}', "bad_distinct_id"),
        (b'{"event": "x", "properties": {"time": 1, "$insert_id": 5}}', "bad_insert_id"),
        (
            b'{"event": "x", "properties": {"time": 1, "mp_original_event_name": 5}}',
            "bad_field_type",
        ),
        (b'{"event": "x", "properties": {"time": 1}} trailing', "invalid_json"),
    ],
)
def test_a_malformed_line_is_counted_under_its_reason(line: bytes, reason: str) -> None:
    rows = run([event(company_id="acme"), line, event(company_id="acme")])
    assert rows.stats.malformed == 1
    assert rows.stats.malformed_by_reason == {reason: 1}
    assert rows.stats.malformed_samples[0].line_number == 2
    assert rows.stats.malformed_samples[0].reason == reason
    assert by_account(rows)["A-acme"].events == 2  # the good lines around it still count


def test_blank_lines_are_counted_apart_from_malformed_ones() -> None:
    rows = run([b"", b"\n", b"  \r\n", event(company_id="acme")])
    assert (rows.stats.blank_lines, rows.stats.malformed, rows.stats.attributed) == (3, 0, 1)


def test_only_a_few_samples_are_kept_and_each_is_short() -> None:
    bad = [b"{oops " + b"x" * 5000 for _ in range(20)]
    rows = run(bad)
    assert rows.stats.malformed == 20
    assert len(rows.stats.malformed_samples) == 5
    assert all(len(s.excerpt) <= 200 for s in rows.stats.malformed_samples)


def test_an_export_that_terminated_early_fails_the_day_instead_of_writing_it_short() -> None:
    with pytest.raises(ExportTerminatedEarly):
        run([event(company_id="acme"), b"terminated early\n"])


def test_non_utf8_bytes_are_a_malformed_line() -> None:
    rows = run([b'{"event": "\xff\xfe", "properties": {"time": 1}}'])
    assert rows.stats.malformed == 1


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children)
    ),
    max_leaves=6,
)
_events = st.fixed_dictionaries(
    {},
    optional={
        "event": st.sampled_from(
            ["Report Viewed", "Page View", "$identify", "$hotshard_events", ""]
        )
        | _json_values,
        "properties": st.fixed_dictionaries(
            {},
            optional={
                "time": st.integers(0, 2**40) | _json_values,
                "distinct_id": st.sampled_from(["u1", "u2", ""]) | _json_values,
                "$insert_id": st.sampled_from(["i1", "i2"]) | _json_values,
                "company_id": st.sampled_from(["acme", " globex ", "newco", "qa"]) | _json_values,
                "mp_original_event_name": st.just("Export CSV") | _json_values,
                "mp_original_distinct_id": st.just("u3") | _json_values,
            },
        )
        | _json_values,
    },
)
_lines = st.lists(
    _events.map(lambda e: json.dumps(e).encode())
    | st.binary(max_size=30)
    | st.sampled_from([b"", b"{", b"null", b"\xff"]),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(_lines)
def test_every_line_lands_in_exactly_one_bucket_whatever_it_contains(lines: list[bytes]) -> None:
    """lines_read = blank + malformed + duplicates + identity + no account + excluded
    + attributed, and the rows add up to the attributed events."""
    from tests.unit.ingest.world import group_config

    lines = [line for line in lines if line.strip() != b"terminated early"]
    rows = run(lines, config=group_config(excluded_keys=["qa"]))
    stats = rows.stats
    assert stats.lines_read == len(lines)
    assert stats.accounted == stats.lines_read
    total = sum(r.usage.events for r in rows.accounts) + sum(
        r.usage.events for r in rows.quarantine
    )
    assert total >= stats.attributed  # an event with several values counts for each
    assert (total == 0) == (stats.attributed == 0)
