"""The local API Gateway's request pipeline (no sockets) and the CLI's token command."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest

from local.api_server import LocalApiGateway
from local.cli import COMMANDS, main
from local.dev_tokens import DEFAULT_DEV_JWT_SECRET, issuer_and_audience


def allow(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "principalId": "u1",
        "policyDocument": {"Version": "2012-10-17", "Statement": [{
            "Action": "execute-api:Invoke", "Effect": "Allow",
            "Resource": "arn:aws:execute-api:us-east-1:123456789012:localapi/prod/*/*"}]},
        "context": {"user_id": "u1", "workspace_id": "ws-a", "role": "admin"},
    }  # fmt: skip


def deny(event: dict[str, Any], context: Any) -> dict[str, Any]:
    answer = allow(event, context)
    answer["policyDocument"]["Statement"][0]["Effect"] = "Deny"
    return answer


def unauthorized(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise Exception("Unauthorized")


class Echo:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        return {"statusCode": 201, "multiValueHeaders": {"Content-Type": ["application/json"]},
                "body": json.dumps({"ok": True}), "isBase64Encoded": False}  # fmt: skip


def test_given_an_allowed_token_then_the_handler_gets_a_proxy_event_with_the_principal() -> None:
    api = Echo()
    status, headers, body = LocalApiGateway(api, allow).handle(
        "PUT", "/v1/workspaces/ws-a/accounts?x=1&x=2", {"Authorization": "Bearer t"}, b'{"a": 1}'
    )
    assert (status, json.loads(body), headers["Content-Type"]) == (
        201,
        {"ok": True},
        "application/json",
    )
    event = api.events[0]
    assert event["requestContext"]["authorizer"] == {
        "user_id": "u1", "workspace_id": "ws-a", "role": "admin", "principalId": "u1"}  # fmt: skip
    assert event["path"] == "/v1/workspaces/ws-a/accounts" and event["body"] == '{"a": 1}'
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["pathParameters"] == {"proxy": "workspaces/ws-a/accounts"}


@pytest.mark.parametrize(
    ("authorizer", "headers", "status"),
    [(allow, {}, 401), (unauthorized, {"Authorization": "Bearer t"}, 401),
     (deny, {"Authorization": "Bearer t"}, 403)],
    ids=["no header", "authorizer says Unauthorized", "policy denies"],
)  # fmt: skip
def test_refusals_at_the_gateway_never_reach_the_handler(
    authorizer: Any, headers: dict[str, str], status: int
) -> None:
    api = Echo()
    answer_status, _, body = LocalApiGateway(api, authorizer).handle("GET", "/v1/x", headers, b"")
    assert answer_status == status and api.events == []
    assert set(json.loads(body)["error"]) == {"code", "message", "details"}


def test_cors_preflight_is_answered_at_the_edge() -> None:
    status, headers, _ = LocalApiGateway(Echo(), unauthorized).handle("OPTIONS", "/v1/x", {}, b"")
    assert status == 204 and "Authorization" in headers["Access-Control-Allow-Headers"]


def test_the_token_command_prints_a_valid_dev_token_as_its_last_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["token", "--workspace", "ws-9", "--role", "member"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    issuer, audience = issuer_and_audience()
    claims = jwt.decode(
        token, DEFAULT_DEV_JWT_SECRET, algorithms=["HS256"], audience=audience, issuer=issuer
    )
    assert (claims["workspace_id"], claims["role"], claims["sub"]) == ("ws-9", "member", "dev-user")


def test_the_cli_offers_dev_token_and_sim() -> None:
    main(["token", "--workspace", "w", "--role", "owner"])
    assert {"dev", "token", "sim"} <= set(COMMANDS)
