"""Where the key that checks a token's signature comes from.

- HS256: a key shared with the platform, kept in Secrets Manager. Fetched once and cached
  for a few minutes, so a rotation reaches warm authorizers without a redeploy; a token
  that fails the signature check forces one early refresh (rate-limited), so the first
  token signed with a rotated key is not refused.
- RS256: the platform's JWKS endpoint, keys cached by `kid` (pyjwt's `PyJWKClient`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import jwt

from usage_analytics.auth.config import AuthConfig

REFRESH_SECONDS = 300.0
MIN_FORCED_REFRESH_SECONDS = 30.0


class KeyUnavailable(Exception):
    """The signing key could not be fetched: a server-side failure, not a bad token."""


class SigningKeys(Protocol):
    def key_for(self, token: str, *, refresh: bool = False) -> Any: ...


class SharedSecretKey:
    """HS256: `fetch()` returns the shared key (e.g. from Secrets Manager)."""

    def __init__(
        self,
        fetch: Callable[[], str],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self._fetch = fetch
        self._monotonic = monotonic
        self._refresh_seconds = refresh_seconds
        self._key: str | None = None
        self._fetched_at = float("-inf")

    def __repr__(self) -> str:
        return "SharedSecretKey(<hidden>)"

    def key_for(self, token: str, *, refresh: bool = False) -> str:
        age = self._monotonic() - self._fetched_at
        stale = self._key is None or age >= self._refresh_seconds
        if stale or (refresh and age >= MIN_FORCED_REFRESH_SECONDS):
            try:
                self._key = self._fetch()
            except Exception as exc:
                raise KeyUnavailable(
                    f"could not read the JWT signing key: {type(exc).__name__}"
                ) from None
            self._fetched_at = self._monotonic()
        assert self._key is not None
        return self._key


class JwksKeys:
    """RS256: the public key named by the token's `kid`, from the platform's JWKS."""

    def __init__(self, url: str, *, client: jwt.PyJWKClient | None = None) -> None:
        self._client = client or jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)

    def key_for(self, token: str, *, refresh: bool = False) -> Any:
        try:
            return self._client.get_signing_key_from_jwt(token).key
        except jwt.exceptions.PyJWKClientConnectionError as exc:
            raise KeyUnavailable(f"could not fetch the JWKS: {type(exc).__name__}") from None
        except jwt.exceptions.PyJWKClientError:
            # no matching kid: the token was not signed by the platform's current keys
            raise jwt.InvalidSignatureError("no JWKS key matches the token") from None


def secrets_manager_fetch(client: Any, secret_arn: str) -> Callable[[], str]:
    def fetch() -> str:
        return str(client.get_secret_value(SecretId=secret_arn)["SecretString"])

    return fetch


def keys_for(config: AuthConfig, secrets_client: Callable[[], Any]) -> SigningKeys:
    """The key source the config asks for; `secrets_client` is called only for HS256."""
    if config.algorithm == "RS256":
        assert config.jwks_url is not None
        return JwksKeys(config.jwks_url)
    assert config.secret_arn is not None
    return SharedSecretKey(secrets_manager_fetch(secrets_client(), config.secret_arn))
