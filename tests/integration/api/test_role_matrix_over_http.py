"""The full role matrix through the local API Gateway: the real authorizer and the real
handler, for every route: owner, admin, member, a token of another workspace, no token,
an expired token and a forged signature."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from tests.integration.api.conftest import bearer
from tests.unit.api.routes import ROUTES, RouteCase
from usage_analytics.auth.principal import Role

pytestmark = pytest.mark.integration

CALLERS = ("owner", "admin", "member", "other workspace", "no token", "expired", "forged")


def headers_for(caller: str, workspace_id: str) -> dict[str, str]:
    if caller == "no token":
        return {}
    if caller == "other workspace":
        return bearer("ws-somebody-else", "owner")
    if caller == "expired":
        return bearer(workspace_id, "owner", ttl=dt.timedelta(hours=-1))
    if caller == "forged":
        return bearer(workspace_id, "owner", secret="an-attacker-key-" * 3)
    return bearer(workspace_id, caller)


def expected(route: RouteCase, caller: str) -> set[int] | str:
    if caller in ("no token", "expired", "forged"):
        return {401}
    if caller == "other workspace":
        return {403}
    return "allowed" if Role(caller) in route.allowed else {403}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_every_caller_gets_what_its_token_allows(
    client: httpx.Client, workspace_id: str, route: RouteCase
) -> None:
    for caller in CALLERS:
        response = client.request(
            route.method, route.path(workspace_id), json=route.body,
            headers=headers_for(caller, workspace_id),
        )  # fmt: skip
        outcome = expected(route, caller)
        if outcome == "allowed":
            assert response.status_code not in (401, 403), (caller, response.text)
            assert response.status_code < 500, (caller, response.text)
        else:
            assert response.status_code in outcome, (caller, response.status_code, response.text)
            assert set(response.json()["error"]) == {"code", "message", "details"}
