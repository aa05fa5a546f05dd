"""How tokens are checked: algorithm, issuer, audience and where the key comes from.

Read from the authorizer function's environment (set by CDK): `JWT_ALGORITHM` (HS256 |
RS256), `JWT_ISSUER`, `JWT_AUDIENCE`, `JWKS_URL` (RS256) and `JWT_SECRET_ARN` (HS256: the
Secrets Manager secret holding the shared key).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class AuthConfigError(ValueError):
    """The authorizer is misconfigured; the message names the variable."""


class AuthConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    algorithm: Literal["HS256", "RS256"] = "HS256"
    issuer: str = Field(min_length=1)
    audience: str = Field(min_length=1)
    jwks_url: str | None = None
    secret_arn: str | None = None
    leeway_seconds: int = Field(default=30, ge=0, le=300)

    @model_validator(mode="after")
    def _key_source(self) -> AuthConfig:
        if self.algorithm == "RS256" and not self.jwks_url:
            raise ValueError("RS256 needs JWKS_URL")
        if self.algorithm == "HS256" and not self.secret_arn:
            raise ValueError("HS256 needs JWT_SECRET_ARN")
        return self


_ENV = {
    "JWT_ALGORITHM": "algorithm",
    "JWT_ISSUER": "issuer",
    "JWT_AUDIENCE": "audience",
    "JWKS_URL": "jwks_url",
    "JWT_SECRET_ARN": "secret_arn",
    "JWT_LEEWAY_SECONDS": "leeway_seconds",
}


def load_auth_config(environ: Mapping[str, str]) -> AuthConfig:
    values = {field: environ[var] for var, field in _ENV.items() if environ.get(var)}
    if "algorithm" in values:
        values["algorithm"] = values["algorithm"].upper()
    try:
        return AuthConfig.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors()
        )
        raise AuthConfigError(f"invalid authorizer settings: {problems}") from None


@lru_cache(maxsize=1)
def get_auth_config() -> AuthConfig:
    return load_auth_config(os.environ)


def reset_auth_config() -> None:
    get_auth_config.cache_clear()
