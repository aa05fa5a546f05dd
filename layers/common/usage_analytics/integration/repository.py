"""Integrations table: one item per workspace (pk=workspace_id, sk="mixpanel").

Every write goes through `save`, conditioned on the version the caller read, so two
writers never silently overwrite each other (the API turns a conflict into 409).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from usage_analytics.integration.model import Integration, Status

SK = "mixpanel"


class VersionConflict(Exception):
    """The item changed since it was read."""


class IntegrationStore(Protocol):
    def get(self, workspace_id: str) -> Integration | None: ...
    def save(self, integration: Integration, *, expected_version: int | None) -> Integration: ...


def update_integration(
    store: IntegrationStore,
    workspace_id: str,
    change: Callable[[Integration], dict[str, Any]],
    *,
    now: dt.datetime,
    attempts: int = 5,
) -> Integration | None:
    """Read, change, save with the version read; on a concurrent write, read again and
    re-apply `change` (so it must be computed from the integration it is given). None when
    the workspace has no integration."""
    for _ in range(attempts):
        current = store.get(workspace_id)
        if current is None:
            return None
        changed = current.model_copy(update={**change(current), "updated_at": now})
        try:
            return store.save(changed, expected_version=current.version)
        except VersionConflict:
            continue
    raise VersionConflict(workspace_id)


class IntegrationRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, workspace_id: str) -> Integration | None:
        item = self._table.get_item(Key={"pk": workspace_id, "sk": SK}, ConsistentRead=True).get(
            "Item"
        )
        return _from_item(item) if item else None

    def save(self, integration: Integration, *, expected_version: int | None) -> Integration:
        """Write `integration` with version+1. `expected_version=None` means "must not exist"."""
        new = integration.model_copy(update={"version": (expected_version or 0) + 1})
        condition = (
            Attr("pk").not_exists()
            if expected_version is None
            else Attr("version").eq(expected_version)
        )
        try:
            self._table.put_item(Item=_to_item(new), ConditionExpression=condition)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise VersionConflict(integration.workspace_id) from None
            raise
        return new

    def delete(self, workspace_id: str) -> None:
        self._table.delete_item(Key={"pk": workspace_id, "sk": SK})

    def workspace_ids_with_status(self, *statuses: Status) -> Iterator[str]:
        for status in statuses:
            kwargs: dict[str, Any] = {
                "IndexName": "by_status",
                "KeyConditionExpression": Key("status").eq(status.value),
            }
            while True:
                page = self._table.query(**kwargs)
                for item in page["Items"]:
                    yield str(item["pk"])
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _to_item(integration: Integration) -> dict[str, Any]:
    data = integration.model_dump(mode="json", exclude_none=True)
    return {"pk": integration.workspace_id, "sk": SK, **data, "status": integration.status.value}


def _from_item(item: dict[str, Any]) -> Integration:
    data = {k: v for k, v in item.items() if k not in ("pk", "sk")}
    return Integration.model_validate(_plain(data))


def _plain(value: Any) -> Any:
    """DynamoDB returns numbers as Decimal; our items hold only integers."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
