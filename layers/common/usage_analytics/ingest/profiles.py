"""User-property mode: the account value from the user's profile, looked up in batches.

An event that does not carry the property itself takes it from the user's profile
(Mixpanel Engage). One lookup per event would be millions of API calls, and one per user is
still too many single calls; so the engine collects the distinct_ids it has not seen yet
and asks for them a batch at a time, and remembers every answer (including "no profile")
for the rest of the run. A backfill can share one cache across its days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from usage_analytics.ingest.stats import ProfileLookupStats

DEFAULT_BATCH_SIZE = 1000  # Engage returns 1,000 profiles a page


class ProfileSource(Protocol):
    """What the Mixpanel client offers (and an in-memory fake in tests)."""

    def engage_profiles(
        self, distinct_ids: Sequence[str], output_properties: Sequence[str]
    ) -> Iterable[tuple[str, Mapping[str, Any]]]: ...


class ProfileValues:
    """distinct_id -> the raw profile property value, fetched in batches and cached."""

    def __init__(
        self,
        source: ProfileSource,
        property_name: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._source = source
        self.property_name = property_name
        self.batch_size = batch_size
        self._values: dict[str, Any] = {}
        self.stats = ProfileLookupStats()

    def __contains__(self, distinct_id: str) -> bool:
        return distinct_id in self._values

    def get(self, distinct_id: str) -> Any:
        """The cached value (None when the user has no profile or no such property)."""
        return self._values.get(distinct_id)

    def fetch(self, distinct_ids: Iterable[str]) -> None:
        """Look up the ids not cached yet, `batch_size` per call; remember misses too."""
        missing = [d for d in dict.fromkeys(distinct_ids) if d not in self._values]
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            self.stats.calls += 1
            self.stats.distinct_ids_requested += len(batch)
            for distinct_id in batch:
                self._values[distinct_id] = None
            for distinct_id, properties in self._source.engage_profiles(
                batch, [self.property_name]
            ):
                if distinct_id in self._values:
                    self.stats.profiles_found += 1
                    self._values[distinct_id] = properties.get(self.property_name)
