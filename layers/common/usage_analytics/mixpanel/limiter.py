"""A per-process, per-project gate in front of every Mixpanel request.

Mixpanel allows, per project: 3 requests a second, 100 concurrent exports and 5 concurrent
query-API requests. Locally the backfill Map runs days in threads of one process, so the
gate is shared by every client of the same project in the process (`shared_limiter`) and is
thread-safe. In Lambda each process sees only its own requests: the Step Functions Map's
`MaxConcurrency` bounds the fleet, this bounds a process.

Concurrency is held for a request's whole life (an export stream holds its slot until the
consumer is done with it); the rate window counts request starts, and is kept `margin`
seconds longer than Mixpanel's: requests spaced exactly 1 s apart here can land less than
1 s apart there (the first paid a connection handshake, the fourth reused the connection),
and the simulator, which enforces 3/s like Mixpanel, answered 429 to exactly that.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

RequestKind = Literal["export", "query"]


@dataclass(frozen=True)
class RateWindow:
    """At most `limit` request starts in any window of `seconds`."""

    limit: int
    seconds: float


MIXPANEL_RATE: tuple[RateWindow, ...] = (RateWindow(3, 1.0),)
MIXPANEL_CONCURRENCY: Mapping[RequestKind, int] = {"export": 100, "query": 5}
DEFAULT_MARGIN = 0.25  # seconds added to every window, for network jitter


class ProjectLimiter:
    def __init__(
        self,
        *,
        windows: tuple[RateWindow, ...] = MIXPANEL_RATE,
        concurrency: Mapping[RequestKind, int] = MIXPANEL_CONCURRENCY,
        margin: float = DEFAULT_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if margin < 0:
            raise ValueError("margin cannot be negative")
        self._windows = tuple(RateWindow(w.limit, w.seconds + margin) for w in windows)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._starts: deque[float] = deque()
        self._longest = max((w.seconds for w in self._windows), default=0.0)
        self._slots = {kind: threading.BoundedSemaphore(n) for kind, n in concurrency.items()}

    @contextmanager
    def slot(self, kind: RequestKind) -> Iterator[None]:
        """Hold one of `kind`'s concurrent slots, entered no faster than the rate allows."""
        semaphore = self._slots[kind]
        semaphore.acquire()
        try:
            self._await_start()
            yield
        finally:
            semaphore.release()

    def _await_start(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    self._starts.append(now)
                    return
            self._sleep(wait)

    def _wait_needed(self, now: float) -> float:
        """0 when a request may start at `now`, else how long until one may (lock held)."""
        while self._starts and self._starts[0] <= now - self._longest:
            self._starts.popleft()
        wait = 0.0
        starts = list(self._starts)
        for window in self._windows:
            recent = [s for s in starts if s > now - window.seconds]
            if len(recent) >= window.limit:
                # the oldest starts must leave the window until one place is free
                oldest_to_expire = recent[len(recent) - window.limit]
                wait = max(wait, oldest_to_expire + window.seconds - now)
        return wait


_registry: dict[tuple[str, int], ProjectLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(host: str, project_id: int) -> ProjectLimiter:
    """The process-wide limiter of one project (keyed by host too, so two simulators on
    different ports in one test process don't throttle each other)."""
    key = (host, project_id)
    with _registry_lock:
        limiter = _registry.get(key)
        if limiter is None:
            limiter = _registry[key] = ProjectLimiter()
        return limiter
