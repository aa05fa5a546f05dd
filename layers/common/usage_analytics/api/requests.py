"""Request bodies, field names as the SPA sends them (docs/api.md). Unknown fields are
refused everywhere (`extra="forbid"`), sizes are bounded, and the credentials body never
echoes its input in a validation error (it may carry the secret)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StringConstraints

from usage_analytics.accounts.model import MAX_ACCOUNTS_PER_REQUEST, Account
from usage_analytics.integration.model import TRACKED_FEATURE_CAP, IdentityMode, Mapping, Region

MAX_EXCLUDED_KEYS = 1000
EventName = Annotated[str, StringConstraints(min_length=1, max_length=255)]
AccountValue = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class CredentialsRequest(Strict):
    """Step 1: the Mixpanel service account. `secret` goes to Secrets Manager only."""

    username: str = Field(min_length=1, max_length=256, description="service-account username")
    secret: SecretStr = Field(min_length=1, max_length=512, description="service-account secret")
    project_id: int = Field(gt=0, le=10**12, description="Mixpanel project id")
    region: Region = Field(default=Region.US, description="data residency: US, EU or IN")
    version: int | None = Field(
        default=None, ge=0, le=2**53, description="the card version you loaded (409 when stale)"
    )


class IdentityRequest(Strict):
    """Step 2: how events name their account; starts the probe."""

    mode: IdentityMode
    key: str = Field(
        min_length=1,
        max_length=255,
        description="the group key (group mode, e.g. company_id) or user property "
        "(user_property mode, e.g. company_domain)",
    )
    version: int | None = Field(default=None, ge=0, le=2**53)


class MatchPreviewRequest(Strict):
    mapping: Mapping
    excluded_keys: list[AccountValue] = Field(default_factory=list, max_length=MAX_EXCLUDED_KEYS)


class ConfigurationRequest(Strict):
    """Step 3: mapping, tracked features (1 to 25) and excluded keys; starts the backfill."""

    mapping: Mapping
    tracked_features: list[EventName] = Field(
        # documented, and enforced by the service with its own error code (too_many_features)
        json_schema_extra={"minItems": 1, "maxItems": TRACKED_FEATURE_CAP},
        max_length=1000,
    )
    excluded_keys: list[AccountValue] = Field(default_factory=list, max_length=MAX_EXCLUDED_KEYS)
    version: int = Field(ge=0, le=2**53, description="the card version you loaded")


class AccountsRequest(Strict):
    accounts: list[Account] = Field(min_length=1, max_length=MAX_ACCOUNTS_PER_REQUEST)
