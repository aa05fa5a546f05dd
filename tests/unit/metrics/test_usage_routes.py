"""The Usage tab, the health card, the table and the signals inbox through the real api
handler: field names as the SPA reads them, empty states, 4xx with clear messages."""

from __future__ import annotations

import pytest

from tests.unit.api.fakes import principal
from tests.unit.metrics.api import UsageApi
from tests.unit.metrics.rollups import TABLE, rollup, seed_table
from tests.unit.metrics.stack import WS, Stack
from tests.unit.metrics.test_recompute import _declining_world
from usage_analytics.auth.principal import Role

USAGE_FIELDS = {
    "account_id", "has_data", "events_30d", "events_change_pct", "active_users_30d",
    "active_users_change_pct", "days_active", "last_seen", "daily", "top_features",
}  # fmt: skip
ROUTES = [
    ("GET", "/accounts/acme/usage", None),
    ("GET", "/accounts/acme/health", None),
    ("GET", "/usage/accounts", None),
    ("GET", "/signals", None),
    ("POST", "/assistant/get_account_usage", {"name": "Acme"}),
    ("POST", "/assistant/rank_accounts_by_usage", {"ranking": "most_active"}),
]


@pytest.fixture
def world(stack: Stack) -> Stack:
    _declining_world(stack)
    stack.recompute()
    return stack


@pytest.fixture
def small(stack: Stack) -> Stack:
    """Enough for every route to answer 200: one account with a rollup."""
    stack.connect()
    stack.add_accounts({"id": "acme", "name": "Acme Corp"})
    seed_table(stack, [rollup("acme", 10, -50.0, None, name="Acme Corp")])
    return stack


def test_the_usage_tab_has_the_issues_fields_and_thirty_daily_points(
    world: Stack, api: UsageApi
) -> None:
    answer = api.get("/accounts/acme/usage")

    assert answer.status == 200, answer.body
    body = answer.body
    assert body.keys() >= USAGE_FIELDS
    assert body["has_data"] is True and body["events_30d"] == 110
    assert body["events_change_pct"] == 20.0 and body["active_users_change_pct"] == 200.0
    assert body["active_users_30d"] == 40 and body["days_active"] == 2
    assert len(body["daily"]) == 30 and set(body["daily"][0]) == {"date", "events"}
    assert body["daily"][0]["date"] == "2026-10-21" and body["daily"][-1] == {
        "date": "2026-11-19",
        "events": 60,
    }
    assert body["top_features"] == [{"name": "report_created", "events": 6}]
    assert body["last_seen"].startswith("2026-11-19T17:00:00")


def test_an_account_without_data_yet_has_an_explicit_empty_state(
    world: Stack, api: UsageApi
) -> None:
    never_seen = api.get("/accounts/initech/usage").body
    assert never_seen["has_data"] is False and never_seen["events_30d"] == 0
    assert never_seen["last_seen"] is None

    world.add_accounts({"id": "hooli", "name": "Hooli"})  # added after the last recompute
    fresh = api.get("/accounts/hooli/usage")
    assert fresh.status == 200
    assert fresh.body["has_data"] is False and fresh.body["daily"] == []


def test_an_unknown_account_is_404_with_a_clear_code(world: Stack, api: UsageApi) -> None:
    for suffix in ("/accounts/nobody/usage", "/accounts/nobody/health"):
        answer = api.get(suffix)
        assert answer.status == 404 and answer.code == "account_not_found"
        assert "nobody" in answer.message


def test_the_health_card_has_both_pillars_with_their_inputs(world: Stack, api: UsageApi) -> None:
    body = api.get("/accounts/acme/health").body
    assert set(body) >= {"adoption", "engagement"}
    assert 0 < body["adoption"]["score"] <= 100 and 0 < body["engagement"]["score"] <= 100
    assert [i["name"] for i in body["adoption"]["inputs"]] == ["feature_breadth", "user_depth"]
    assert [i["name"] for i in body["engagement"]["inputs"]] == [
        "event_volume",
        "days_active",
        "stickiness",
    ]
    assert all({"value", "weight", "points", "explanation", "facts"} <= set(i)
               for i in body["adoption"]["inputs"])  # fmt: skip
    zero = api.get("/accounts/initech/health").body
    assert (zero["adoption"]["score"], zero["engagement"]["score"]) == (0, 0)


def test_the_table_pages_with_an_opaque_cursor(stack: Stack, api: UsageApi) -> None:
    seed_table(stack)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        query = {"sort": "seat_activation", "order": "asc", "limit": "3"}
        answer = api.get("/usage/accounts", **query, **({"cursor": cursor} if cursor else {}))
        assert answer.status == 200, answer.body
        seen += [row["account_id"] for row in answer.body["accounts"]]
        cursor = answer.body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(r.account_id for r in TABLE) and len(seen) == len(TABLE)
    assert seen[:4] == ["d", "f", "b", "e"]  # 0, 25.5, 80, 150; then the three nulls
    first = api.get("/usage/accounts", limit="1").body
    assert set(first["accounts"][0]) == {
        "account_id", "name", "usage_30d", "usage_change_pct", "seat_activation"
    }  # fmt: skip
    assert (first["sort"], first["order"]) == ("usage_30d", "desc")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"sort": "name"}, "query.sort"),
        ({"order": "up"}, "query.order"),
        ({"limit": "0"}, "query.limit"),
        ({"limit": "101"}, "query.limit"),
        ({"limit": "ten"}, "query.limit"),
    ],
)
def test_a_bad_table_parameter_is_a_422_naming_it(
    stack: Stack, api: UsageApi, query: dict[str, str], field: str
) -> None:
    answer = api.get("/usage/accounts", **query)
    assert answer.status == 422 and answer.code == "validation_error"
    assert answer.message.startswith(field), answer.message


def test_a_cursor_not_issued_for_this_listing_is_a_400(stack: Stack, api: UsageApi) -> None:
    seed_table(stack)
    cursor = api.get("/usage/accounts", sort="usage_30d", limit="2").body["next_cursor"]

    other_sort = api.get("/usage/accounts", sort="seat_activation", limit="2", cursor=cursor)
    garbage = api.get("/usage/accounts", cursor="not-a-cursor")

    assert other_sort.status == 400 and other_sort.code == "invalid_cursor"
    assert "sort=usage_30d&order=desc" in other_sort.message
    assert garbage.status == 400 and garbage.code == "invalid_cursor"


def test_the_signals_inbox_lists_usage_decline_signals_with_their_numbers(
    world: Stack, api: UsageApi
) -> None:
    answer = api.get("/signals", type="usage_decline")

    assert answer.status == 200
    (signal,) = answer.body["signals"]
    assert {"account_id", "type", "week", "dimensions", "explanation"} <= set(signal)
    assert (signal["account_id"], signal["type"], signal["week"]) == (
        "acme",
        "usage_decline",
        "2026-W47",
    )
    assert signal["dimensions"] == [
        {"name": "events_per_user", "before": 5.0, "after": 2.0, "change_pct": -60.0}
    ]
    assert "from 50 to 60" in signal["explanation"]
    assert api.get("/signals", type="usage_growth").status == 422


@pytest.mark.parametrize(("method", "suffix", "body"), ROUTES)
@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.MEMBER])
def test_members_and_up_may_read(
    small: Stack, api: UsageApi, method: str, suffix: str, body: object, role: Role
) -> None:
    answer = api(method, f"/v1/workspaces/{WS}{suffix}", body, caller=principal(role, WS))
    assert answer.status == 200, answer.body


@pytest.mark.parametrize(("method", "suffix", "body"), ROUTES)
def test_anyone_else_is_refused(
    small: Stack, api: UsageApi, method: str, suffix: str, body: object
) -> None:
    path = f"/v1/workspaces/{WS}{suffix}"
    service = api(method, path, body, caller=principal(Role.SERVICE, WS))
    intruder = api(method, path, body, caller=principal(Role.OWNER, "ws-globex"))
    anonymous = api(method, path, body, caller=None)
    assert (service.status, service.code) == (403, "role_not_allowed")
    assert (intruder.status, intruder.code) == (403, "wrong_workspace")
    assert (anonymous.status, anonymous.code) == (401, "unauthorized")
