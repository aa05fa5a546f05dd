"""Mixpanel's per-project rate limits: a sliding hour, a sliding second, and a concurrency cap.

Only admitted requests count (a refused one does not use up the hour). The clock is
injectable so the windows can be tested without sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from local.mixpanel_sim.config import Limits


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int  # seconds


class RateLimiter:
    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._hour: dict[object, deque[float]] = {}
        self._second: dict[object, deque[float]] = {}
        self._active: dict[object, int] = {}

    @property
    def limits(self) -> Limits:
        return self._limits

    def set_limits(self, limits: Limits) -> None:
        with self._lock:
            self._limits = limits

    def reset(self) -> None:
        with self._lock:
            self._hour.clear()
            self._second.clear()
            self._active.clear()

    def acquire(self, key: object) -> Refusal | None:
        """Admit one request for `key` (a project), or say why not. Admitted requests must
        be `release`d when their response is done."""
        with self._lock:
            now = self._clock()
            limits = self._limits
            hour = self._window(self._hour, key, now, 3600.0)
            second = self._window(self._second, key, now, 1.0)
            active = self._active.get(key, 0)
            if limits.concurrent is not None and active >= limits.concurrent:
                return Refusal(
                    f"Query rate limit exceeded: too many concurrent queries "
                    f"(limit: {limits.concurrent})",
                    1,
                )
            if limits.per_second is not None and len(second) >= limits.per_second:
                wait = second[0] + 1.0 - now
                return Refusal(
                    f"Query rate limit exceeded (limit: {limits.per_second} queries per second)",
                    max(1, math.ceil(wait)),
                )
            if limits.per_hour is not None and len(hour) >= limits.per_hour:
                wait = hour[0] + 3600.0 - now
                return Refusal(
                    f"Query rate limit exceeded (limit: {limits.per_hour} queries per hour)",
                    max(1, math.ceil(wait)),
                )
            hour.append(now)
            second.append(now)
            self._active[key] = active + 1
            return None

    def release(self, key: object) -> None:
        with self._lock:
            self._active[key] = max(0, self._active.get(key, 0) - 1)

    @staticmethod
    def _window(
        windows: dict[object, deque[float]], key: object, now: float, span: float
    ) -> deque[float]:
        window = windows.setdefault(key, deque())
        while window and window[0] <= now - span:
            window.popleft()
        return window
