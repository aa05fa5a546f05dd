"""What the simulator was asked and what it answered, so tests can count requests.

Entries carry the path, the query/form parameters, the status and what happened to the
stream; never the Authorization header (only the username it named).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections import deque
from dataclasses import asdict, dataclass, field


@dataclass
class LogEntry:
    seq: int
    at: str
    method: str
    path: str
    params: dict[str, str]
    region: str | None
    username: str | None
    status: int = 0
    fault: str | None = None
    lines: int = 0
    outcome: str = "complete"  # complete | terminated_early | cut | client_gone
    extra: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class RequestLog:
    def __init__(self, limit: int = 10_000) -> None:
        self._entries: deque[LogEntry] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._seq = itertools.count(1)

    def open(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        region: str | None,
        username: str | None,
    ) -> LogEntry:
        entry = LogEntry(
            seq=next(self._seq),
            at=dt.datetime.now(dt.UTC).isoformat(),
            method=method,
            path=path,
            params=params,
            region=region,
            username=username,
        )
        with self._lock:
            self._entries.append(entry)
        return entry

    def entries(self, path_prefix: str | None = None) -> list[dict[str, object]]:
        with self._lock:
            items = list(self._entries)
        return [e.to_json() for e in items if path_prefix is None or e.path.startswith(path_prefix)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
