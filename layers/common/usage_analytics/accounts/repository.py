"""Accounts table: pk = workspace_id, sk = account id; one item per account.

DynamoDB returns every number as a `Decimal`; items are turned back into plain ints and
floats here, so a numeric custom field (`{"mixpanel_id": 42}`) still matches the group
value "42" (matching ignores Decimals).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key

from usage_analytics.accounts.model import Account


class AccountRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def upsert(self, workspace_id: str, accounts: Iterable[Account]) -> int:
        """Create or replace each account; the last of duplicate ids wins. Returns the count."""
        latest = {account.id: account for account in accounts}
        with self._table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
            for account in latest.values():
                batch.put_item(Item=_to_item(workspace_id, account))
        return len(latest)

    def list(self, workspace_id: str) -> list[Account]:
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(workspace_id)}
        accounts: list[Account] = []
        while True:
            page = self._table.query(**kwargs)
            accounts.extend(_from_item(item) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                return accounts
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class InMemoryAccounts:
    """The same contract in a dict, for unit tests."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Account]] = {}

    def upsert(self, workspace_id: str, accounts: Iterable[Account]) -> int:
        latest = {account.id: account for account in accounts}
        self.items.setdefault(workspace_id, {}).update(latest)
        return len(latest)

    def list(self, workspace_id: str) -> list[Account]:
        return list(self.items.get(workspace_id, {}).values())


def _to_item(workspace_id: str, account: Account) -> dict[str, Any]:
    data = account.model_dump(exclude_none=True)
    return {"pk": workspace_id, "sk": account.id, **_to_dynamo(data)}


def _from_item(item: dict[str, Any]) -> Account:
    data = {k: _from_dynamo(v) for k, v in item.items() if k not in ("pk", "sk")}
    return Account.model_validate(data)


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items()}
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    return value
