"""What happened to every line of a day: the sync history and on-call read this.

Every line lands in exactly one bucket, so nothing vanishes silently:

    lines_read = blank_lines + malformed + duplicates + ignored_identity
                 + no_account + excluded + attributed

`attributed` events reached at least one account or quarantined value; `no_account` had no
usable value (missing, null, blank, or in user-property mode no profile value either);
`excluded` had values but every one of them is an excluded key.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_SAMPLES = 5
SAMPLE_CHARS = 200


class MalformedSample(BaseModel):
    model_config = ConfigDict(frozen=True)

    line_number: int = Field(description="1-based position in the export")
    reason: str
    excerpt: str = Field(description=f"the line's first {SAMPLE_CHARS} characters")


class ProfileLookupStats(BaseModel):
    """User-property mode: how many profile lookups the day cost."""

    calls: int = 0
    distinct_ids_requested: int = 0
    profiles_found: int = 0


class IngestStats(BaseModel):
    lines_read: int = 0
    blank_lines: int = 0
    malformed: int = 0
    malformed_by_reason: dict[str, int] = Field(default_factory=dict)
    malformed_samples: list[MalformedSample] = Field(default_factory=list)
    duplicates: int = 0
    ignored_identity: int = 0
    hotshard_restored: int = 0
    no_account: int = 0
    excluded: int = 0
    attributed: int = 0
    dedupe_keys: int = 0
    dedupe_bytes: int = Field(default=0, description="memory held by the dedupe keys")
    profiles: ProfileLookupStats | None = None

    def record_malformed(self, line_number: int, reason: str, line: bytes) -> None:
        self.malformed += 1
        self.malformed_by_reason[reason] = self.malformed_by_reason.get(reason, 0) + 1
        if len(self.malformed_samples) < MAX_SAMPLES:
            excerpt = line[: SAMPLE_CHARS * 4].decode("utf-8", "replace")[:SAMPLE_CHARS]
            self.malformed_samples.append(
                MalformedSample(line_number=line_number, reason=reason, excerpt=excerpt)
            )

    @property
    def accounted(self) -> int:
        """Lines in some bucket; equals `lines_read` unless a line vanished (a bug)."""
        return (
            self.blank_lines
            + self.malformed
            + self.duplicates
            + self.ignored_identity
            + self.no_account
            + self.excluded
            + self.attributed
        )

    @property
    def dedupe_bytes_per_event(self) -> float:
        return self.dedupe_bytes / self.dedupe_keys if self.dedupe_keys else 0.0
