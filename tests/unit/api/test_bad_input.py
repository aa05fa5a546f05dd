"""Bad input never yields a 5xx: every refusal is a 4xx in the one error shape."""

from __future__ import annotations

import json

import pytest

from tests.unit.api.conftest import Api
from tests.unit.api.fakes import WORKSPACE, principal
from usage_analytics.auth.principal import Role

BASE = f"/v1/workspaces/{WORKSPACE}/integrations/mixpanel"
OWNER = principal(Role.OWNER)


def assert_error_shape(body: object) -> None:
    assert isinstance(body, dict) and set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]


@pytest.mark.parametrize(
    ("method", "path", "raw", "status", "code"),
    [
        ("POST", f"{BASE}/credentials", "{not json", 400, "malformed_json"),
        ("POST", f"{BASE}/credentials", '{"username": 1, "secret": [], "project_id": "x"}', 422,
         "validation_error"),
        ("POST", f"{BASE}/credentials",
         '{"username": "u", "secret": "s", "project_id": 1, "region": "APAC"}', 422,
         "validation_error"),
        ("POST", f"{BASE}/credentials",
         '{"username": "u", "secret": "s", "project_id": 1, "admin": true}', 422,
         "validation_error"),
        ("PUT", f"{BASE}/identity", '{"mode": "cookie", "key": "x"}', 422, "validation_error"),
        ("PUT", f"{BASE}/identity", "[]", 422, "validation_error"),
        ("PUT", f"{BASE}/identity", "null", 422, "validation_error"),
        ("PUT", f"{BASE}/configuration",
         '{"mapping": {"field": "custom_field"}, "tracked_features": ["a"], "version": 1}', 422,
         "validation_error"),
        ("PUT", f"{BASE}/configuration",
         '{"mapping": {"field": "crm_id"}, "tracked_features": ["a"], "version": -1}', 422,
         "validation_error"),
        ("PUT", f"/v1/workspaces/{WORKSPACE}/accounts",
         '{"accounts": [{"id": "bad id with spaces"}]}', 422, "validation_error"),
        ("PUT", f"/v1/workspaces/{WORKSPACE}/accounts",
         '{"accounts": [{"id": "a", "custom_fields": {"x": NaN}}]}', 422, "validation_error"),
        ("PUT", f"/v1/workspaces/{WORKSPACE}/accounts",
         '{"accounts": [{"id": "a", "seat_count": 1e400}]}', 422, "validation_error"),
        ("GET", f"{BASE}/sync-history?limit=abc", None, 422, "validation_error"),
        ("GET", f"{BASE}/teleport", None, 404, "route_not_found"),
        ("PATCH", BASE, "{}", 404, "route_not_found"),
    ],
)  # fmt: skip
def test_malformed_or_invalid_requests_are_refused_with_a_4xx(
    api: Api, method: str, path: str, raw: str | None, status: int, code: str
) -> None:
    path, _, query = path.partition("?")
    params = dict(p.split("=") for p in query.split("&")) if query else None
    answer = api(method, path, raw_body=raw, caller=OWNER, query=params)
    assert (answer.status, answer.code) == (status, code), answer.body
    assert_error_shape(answer.body)


def test_an_invalid_workspace_id_in_the_path_is_a_4xx() -> None:
    from tests.unit.api.fakes import World
    from usage_analytics.api.routing import substituted_services

    world = World()
    weird = "ws..%00"
    with substituted_services(world.services):
        answer = Api(world)("GET", f"/v1/workspaces/{weird}/integrations/mixpanel",
                            caller=principal(Role.OWNER, workspace_id="ws-ok"))  # fmt: skip
    assert 400 <= answer.status < 500


def test_an_oversize_body_is_refused_before_it_is_parsed(api: Api) -> None:
    huge = json.dumps({"accounts": [{"id": f"a{i}", "name": "x" * 500} for i in range(2500)]})
    answer = api("PUT", f"/v1/workspaces/{WORKSPACE}/accounts", raw_body=huge, caller=OWNER)
    assert (answer.status, answer.code) == (413, "payload_too_large")


def test_more_than_1000_accounts_per_request_are_refused(api: Api) -> None:
    body = {"accounts": [{"id": f"a{i}"} for i in range(1001)]}
    answer = api("PUT", f"/v1/workspaces/{WORKSPACE}/accounts", body, caller=OWNER)
    assert answer.status == 422


def test_a_body_that_is_not_json_is_refused_with_415(api: Api) -> None:
    answer = api("PUT", f"{BASE}/identity", raw_body="mode=group&key=x", caller=OWNER,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert (answer.status, answer.code) == (415, "unsupported_media_type")


def test_a_json_body_without_content_type_is_read_as_json(api: Api) -> None:
    raw = '{"accounts": [{"id": "a"}]}'
    path = f"/v1/workspaces/{WORKSPACE}/accounts"
    answer = api("PUT", path, raw_body=raw, caller=OWNER, headers={"Content-Type": ""})
    assert answer.status == 200


def test_validation_errors_never_echo_the_submitted_secret(api: Api) -> None:
    secret = "hunter2-very-secret"
    raw = json.dumps({"username": "u", "secret": secret, "project_id": "not a number", "x": secret})
    answer = api("POST", f"{BASE}/credentials", raw_body=raw, caller=OWNER)
    assert answer.status == 422 and secret not in json.dumps(answer.body)


def test_an_unexpected_failure_is_a_500_in_the_error_shape_without_internals(api: Api) -> None:
    def explode(workspace_id: str) -> None:
        raise RuntimeError("database password is hunter2")

    api.world.integrations.get = explode  # type: ignore[method-assign]
    answer = api("GET", BASE, caller=OWNER)
    assert (answer.status, answer.code) == (500, "internal_error")
    assert "hunter2" not in json.dumps(answer.body)


@pytest.mark.parametrize(
    "raw",
    [
        '{"accounts": [{"id": "a", "name": "\\ud83d"}]}',
        '{"accounts": [{"id": "a", "custom_fields": {"\\udc00": 1}}]}',
    ],
    ids=["lone surrogate in a value", "lone surrogate in a key"],
)
def test_json_strings_that_are_not_text_are_refused_before_anything_is_stored(
    api: Api, raw: str
) -> None:
    answer = api("PUT", f"/v1/workspaces/{WORKSPACE}/accounts", raw_body=raw, caller=OWNER)
    assert (answer.status, answer.code) == (400, "malformed_json")
    assert api.world.accounts.list(WORKSPACE) == []


def test_a_body_that_is_not_utf8_is_refused(api: Api) -> None:
    import base64

    from functions.api import handler as api_handler
    from tests.unit.api.fakes import api_event

    event = api_event("PUT", f"/v1/workspaces/{WORKSPACE}/accounts", caller=OWNER)
    event.update(body=base64.b64encode(b"\xff\xfe{").decode(), isBase64Encoded=True)
    assert api_handler.handler(event, None)["statusCode"] == 400


@pytest.mark.parametrize("number", ["1e300", "-1.8e216", "1e-302"])
def test_numbers_dynamodb_cannot_store_are_refused_with_a_422(api: Api, number: str) -> None:
    raw = '{"accounts": [{"id": "a", "custom_fields": {"x": NUMBER}}]}'.replace("NUMBER", number)
    answer = api("PUT", f"/v1/workspaces/{WORKSPACE}/accounts", raw_body=raw, caller=OWNER)
    assert answer.status == 422
