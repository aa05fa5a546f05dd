"""The authorizer's decision for one request: Allow (with the principal as context), Deny
(an authentic token that grants nothing: 403), or `NotAuthenticated` (401)."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from usage_analytics import aws
from usage_analytics.auth.config import AuthConfig, get_auth_config
from usage_analytics.auth.keys import SigningKeys, keys_for
from usage_analytics.auth.policy import UNAUTHORIZED, allow, deny
from usage_analytics.auth.tokens import TokenError, bearer_token, verify_token

LOG = logging.getLogger("usage_analytics.auth")


class NotAuthenticated(Exception):
    """API Gateway answers 401 when a REQUEST authorizer raises exactly 'Unauthorized'."""

    def __init__(self) -> None:
        super().__init__(UNAUTHORIZED)


@cache
def default_keys(config: AuthConfig) -> SigningKeys:
    """One key source per warm container (the HS256 key is cached inside it)."""
    return keys_for(config, lambda: aws.client("secretsmanager"))


def reset_keys() -> None:
    default_keys.cache_clear()


def decide(
    authorization: str | None,
    method_arn: str,
    *,
    config: AuthConfig | None = None,
    keys: SigningKeys | None = None,
) -> dict[str, Any]:
    config = config or get_auth_config()
    keys = keys or default_keys(config)
    try:
        principal = verify_token(bearer_token(authorization), config, keys)
    except TokenError as refused:
        LOG.info("token refused: %s", refused.reason)
        if refused.authentic:
            return deny(refused.subject, method_arn)
        raise NotAuthenticated() from None
    return allow(principal, method_arn)
