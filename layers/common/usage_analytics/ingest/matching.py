"""Mapping account values (what Mixpanel carries) to CRM accounts.

One pure index shared by the ingest engine, the API's match preview and the nightly
rematch, so the three can never disagree on what "matches" means (SPEC "Mapping"):

- `crm_id`: the account's `external_crm_id`, compared exactly (CRM ids such as Salesforce's
  are case-sensitive).
- `domain`: the account's `domain`, case-insensitively, ignoring a leading `www.`.
- `custom_field` (written `cf::KEY`): the account's `custom_fields[KEY]`, compared exactly.

Both sides are normalized the same way (trimmed; numbers as decimal strings, see
`values.py`). A key shared by two accounts is *ambiguous*: it resolves to no account, so its
usage waits in quarantine instead of being credited to a guess; the preview reports which
accounts collide so someone can fix the CRM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from usage_analytics.ingest.values import scalar_to_value

CUSTOM_FIELD_PREFIX = "cf::"


class MappingKind(StrEnum):
    CRM_ID = "crm_id"
    DOMAIN = "domain"
    CUSTOM_FIELD = "custom_field"


class AccountMapping(BaseModel):
    """Which account attribute an account value is compared with."""

    model_config = ConfigDict(frozen=True)

    kind: MappingKind
    key: str | None = Field(default=None, description="custom field key (custom_field only)")

    @model_validator(mode="after")
    def _key_only_for_custom_fields(self) -> AccountMapping:
        if self.kind is MappingKind.CUSTOM_FIELD:
            if not (self.key and self.key.strip()):
                raise ValueError("a custom_field mapping needs a non-empty key (cf::KEY)")
        elif self.key is not None:
            raise ValueError(f"a {self.kind.value} mapping takes no key")
        return self

    @classmethod
    def parse(cls, text: str) -> AccountMapping:
        """Read the wire form: `crm_id`, `domain` or `cf::KEY`."""
        text = text.strip()
        if text.startswith(CUSTOM_FIELD_PREFIX):
            return cls(kind=MappingKind.CUSTOM_FIELD, key=text[len(CUSTOM_FIELD_PREFIX) :])
        try:
            return cls(kind=MappingKind(text))
        except ValueError:
            raise ValueError(f"unknown mapping {text!r}: use crm_id, domain or cf::KEY") from None

    def __str__(self) -> str:
        if self.kind is MappingKind.CUSTOM_FIELD:
            return f"{CUSTOM_FIELD_PREFIX}{self.key}"
        return self.kind.value


class CrmAccount(BaseModel):
    """The slice of a CRM account that matching and seat activation need."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    name: str = ""
    domain: str | None = None
    external_crm_id: str | int | None = None
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    seat_count: int | None = None


def normalize_domain(value: str) -> str:
    """`WWW.Acme.com ` -> `acme.com`: the comparison form for the domain mapping."""
    value = value.strip().lower()
    if value.startswith("www."):
        value = value[4:]
    return value


def _account_key(account: CrmAccount, mapping: AccountMapping) -> str | None:
    if mapping.kind is MappingKind.CRM_ID:
        return scalar_to_value(account.external_crm_id)
    if mapping.kind is MappingKind.DOMAIN:
        key = normalize_domain(account.domain) if account.domain else ""
        return key or None
    return scalar_to_value(account.custom_fields.get(mapping.key or ""))


class AccountIndex:
    """Account values -> account ids under one mapping, built once from the CRM accounts."""

    def __init__(self, accounts: Iterable[CrmAccount | Mapping[str, Any]], mapping: AccountMapping):
        self.mapping = mapping
        by_key: dict[str, list[str]] = {}
        for raw in accounts:
            account = raw if isinstance(raw, CrmAccount) else CrmAccount.model_validate(raw)
            key = _account_key(account, mapping)
            if key is not None:
                by_key.setdefault(key, []).append(account.id)
        self._unique = {key: ids[0] for key, ids in by_key.items() if len(ids) == 1}
        self.ambiguous: dict[str, tuple[str, ...]] = {
            key: tuple(sorted(ids)) for key, ids in by_key.items() if len(ids) > 1
        }

    def key_of(self, value: str) -> str:
        """The comparison form of an account value under this mapping."""
        value = value.strip()
        return normalize_domain(value) if self.mapping.kind is MappingKind.DOMAIN else value

    def resolve(self, value: str) -> str | None:
        """The id of the one account this value names, or None (no match, or ambiguous)."""
        return self._unique.get(self.key_of(value))

    def candidates(self, value: str) -> tuple[str, ...]:
        """Every account sharing this value's key (several when ambiguous): for the preview."""
        key = self.key_of(value)
        if key in self._unique:
            return (self._unique[key],)
        return self.ambiguous.get(key, ())

    def preview(self, values: Iterable[str]) -> list[ValueMatch]:
        """How each value resolves: what the setup wizard's match preview lists."""
        return [
            ValueMatch(value=v, account_id=self.resolve(v), candidates=self.candidates(v))
            for v in values
        ]

    def __len__(self) -> int:
        return len(self._unique)


class ValueMatch(BaseModel):
    """One value of the match preview: its account, or why it has none."""

    model_config = ConfigDict(frozen=True)

    value: str
    account_id: str | None
    candidates: tuple[str, ...] = Field(
        default=(), description="accounts sharing the key: one when matched, several when ambiguous"
    )

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1
