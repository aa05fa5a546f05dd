"""Service-account authentication as Mixpanel does it: HTTP Basic, base64 or plain text.

Mixpanel documents that the Basic credentials may be sent base64-encoded or as plain
`username:secret`; both are accepted here too.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass, field

from local.mixpanel_sim.config import ServiceAccount


@dataclass(frozen=True)
class Credentials:
    username: str
    secret: str = field(repr=False)


def parse_basic(header: str | None) -> Credentials | None:
    """Credentials from an Authorization header, or None when absent or malformed."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    value = value.strip()
    text = _b64(value)
    if text is None or ":" not in text:
        text = value  # plain-text form
    username, sep, secret = text.partition(":")
    if not sep or not username:
        return None
    return Credentials(username, secret)


def _b64(value: str) -> str | None:
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def authenticate(
    accounts: tuple[ServiceAccount, ...], credentials: Credentials | None
) -> ServiceAccount | None:
    """The service account these credentials name, when the secret matches."""
    if credentials is None:
        return None
    for account in accounts:
        if account.username == credentials.username and hmac.compare_digest(
            account.secret.encode(), credentials.secret.encode()
        ):
            return account
    return None
