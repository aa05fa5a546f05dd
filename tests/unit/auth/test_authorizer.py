"""The authorizer's answer to API Gateway: Allow for the whole API, Deny, or 401."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest

from usage_analytics.auth.authorizer import NotAuthenticated, decide
from usage_analytics.auth.config import AuthConfig
from usage_analytics.auth.keys import SharedSecretKey

KEY = "s" * 48
CONFIG = AuthConfig(issuer="iss", audience="aud", secret_arn="arn:jwt")
ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/PUT/v1/workspaces/ws-a/accounts"


def bearer(**claims: object) -> str:
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    base = {"sub": "u1", "workspace_id": "ws-a", "role": "owner", "iss": "iss", "aud": "aud",
            "exp": int(expires.timestamp())}  # fmt: skip
    return "Bearer " + jwt.encode({**base, **claims}, KEY, algorithm="HS256")


def answer(header: str | None) -> dict[str, object]:
    return decide(header, ARN, config=CONFIG, keys=SharedSecretKey(lambda: KEY))


def test_given_a_valid_token_then_the_whole_api_is_allowed_with_the_principal_as_context() -> None:
    result = answer(bearer())
    statement = result["policyDocument"]["Statement"][0]  # type: ignore[index]
    assert statement["Effect"] == "Allow"
    # the answer is cached per token for every route: it must not name only this method
    assert statement["Resource"] == "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*"
    assert result["principalId"] == "u1"
    assert result["context"] == {"user_id": "u1", "workspace_id": "ws-a", "role": "owner"}


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer not-a-token",
        bearer(exp=int((dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).timestamp())),
        "Bearer "
        + jwt.encode(
            {
                "sub": "u1",
                "workspace_id": "ws-a",
                "role": "owner",
                "iss": "iss",
                "aud": "aud",
                "exp": 4102444800,
            },
            "forged" * 8,
            algorithm="HS256",
        ),
    ],
    ids=["no token", "garbage", "expired", "forged signature"],
)
def test_when_the_token_is_not_genuine_then_api_gateway_is_told_unauthorized(
    header: str | None,
) -> None:
    with pytest.raises(NotAuthenticated, match=r"^Unauthorized$"):
        answer(header)


def test_when_a_genuine_token_has_an_unknown_role_then_access_is_denied() -> None:
    result = answer(bearer(role="billing"))
    assert result["policyDocument"]["Statement"][0]["Effect"] == "Deny"  # type: ignore[index]
    assert "context" not in result
