"""Export dedupe: same (event, distinct_id, time, $insert_id) counts once.

Mixpanel's export is not deduplicated, and a day holds millions of events, so the engine
keeps a compact 60-bit hash of each key rather than the key: Python's tuple hash (SipHash
for the strings, salted per process, which is fine because a run's keys never leave the
process) masked to 60 bits, so each key is a 32-byte int instead of a 4-string tuple of
~250 bytes. With 2 million keys a false "duplicate" has a probability of about
n^2 / 2^61 = 2e-6 per day. Events without `$insert_id` are never deduplicated (SPEC).

The hot loop inlines `dedupe_key` for speed; this module is the definition it follows.
"""

from __future__ import annotations

import sys
from typing import Any

KEY_BITS = 60
KEY_MASK = (1 << KEY_BITS) - 1
_KEY_OBJECT_BYTES = sys.getsizeof(1 << (KEY_BITS - 1))


def dedupe_key(event: str, distinct_id: Any, time: int | float, insert_id: str) -> int:
    return hash((event, distinct_id, time, insert_id)) & KEY_MASK


def key_set_bytes(keys: set[int]) -> int:
    """Memory held by a set of dedupe keys: its hash table plus one int object per key."""
    return sys.getsizeof(keys) + len(keys) * _KEY_OBJECT_BYTES
