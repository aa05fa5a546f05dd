"""The assistant's tool catalog: name, description and a JSON Schema of the input, in the
shape model APIs take directly (`input_schema`), plus where to send the call.

The schemas are generated from the same pydantic models the routes validate with, so the
published schema and the accepted input cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from usage_analytics.metrics.assistant_models import GetAccountUsageInput, RankAccountsInput

BASE = "/v1/workspaces/{workspace_id}/assistant"


class Endpoint(BaseModel):
    method: str
    path: str


class Tool(BaseModel):
    name: str
    description: str
    input_schema: dict[str, Any]
    endpoint: Endpoint = Field(description="POST the tool input as the JSON body here")


class ToolCatalog(BaseModel):
    tools: list[Tool]


def input_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema without pydantic's titles, and with `X | None` written as
    plain X (leaving the field out is how a model says "none")."""
    return _clean(model.model_json_schema())


def _clean(node: Any) -> Any:
    if isinstance(node, list):
        return [_clean(n) for n in node]
    if not isinstance(node, dict):
        return node
    options = node.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options and len(options) == 2:
        rest = dict(node)
        kept = next(o for o in options if o != {"type": "null"})
        del rest["anyOf"]
        rest.pop("default", None)
        node = {**kept, **rest}
    return {k: _clean(v) for k, v in node.items() if k != "title"}


def catalog() -> ToolCatalog:
    usage_schema = input_schema(GetAccountUsageInput)
    usage_schema.update({"minProperties": 1, "maxProperties": 1})  # exactly one of the two
    return ToolCatalog(
        tools=[
            Tool(
                name="get_account_usage",
                description="Product usage of one customer account from Mixpanel, as of "
                "yesterday: events in the last 30 days with the week-over-week change, active "
                "users, days active, last seen, top features, the health scores, and this "
                "week's usage-decline signal with its explanation. Find the account by "
                "account_id or by name (e.g. 'Acme'); when the name matches several accounts "
                "the answer lists them (outcome 'ambiguous'): ask the user which one.",
                input_schema=usage_schema,
                endpoint=Endpoint(method="POST", path=f"{BASE}/get_account_usage"),
            ),
            Tool(
                name="rank_accounts_by_usage",
                description="Rank the workspace's accounts by product usage: the steepest "
                "decline in events this week against last week, the most active or the least "
                "active by events in the last 30 days. Returns up to `limit` accounts with "
                "their 30-day events, week-over-week change and seat activation.",
                input_schema=input_schema(RankAccountsInput),
                endpoint=Endpoint(method="POST", path=f"{BASE}/rank_accounts_by_usage"),
            ),
        ]
    )
