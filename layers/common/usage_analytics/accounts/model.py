"""A CRM account as the platform sends it (PUT /accounts) and as matching reads it.

Strict on the way in (unknown fields refused, bounded sizes) so that a bad CRM payload is
a 422 with the field named, not a DynamoDB error later.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, FiniteFloat, StringConstraints

from usage_analytics.ingest.matching import CrmAccount

ACCOUNT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$"
MAX_ACCOUNTS_PER_REQUEST = 1000
MAX_CUSTOM_FIELDS = 100


def _storable(value: float) -> float:
    """DynamoDB numbers span 1E-130..9.99E+125 in magnitude (and 0): refuse others here,
    with a 422, instead of failing the write."""
    if value != 0 and not 1e-125 <= abs(value) <= 1e125:
        raise ValueError("number out of range: use a magnitude between 1e-125 and 1e125, or 0")
    return value


# DynamoDB numbers hold 38 digits and no NaN/Infinity: bound them here, not at write time.
BoundedInt = Annotated[int, Field(ge=-(10**18), le=10**18)]
StorableFloat = Annotated[FiniteFloat, AfterValidator(_storable)]
CustomFieldKey = Annotated[str, StringConstraints(min_length=1, max_length=128)]
CustomFieldValue = (
    Annotated[str, StringConstraints(max_length=1024)] | bool | BoundedInt | StorableFloat | None
)


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ACCOUNT_ID_PATTERN, description="the platform's account id")
    name: str = Field(default="", max_length=512)
    domain: str | None = Field(default=None, max_length=255)
    external_crm_id: Annotated[str, StringConstraints(max_length=256)] | BoundedInt | None = Field(
        default=None, description="the id in the customer's CRM (e.g. a Salesforce id)"
    )
    custom_fields: dict[CustomFieldKey, CustomFieldValue] = Field(
        default_factory=dict, max_length=MAX_CUSTOM_FIELDS
    )
    seat_count: int | None = Field(default=None, ge=0, le=10_000_000)

    def for_matching(self) -> CrmAccount:
        return CrmAccount.model_validate(self.model_dump())
