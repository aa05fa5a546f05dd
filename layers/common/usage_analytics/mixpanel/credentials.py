"""A Mixpanel service account: the only credential the service stores (in Secrets Manager).

The secret is a `SecretStr`, so repr/str/JSON dumps show `**********`; only the HTTP
layer unwraps it, to build the Basic auth header.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from usage_analytics.mixpanel.hosts import Region


class ServiceAccount(BaseModel):
    # hide_input_in_errors: a validation error must not echo a (mistyped) secret back.
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    username: str = Field(min_length=1)
    secret: SecretStr
    project_id: int = Field(gt=0)
    region: Region = Region.US

    @field_validator("username")
    @classmethod
    def _strip_username(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("the service-account username is empty")
        return value

    @field_validator("secret")
    @classmethod
    def _secret_not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("the service-account secret is empty")
        return value

    @field_validator("region", mode="before")
    @classmethod
    def _parse_region(cls, value: object) -> Region:
        return Region.parse(value if isinstance(value, str | Region) else str(value))

    def in_region(self, region: Region) -> ServiceAccount:
        """The same account asked in another region (used by region detection)."""
        return self.model_copy(update={"region": region})
