"""Refusing a mapping that cannot match anything: a custom field no account carries."""

from __future__ import annotations

from collections.abc import Sequence

from usage_analytics.accounts.model import Account
from usage_analytics.api.errors import Unprocessable
from usage_analytics.integration.model import Mapping, MappingField

LISTED_FIELDS = 20


def check_mapping(mapping: Mapping, accounts: Sequence[Account]) -> None:
    if mapping.field is not MappingField.CUSTOM_FIELD:
        return
    key = mapping.custom_field_key or ""
    known = sorted({name for account in accounts for name in account.custom_fields})
    if key in known:
        return
    listed = ", ".join(known[:LISTED_FIELDS]) or "none"
    raise Unprocessable(
        f"No CRM account of this workspace has the custom field {key!r}, so the mapping "
        f"cf::{key} would match nothing. Custom fields present: {listed}.",
        code="unknown_custom_field",
        details={"custom_field_key": key, "known_custom_fields": known[:LISTED_FIELDS]},
    )
