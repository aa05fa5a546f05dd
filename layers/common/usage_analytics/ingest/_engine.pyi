"""Types of the C module built from `_engine.c` (see that file and `scripts/native.py`)."""

from collections.abc import Callable, Iterable
from typing import Any

SOURCE_DIGEST: str

def dedupe_key(event: str, distinct_id: Any, time: int | float, insert_id: str) -> int: ...

class Engine:
    def feed(
        self,
        lines: Iterable[bytes],
        start: int,
        decode: Callable[[bytes], Any],
        decode_error: type[BaseException],
        bad_line: Callable[[int, bytes], None],
        by_value: dict[Any, list[Any]],
        value_state: Callable[[Any], list[Any]],
        tracked: frozenset[str],
        special: frozenset[str],
        identity: frozenset[str],
        hotshard: str,
        not_carried: list[Any] | None,
        by_user: dict[Any, list[Any]],
        user_state: Callable[[Any], list[Any]],
        /,
    ) -> tuple[int, int, int, int, int]: ...
    def dedupe_keys(self) -> int: ...
    def dedupe_bytes(self) -> int: ...
