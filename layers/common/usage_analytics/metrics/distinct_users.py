"""Distinct users over several days: the union of the account-days' Theta sketches.

Daily `active_users` cannot be summed over a week (the same person is active on many
days); the per-day sketches can be unioned. Each row's sketch is deserialized once
(`DaySketches`) and reused for the 30-day window, both weeks and the seat-activation range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from datasketches import compact_theta_sketch, theta_union

from usage_analytics.ingest.sketch import LG_K


class DaySketches:
    """The deserialized sketches of one account's days."""

    def __init__(self, blobs: Mapping[dt.date, bytes]) -> None:
        self._sketches = {
            day: compact_theta_sketch.deserialize(bytes(blob)) for day, blob in blobs.items()
        }

    def distinct(self, days: Iterable[dt.date]) -> int:
        """Distinct users over these days (exact up to 16,384, ~0.8% error beyond)."""
        union = theta_union(LG_K)
        found = False
        for day in days:
            sketch = self._sketches.get(day)
            if sketch is not None:
                union.update(sketch)
                found = True
        return round(union.get_result().get_estimate()) if found else 0
