"""What the ingest engine needs to know about a workspace's integration.

The API stores the integration however it likes; it builds one `IngestConfig` from it per
run. Validation lives here so that a config the engine cannot honour (26 features, a group
key that collides with a field the engine reads itself) is refused when it is saved, with a
message a person can act on, not discovered at 05:00.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from usage_analytics.ingest.matching import AccountIndex, AccountMapping, CrmAccount

MAX_TRACKED_FEATURES = 25

# Properties the engine reads for itself; an account property with one of these names would
# be ambiguous (is `time` the account or the timestamp?), so it is refused at save time.
RESERVED_PROPERTIES = frozenset(
    {"time", "distinct_id", "$insert_id", "mp_original_event_name", "mp_original_distinct_id"}
)

ResolveAccount = Callable[[str], "str | None"]
"""account value (trimmed, non-blank) -> account id, or None when no account matches."""


class IdentityMode(StrEnum):
    GROUP = "group"
    USER_PROPERTY = "user_property"


class IngestConfig(BaseModel):
    """Identity mode and its property, tracked features, exclusions and the mapping."""

    model_config = ConfigDict(frozen=True)

    identity_mode: IdentityMode
    account_property: str = Field(
        description="the group key (group mode) or the user property (user_property mode)",
        min_length=1,
    )
    tracked_features: tuple[str, ...] = Field(min_length=1)
    excluded_keys: frozenset[str] = frozenset()
    mapping: AccountMapping

    @classmethod
    def group(cls, group_key: str, **kwargs: Any) -> IngestConfig:
        return cls(identity_mode=IdentityMode.GROUP, account_property=group_key, **kwargs)

    @classmethod
    def user_property(cls, property_name: str, **kwargs: Any) -> IngestConfig:
        return cls(
            identity_mode=IdentityMode.USER_PROPERTY, account_property=property_name, **kwargs
        )

    @field_validator("account_property")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_PROPERTIES:
            raise ValueError(
                f"{value!r} is an event field the engine reads itself; "
                "choose the property that names the account"
            )
        return value

    @field_validator("tracked_features")
    @classmethod
    def _features(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        distinct = tuple(dict.fromkeys(value))
        if any(not name.strip() for name in distinct):
            raise ValueError("a tracked feature is an event name and cannot be blank")
        if len(distinct) > MAX_TRACKED_FEATURES:
            raise ValueError(
                f"at most {MAX_TRACKED_FEATURES} tracked features (got {len(distinct)}): "
                "remove some before saving"
            )
        return distinct

    @field_validator("excluded_keys", mode="before")
    @classmethod
    def _trim_excluded(cls, value: Iterable[str]) -> frozenset[str]:
        # Values are trimmed before they are compared, so exclusions are too.
        return frozenset(key.strip() for key in value if key.strip())

    @property
    def is_group_mode(self) -> bool:
        return self.identity_mode is IdentityMode.GROUP

    def resolver(self, accounts: Iterable[CrmAccount | Mapping[str, Any]]) -> ResolveAccount:
        """The account resolver for this config's mapping over the given CRM accounts."""
        return AccountIndex(accounts, self.mapping).resolve
