"""The platform's JWT: what the authorizer accepts and refuses, and why."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from usage_analytics.auth.config import AuthConfig, AuthConfigError, load_auth_config
from usage_analytics.auth.keys import JwksKeys, SharedSecretKey
from usage_analytics.auth.principal import Principal, Role
from usage_analytics.auth.tokens import TokenError, bearer_token, verify_token

KEY = "k" * 48
ISSUER = "https://platform.example.com"
AUDIENCE = "usage-analytics"
CONFIG = AuthConfig(algorithm="HS256", issuer=ISSUER, audience=AUDIENCE, secret_arn="arn:jwt")
NOW = dt.datetime.now(dt.UTC)


def token(key: str = KEY, algorithm: str = "HS256", **overrides: object) -> str:
    claims: dict[str, object] = {
        "sub": "user-7",
        "workspace_id": "ws-acme",
        "role": "admin",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": int((dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).timestamp()),
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=algorithm)


def refusal(raw: str, keys: object = None) -> TokenError:
    with pytest.raises(TokenError) as caught:
        verify_token(raw, CONFIG, keys or SharedSecretKey(lambda: KEY))  # type: ignore[arg-type]
    return caught.value


def test_given_a_token_signed_with_the_shared_key_then_its_principal_is_returned() -> None:
    principal = verify_token(token(), CONFIG, SharedSecretKey(lambda: KEY))
    assert principal == Principal(user_id="user-7", workspace_id="ws-acme", role=Role.ADMIN)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (token(exp=int((NOW - dt.timedelta(hours=1)).timestamp())), "expired"),
        (token(key="forged-key-" * 4), "bad_signature"),
        (token(iss="https://evil.example.com"), "wrong_issuer"),
        (token(aud="another-service"), "wrong_audience"),
        (token(exp=None), "bad_claims"),
        (token(workspace_id=None), "bad_claims"),
        (token(role="superuser"), "bad_claims"),
        (token(workspace_id="../../etc"), "bad_claims"),
        ("not.a.jwt", "malformed"),
    ],
)
def test_when_a_token_is_not_acceptable_then_the_reason_is_named(raw: str, reason: str) -> None:
    assert refusal(raw).reason == reason


def test_a_token_signed_with_another_algorithm_than_configured_is_refused() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert refusal(token(key=private, algorithm="RS256")).reason in {"malformed", "bad_signature"}  # type: ignore[arg-type]


def test_an_authentic_token_with_unusable_claims_is_marked_authentic_for_a_403() -> None:
    refused = refusal(token(role="superuser"))
    assert refused.authentic and refused.subject == "user-7"
    assert not refusal(token(key="forged-key-" * 4)).authentic


def test_no_refusal_message_quotes_the_token() -> None:
    raw = token(key="forged-key-" * 4)
    assert raw not in str(refusal(raw)) and raw.split(".")[1] not in repr(refusal(raw))


@pytest.mark.parametrize(
    ("header", "reason"),
    [(None, "missing"), ("", "missing"), ("Basic abc", "malformed"), ("Bearer", "malformed")],
)
def test_the_authorization_header_must_be_a_bearer_token(header: str | None, reason: str) -> None:
    with pytest.raises(TokenError) as caught:
        bearer_token(header)
    assert caught.value.reason == reason


def test_bearer_scheme_is_case_insensitive() -> None:
    assert bearer_token("bearer abc.def.ghi") == "abc.def.ghi"


def test_given_the_key_was_rotated_when_a_new_token_arrives_then_the_key_is_refetched() -> None:
    current = {"key": "old-key-" * 6}
    fetches: list[str] = []
    clock = {"t": 0.0}

    def fetch() -> str:
        fetches.append(current["key"])
        return current["key"]

    keys = SharedSecretKey(fetch, monotonic=lambda: clock["t"])
    assert verify_token(token(key=current["key"]), CONFIG, keys).user_id == "user-7"
    current["key"] = "new-key-" * 6
    clock["t"] = 31.0  # past the forced-refresh floor, well before the 5-minute refresh
    assert verify_token(token(key=current["key"]), CONFIG, keys).user_id == "user-7"
    assert len(fetches) == 2


def test_a_forged_token_cannot_force_a_key_fetch_per_request() -> None:
    fetches: list[int] = []
    keys = SharedSecretKey(lambda: fetches.append(1) or KEY, monotonic=lambda: 5.0)  # type: ignore[func-returns-value]
    for _ in range(3):
        refusal(token(key="forged-key-" * 4), keys)
    assert len(fetches) == 1


def test_rs256_tokens_are_checked_against_the_jwks_key_named_by_kid() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)

    class StaticJwks:
        def get_signing_key_from_jwt(self, raw: str) -> jwt.PyJWK:
            kid = jwt.get_unverified_header(raw).get("kid")
            if kid != "k1":
                raise jwt.exceptions.PyJWKClientError("no key")
            return jwt.PyJWK({**public_jwk, "kid": "k1", "alg": "RS256"})

    config = AuthConfig(algorithm="RS256", issuer=ISSUER, audience=AUDIENCE, jwks_url="https://x")
    keys = JwksKeys("https://x", client=StaticJwks())  # type: ignore[arg-type]
    claims = {
        "sub": "u",
        "workspace_id": "ws-acme",
        "role": "member",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": int((dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).timestamp()),
    }
    good = jwt.encode(claims, private, algorithm="RS256", headers={"kid": "k1"})
    assert verify_token(good, config, keys).role is Role.MEMBER
    unknown = jwt.encode(claims, private, algorithm="RS256", headers={"kid": "k2"})
    with pytest.raises(TokenError) as caught:
        verify_token(unknown, config, keys)
    assert caught.value.reason == "bad_signature"


def test_settings_name_what_is_missing() -> None:
    with pytest.raises(AuthConfigError, match="JWT_SECRET_ARN"):
        load_auth_config({"JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE})
    with pytest.raises(AuthConfigError, match="JWKS_URL"):
        load_auth_config({"JWT_ALGORITHM": "rs256", "JWT_ISSUER": ISSUER, "JWT_AUDIENCE": "a"})
    assert (
        load_auth_config(
            {"JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE, "JWT_SECRET_ARN": "arn"}
        ).algorithm
        == "HS256"
    )
