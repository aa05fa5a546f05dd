"""Account names from the CRM mirror (the accounts table: pk = workspace, sk = account id),
read with projections: the assistant resolves "Acme" against names, and the Usage tab
tells "no data yet" (a known account) from "no such account"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from usage_analytics.storage.day_items import query_all

NAMES = {"#name": "name"}


@dataclass(frozen=True)
class AccountName:
    account_id: str
    name: str


class AccountDirectory:
    def __init__(self, table: Any) -> None:
        self._table = table

    def find(self, workspace_id: str, account_id: str) -> AccountName | None:
        item = self._table.get_item(
            Key={"pk": workspace_id, "sk": account_id},
            ProjectionExpression="sk, #name",
            ExpressionAttributeNames=NAMES,
        ).get("Item")
        return None if item is None else AccountName(str(item["sk"]), str(item.get("name", "")))

    def names(self, workspace_id: str) -> list[AccountName]:
        return [
            AccountName(str(item["sk"]), str(item.get("name", "")))
            for item in query_all(
                self._table.query,
                KeyConditionExpression=Key("pk").eq(workspace_id),
                ProjectionExpression="sk, #name",
                ExpressionAttributeNames=NAMES,
            )
        ]
