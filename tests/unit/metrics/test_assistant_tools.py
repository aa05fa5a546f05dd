"""The assistant's tools through the api handler: by id, by name (exact, partial,
ambiguous, unknown), the rankings, and the published JSON tool schemas."""

from __future__ import annotations

import jsonschema
import pytest

from tests.unit.metrics.api import UsageApi
from tests.unit.metrics.rollups import rollup, seed_table
from tests.unit.metrics.stack import Stack
from tests.unit.metrics.test_recompute import _declining_world


@pytest.fixture
def world(stack: Stack) -> Stack:
    _declining_world(stack)
    stack.add_accounts({"id": "acme-labs", "name": "ACME Labs"}, {"id": "acme2", "name": "Acme"})
    stack.recompute()
    return stack


def test_by_account_id_the_answer_has_the_numbers_and_this_weeks_signal(
    world: Stack, api: UsageApi
) -> None:
    answer = api.tool("get_account_usage", {"account_id": "acme"})

    assert answer.status == 200, answer.body
    body = answer.body
    assert body["outcome"] == "found"
    assert body["account"] == {"account_id": "acme", "name": "Acme Corp"}
    assert body["usage"]["events_30d"] == 110
    assert body["health"]["adoption"] > 0
    assert body["signal"]["dimensions"][0]["name"] == "events_per_user"
    text = body["answer"]
    assert "Acme Corp (acme), as of 2026-11-19: 110 events in the last 30 days" in text
    assert "60 this week against 50 last week (+20% week over week)" in text
    assert "40 active users in 30 days (+200% week over week)" in text
    # the signal's explanation, with the volume and user-count deltas
    assert "Events went from 50 to 60 (+10, +20%) and active users went from 10 to 30" in text


def test_an_exact_name_wins_over_names_that_contain_it(world: Stack, api: UsageApi) -> None:
    body = api.tool("get_account_usage", {"name": "  acme  "}).body
    assert body["outcome"] == "found" and body["account"]["account_id"] == "acme2"
    assert body["answer"] == "Acme (acme2) has no usage data yet."


def test_a_partial_name_matching_one_account_finds_it(world: Stack, api: UsageApi) -> None:
    body = api.tool("get_account_usage", {"name": "glob"}).body
    assert body["outcome"] == "found" and body["account"]["account_id"] == "globex"


def test_a_name_matching_several_accounts_is_ambiguous_and_lists_them(
    world: Stack, api: UsageApi
) -> None:
    body = api.tool("get_account_usage", {"name": "acm"}).body
    assert body["outcome"] == "ambiguous" and body["usage"] is None
    assert [c["account_id"] for c in body["candidates"]] == ["acme2", "acme", "acme-labs"]
    assert body["answer"] == (
        "'acm' matches 3 accounts: Acme (acme2), Acme Corp (acme), ACME Labs (acme-labs). "
        "Ask which one, then call again with its account_id."
    )


def test_an_unknown_name_or_id_says_so(world: Stack, api: UsageApi) -> None:
    by_name = api.tool("get_account_usage", {"name": "Umbrella"}).body
    by_id = api.tool("get_account_usage", {"account_id": "nope"}).body
    assert by_name["outcome"] == by_id["outcome"] == "not_found"
    assert "No account in this workspace is named 'Umbrella'" in by_name["answer"]
    assert "no account with id 'nope'" in by_id["answer"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"account_id": "acme", "name": "Acme"},
        {"name": ""},
        {"nme": "Acme"},
        {"account_id": "../acme"},
    ],
)
def test_the_tool_needs_exactly_one_of_account_id_or_name(
    stack: Stack, api: UsageApi, body: dict[str, str]
) -> None:
    answer = api.tool("get_account_usage", body)
    assert answer.status == 422 and answer.code == "validation_error"


def test_rankings_most_least_active_and_steepest_decline(stack: Stack, api: UsageApi) -> None:
    seed_table(
        stack,
        [
            rollup("a", 500, -10.0, None, name="Alpha"),
            rollup("b", 40, -75.0, None, name="Beta"),
            rollup("c", 0, None, None, name="Gamma"),
            rollup("d", 90, 30.0, None, name="Delta"),
        ],
    )
    most = api.tool("rank_accounts_by_usage", {"ranking": "most_active", "limit": 2}).body
    least = api.tool("rank_accounts_by_usage", {"ranking": "least_active", "limit": 2}).body
    decline = api.tool("rank_accounts_by_usage", {"ranking": "steepest_decline"}).body

    assert [r["account_id"] for r in most["accounts"]] == ["a", "d"]
    assert [r["account_id"] for r in least["accounts"]] == ["c", "b"]
    assert [r["account_id"] for r in decline["accounts"]] == ["b", "a"]  # only declines
    assert decline["answer"] == (
        "Steepest declines in events this week against last week (as of 2026-11-19): "
        "1. Beta (b): 40 events in 30 days, -75% week over week; "
        "2. Alpha (a): 500 events in 30 days, -10% week over week."
    )


def test_a_ranking_with_nothing_to_rank_says_so(stack: Stack, api: UsageApi) -> None:
    body = api.tool("rank_accounts_by_usage", {"ranking": "steepest_decline"}).body
    assert body["accounts"] == [] and "No account's events declined" in body["answer"]
    bad = api.tool("rank_accounts_by_usage", {"ranking": "loudest", "limit": 99})
    assert bad.status == 422


def test_the_tool_schemas_are_published_and_accept_what_the_routes_accept(
    stack: Stack, api: UsageApi
) -> None:
    answer = api("GET", "/v1/assistant/tools")
    assert answer.status == 200
    tools = {t["name"]: t for t in answer.body["tools"]}
    assert set(tools) == {"get_account_usage", "rank_accounts_by_usage"}
    for tool in tools.values():
        assert tool["description"] and tool["input_schema"]["type"] == "object"
        jsonschema.Draft202012Validator.check_schema(tool["input_schema"])
        assert tool["endpoint"]["method"] == "POST"
    usage = jsonschema.Draft202012Validator(tools["get_account_usage"]["input_schema"])
    assert usage.is_valid({"name": "Acme"}) and usage.is_valid({"account_id": "a-1"})
    assert not usage.is_valid({}) and not usage.is_valid({"name": "A", "account_id": "a"})
    rank = jsonschema.Draft202012Validator(tools["rank_accounts_by_usage"]["input_schema"])
    assert rank.is_valid({"ranking": "steepest_decline", "limit": 3})
    assert not rank.is_valid({"ranking": "loudest"}) and not rank.is_valid({"limit": 3})
    assert tools["get_account_usage"]["endpoint"]["path"] == (
        "/v1/workspaces/{workspace_id}/assistant/get_account_usage"
    )


def test_the_tool_catalog_needs_a_signed_in_caller(stack: Stack, api: UsageApi) -> None:
    assert api("GET", "/v1/assistant/tools", caller=None).status == 401


def test_an_account_added_since_the_last_recompute_is_found_without_data(
    world: Stack, api: UsageApi
) -> None:
    world.add_accounts({"id": "hooli", "name": "Hooli XYZ"})
    for body in ({"name": "hooli"}, {"account_id": "hooli"}):
        answer = api.tool("get_account_usage", body).body
        assert answer["outcome"] == "found" and answer["usage"]["has_data"] is False
        assert answer["answer"] == "Hooli XYZ (hooli) has no usage data yet."
        assert answer["health"] is None and answer["signal"] is None
