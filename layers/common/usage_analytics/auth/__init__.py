"""Who is calling: the platform's JWT (validated by the API's Lambda authorizer) and the
principal it yields, re-checked by the API handler on every route.

Token claims (documented in docs/api.md): `sub` (user id), `workspace_id`, `role`
(`owner` | `admin` | `member` | `service`), plus the standard `iss`, `aud` and `exp`.
"""

from usage_analytics.auth.config import AuthConfig, get_auth_config, load_auth_config
from usage_analytics.auth.keys import JwksKeys, SharedSecretKey, SigningKeys, keys_for
from usage_analytics.auth.principal import READERS, SERVICE_WRITERS, WRITERS, Principal, Role
from usage_analytics.auth.tokens import TokenError, bearer_token, verify_token

__all__ = [
    "READERS",
    "SERVICE_WRITERS",
    "WRITERS",
    "AuthConfig",
    "JwksKeys",
    "Principal",
    "Role",
    "SharedSecretKey",
    "SigningKeys",
    "TokenError",
    "bearer_token",
    "get_auth_config",
    "keys_for",
    "load_auth_config",
    "verify_token",
]
