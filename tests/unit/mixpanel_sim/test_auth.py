"""Basic auth as Mixpanel accepts it, and secrets that never show in a repr."""

from __future__ import annotations

import base64

from local.mixpanel_sim.auth import Credentials, authenticate, parse_basic
from local.mixpanel_sim.config import DEV_SECRET, SimConfig, default_service_accounts


def basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


def test_credentials_are_read_from_base64_or_plain_text() -> None:
    assert parse_basic(basic("sa.user:s3cr:et")) == Credentials("sa.user", "s3cr:et")
    assert parse_basic("Basic sa.user:plain") == Credentials("sa.user", "plain")


def test_missing_or_malformed_headers_name_nobody() -> None:
    for header in (None, "", "Bearer abc", "Basic", basic("no-colon"), basic(":secret")):
        assert parse_basic(header) is None


def test_only_the_right_secret_authenticates() -> None:
    accounts = default_service_accounts(1)
    assert authenticate(accounts, Credentials(accounts[0].username, DEV_SECRET)) == accounts[0]
    assert authenticate(accounts, Credentials(accounts[0].username, "wrong")) is None
    assert authenticate(accounts, None) is None


def test_no_repr_shows_a_secret() -> None:
    objects = [Credentials("u", DEV_SECRET), default_service_accounts(1)[0], SimConfig()]
    for obj in objects:
        assert DEV_SECRET not in repr(obj)
