"""Checking the platform's bearer token: signature, issuer, audience, expiry, claims.

Every refusal is a `TokenError` with a short reason (`missing`, `malformed`, `expired`,
`bad_signature`, `wrong_issuer`, `wrong_audience`, `bad_claims`) that is safe to log: it
never quotes the token.
"""

from __future__ import annotations

from typing import Any

import jwt
from pydantic import ValidationError

from usage_analytics.auth.config import AuthConfig
from usage_analytics.auth.keys import SigningKeys
from usage_analytics.auth.principal import Principal

REQUIRED_CLAIMS = ("exp", "iss", "aud", "sub", "workspace_id", "role")
MAX_TOKEN_LENGTH = 8192


class TokenError(Exception):
    def __init__(self, reason: str, message: str, *, subject: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.subject = subject  # the token's `sub` when the signature verified

    @property
    def authentic(self) -> bool:
        """The token is genuine but grants nothing (its claims are unusable): 403, not 401."""
        return self.reason == "bad_claims"


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header."""
    if not authorization or not authorization.strip():
        raise TokenError("missing", "no Authorization header")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise TokenError("malformed", "the Authorization header is not 'Bearer <token>'")
    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenError("malformed", "the token is too long")
    return token


def verify_token(token: str, config: AuthConfig, keys: SigningKeys) -> Principal:
    """The principal the token names, or `TokenError`."""
    try:
        claims = _decode(token, config, keys, refresh=False)
    except jwt.InvalidSignatureError:
        try:  # the key may have been rotated since we cached it
            claims = _decode(token, config, keys, refresh=True)
        except jwt.PyJWTError as exc:
            raise _refusal(exc) from None
    except jwt.PyJWTError as exc:
        raise _refusal(exc) from None
    try:
        return Principal.model_validate(
            {
                "user_id": claims["sub"],
                "workspace_id": claims["workspace_id"],
                "role": claims["role"],
            }
        )
    except (ValidationError, TypeError):
        raise TokenError(
            "bad_claims",
            "the token's sub, workspace_id or role is invalid",
            subject=str(claims.get("sub") or "")[:256],
        ) from None


def _decode(token: str, config: AuthConfig, keys: SigningKeys, *, refresh: bool) -> dict[str, Any]:
    key = keys.key_for(token, refresh=refresh)
    return jwt.decode(
        token,
        key,
        algorithms=[config.algorithm],
        issuer=config.issuer,
        audience=config.audience,
        leeway=config.leeway_seconds,
        options={"require": list(REQUIRED_CLAIMS)},
    )


def _refusal(exc: jwt.PyJWTError) -> TokenError:
    if isinstance(exc, jwt.ExpiredSignatureError):
        return TokenError("expired", "the token has expired")
    if isinstance(exc, jwt.InvalidSignatureError):
        return TokenError("bad_signature", "the token's signature does not verify")
    if isinstance(exc, jwt.InvalidIssuerError):
        return TokenError("wrong_issuer", "the token was issued by someone else")
    if isinstance(exc, jwt.InvalidAudienceError):
        return TokenError("wrong_audience", "the token is meant for another audience")
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return TokenError("bad_claims", f"the token lacks the {exc.claim!r} claim")
    if isinstance(exc, jwt.ImmatureSignatureError):
        return TokenError("bad_claims", "the token is not valid yet")
    return TokenError("malformed", "the token cannot be read")
