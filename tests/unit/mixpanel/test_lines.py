"""Cutting a decoded export body into JSON lines, whatever the chunk boundaries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.mixpanel.fakes import chunked, event_line
from usage_analytics.mixpanel.lines import ExportTerminatedEarly, json_lines


def test_lines_split_across_chunks_are_rejoined() -> None:
    body = b'{"a":1}\n{"b":2}\n{"c":3}\n'
    assert list(json_lines([b'{"a', b'":1}\n{"b":2', b"}", b"\n", b'{"c":3}\n'])) == [
        b'{"a":1}',
        b'{"b":2}',
        b'{"c":3}',
    ]
    assert list(json_lines(chunked(body, 1))) == [b'{"a":1}', b'{"b":2}', b'{"c":3}']


def test_blank_lines_and_a_missing_final_newline_are_handled() -> None:
    chunks = [b'\n{"a":1}\n\n  \r\n{"b":2}']
    assert list(json_lines(chunks)) == [b'{"a":1}', b'{"b":2}']


@pytest.mark.parametrize("marker", [b"terminated early", b"export terminated early"])
def test_the_terminated_early_marker_raises_after_the_lines_before_it(marker: bytes) -> None:
    lines = json_lines(chunked(b'{"a":1}\n' + marker + b"\n", 3))
    assert next(lines) == b'{"a":1}'
    with pytest.raises(ExportTerminatedEarly):
        next(lines)


def test_the_marker_without_a_final_newline_raises_too() -> None:
    with pytest.raises(ExportTerminatedEarly):
        list(json_lines([b'{"a":1}\nterminated ', b"early"]))


def test_lines_are_produced_lazily_chunk_by_chunk() -> None:
    pulled = []

    def chunks() -> Iterator[bytes]:
        for i in range(1000):
            pulled.append(i)
            yield event_line(i) + b"\n"

    lines = json_lines(chunks())
    next(lines)
    assert len(pulled) == 1


@given(
    lines=st.lists(
        st.dictionaries(st.text(max_size=5), st.text(max_size=20), max_size=3).map(
            lambda d: ("{" + repr(d) + "}").encode()
        ),
        max_size=30,
    ),
    cuts=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=10),
)
def test_any_chunking_gives_the_same_lines_as_splitting_the_whole_body(
    lines: list[bytes], cuts: list[int]
) -> None:
    body = b"".join(line + b"\n" for line in lines)
    chunks, pos, i = [], 0, 0
    while pos < len(body):
        size = cuts[i % len(cuts)]
        chunks.append(body[pos : pos + size])
        pos += size
        i += 1
    assert list(json_lines(chunks)) == [line for line in body.splitlines() if line.strip()]
