"""The export's return value: an iterator of JSON lines that is also a context manager.

`with client.export(day, day) as lines:` guarantees the HTTP response (and the project's
export slot) is released when the block ends, even if the consumer stops early or raises;
plain iteration to the end releases it too.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from types import TracebackType


class ExportStream(Iterator[bytes]):
    def __init__(self, lines: Generator[bytes, None, None]) -> None:
        self._lines = lines

    def __iter__(self) -> Iterator[bytes]:
        # `for` loops get the generator itself: no extra Python call per line (millions a day)
        return self._lines

    def __next__(self) -> bytes:
        return next(self._lines)

    def close(self) -> None:
        """Stop reading: closes the response; lines not read yet are never downloaded."""
        self._lines.close()

    def __enter__(self) -> ExportStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
