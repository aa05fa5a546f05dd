"""Cut a stream of decoded byte chunks into JSON lines, without ever holding the body.

Chunks arrive at arbitrary boundaries, so a line may span several chunks: only the tail
after the last newline is carried over. Every line that starts with `{` (all of them, in a
healthy export) takes the fast path; anything else is stripped and inspected: blank lines
are skipped, and Mixpanel's in-band failure marker (`terminated early`, older servers
`export terminated early`) raises, because a 200 that ends that way is an incomplete day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

TERMINATION_MARKERS = frozenset({b"terminated early", b"export terminated early"})
_OPEN_BRACE = 0x7B  # b"{"


class ExportTerminatedEarly(Exception):
    """The export body carried Mixpanel's `terminated early` marker."""


def json_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Yield each line (without its newline) of the concatenated chunks, lazily."""
    pending: list[bytes] = []  # pieces of a line not finished yet (joined once, not per chunk)
    for chunk in chunks:
        if b"\n" not in chunk:
            if chunk:
                pending.append(chunk)
            continue
        if pending:
            pending.append(chunk)
            chunk = b"".join(pending)
            pending = []
        pieces = chunk.split(b"\n")
        tail = pieces.pop()
        if tail:
            pending.append(tail)
        for line in pieces:
            if line and line[0] == _OPEN_BRACE:
                yield line
            else:
                yield from _odd_line(line)
    if pending:
        yield from _odd_line(b"".join(pending))


def _odd_line(line: bytes) -> Iterator[bytes]:
    stripped = line.strip()
    if not stripped:
        return
    if stripped in TERMINATION_MARKERS:
        raise ExportTerminatedEarly(stripped.decode())
    yield stripped
