"""Who may call what: every route against owner, admin, member, the CRM sync, a token of
another workspace and no token. The handler enforces this itself (the authorizer only
proves the token genuine); expired and forged tokens are refused by the authorizer (see
tests/unit/auth and the HTTP matrix in tests/integration/api)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from functions.api import handler as api_handler
from tests.unit.api.conftest import Api
from tests.unit.api.fakes import OTHER_WORKSPACE, WORKSPACE, principal
from tests.unit.api.routes import ROUTES, RouteCase
from usage_analytics.api.routing import roles_for
from usage_analytics.auth.principal import Role

SPEC = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_reaches_exactly_the_routes_it_is_allowed(
    api: Api, route: RouteCase, role: Role
) -> None:
    answer = api(route.method, route.path(WORKSPACE), route.body, caller=principal(role))
    if role in route.allowed:
        assert answer.status not in (401, 403), answer.body
    else:
        assert answer.status == 403
        assert answer.code == "role_not_allowed"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_a_token_for_another_workspace_is_refused_on_every_route(
    api: Api, route: RouteCase
) -> None:
    intruder = principal(Role.OWNER, workspace_id=OTHER_WORKSPACE)
    answer = api(route.method, route.path(WORKSPACE), route.body, caller=intruder)
    assert answer.status == 403 and answer.code == "wrong_workspace"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_without_a_principal_every_route_is_unauthorized(api: Api, route: RouteCase) -> None:
    answer = api(route.method, route.path(WORKSPACE), route.body, caller=None)
    assert answer.status == 401 and answer.code == "unauthorized"


def test_a_stranger_gets_no_schema_feedback_before_the_tenant_check(api: Api) -> None:
    intruder = principal(Role.OWNER, workspace_id=OTHER_WORKSPACE)
    answer = api("PUT", f"/v1/workspaces/{WORKSPACE}/accounts", {"bogus": 1}, caller=intruder)
    assert answer.status == 403


def test_a_token_for_workspace_a_never_changes_workspace_b(api: Api) -> None:
    owner_a = principal(Role.OWNER, workspace_id=WORKSPACE)
    body = {"accounts": [{"id": "acct_x", "name": "X"}]}
    api("PUT", f"/v1/workspaces/{OTHER_WORKSPACE}/accounts", body, caller=owner_a)
    assert api.world.accounts.list(OTHER_WORKSPACE) == []


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_a_role_that_may_not_call_a_route_learns_nothing_of_its_schema(
    api: Api, route: RouteCase
) -> None:
    """The role is checked before the body is parsed: 403, not a 422 describing the body."""
    for role in set(Role) - route.allowed:
        answer = api(route.method, route.path(WORKSPACE), {"bogus": [1]}, caller=principal(role))
        assert answer.status == 403 and answer.code == "role_not_allowed", (role, answer.body)


def test_every_workspace_route_declares_who_may_call_it() -> None:
    """A route registered without `routing.route` would have no role check at all."""
    api_handler.app()  # the routes register their roles as the app is built
    paths = json.loads(SPEC.read_text())["paths"]
    workspace_routes = [
        (method.upper(), path.replace("{workspace_id}", WORKSPACE).replace("{account_id}", "a1"))
        for path, operations in paths.items()
        if path.startswith("/v1/workspaces/")
        for method in operations
    ]
    assert len(workspace_routes) >= len(ROUTES)
    undeclared = [r for r in workspace_routes if roles_for(*r) is None]
    assert undeclared == []
