"""How long to wait before asking Mixpanel again, and when to stop asking.

Mixpanel's quota is per project and shared with every other tool on it (60 export requests
an hour), so retries back off exponentially with jitter (many Lambdas hitting 429 at once
must not retry in lock-step) and honour `Retry-After`. A `Retry-After` longer than
`max_retry_after` is not slept through: holding a Lambda for minutes costs money and risks
its timeout, so the error goes up and the workflow's own retry takes over.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from usage_analytics.mixpanel.errors import MixpanelError, RateLimited


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5  # attempts in total, the first one included
    base_delay: float = 2.0  # seconds; doubles on every attempt
    max_delay: float = 60.0
    max_retry_after: float = 120.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("retry delays cannot be negative")

    def delay_before_retry(
        self, error: MixpanelError, attempt: int, rng: random.Random
    ) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up and raise."""
        if not error.retryable or attempt >= self.max_attempts:
            return None
        backoff = self.backoff(attempt, rng)
        if isinstance(error, RateLimited) and error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            return max(error.retry_after, backoff)
        return backoff

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """'Equal jitter': half the exponential step for sure, the other half at random,
        so retries spread out but never come back immediately."""
        step = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return step / 2 + rng.uniform(0, step / 2)


NO_RETRY = RetryPolicy(max_attempts=1)
