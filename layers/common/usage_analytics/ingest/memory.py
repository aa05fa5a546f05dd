"""A day too big for the function's memory fails with a message instead of an OOM kill.

What the engine holds grows with the day (the dedupe keys, 11 to 23 bytes per event in the
C loop's table and about 70 in the Python loop's set, and the users seen), so a big enough
day runs any fixed memory out. Lambda then kills the process and Step Functions sees only
"Runtime exited", retried to no avail. Instead, the aggregator looks at the process's
resident memory every `every_lines` lines and stops the day with `DayTooLarge` once it
passes the budget, a share of the function's memory (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`,
which Lambda sets); the message says what to raise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# Past this share of the function's memory, the rest of the day would most likely not fit
# (what the engine holds at the end is a little more than halfway through, plus the rows).
BUDGET_SHARE = 0.85
CHECK_EVERY_LINES = 500_000


class DayTooLarge(RuntimeError):
    """The day holds more events than the ingest function's memory can count."""


def resident_mb() -> float | None:
    """This process's resident memory in MB (Linux); None where /proc is not available."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            resident_pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


@dataclass(frozen=True)
class MemoryBudget:
    function_memory_mb: int
    share: float = BUDGET_SHARE
    every_lines: int = CHECK_EVERY_LINES

    @property
    def limit_mb(self) -> float:
        return self.function_memory_mb * self.share

    def check(self, lines_read: int) -> None:
        used = resident_mb()
        if used is None or used <= self.limit_mb:
            return
        raise DayTooLarge(
            f"The day is too large for the ingest function's memory: {used:,.0f} MB in use "
            f"after {lines_read:,} lines, past {self.limit_mb:,.0f} MB "
            f"({self.share:.0%} of {self.function_memory_mb:,} MB). Give the ingest functions "
            "more memory (memory_mb of BackfillDay and DailySyncWorkspace) and run the day "
            "again."
        )
