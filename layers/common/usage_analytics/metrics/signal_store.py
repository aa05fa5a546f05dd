"""Stored usage-decline signals: `pk = SIGNAL#<workspace>`, `sk = <ISO week>#<account>`
in the usage table (the API reads them; no extra table).

Once per account per ISO week: the first signal of the week is written with a condition
(the key must not exist); later runs of the same week find it and change nothing. The bus
event goes out only for a signal this run stored, which is how a re-run, a retry or a
redrive never emits twice. The item records `published` after the event is accepted: if a
run dies between storing and publishing, the next run finds the stored signal unpublished
and publishes it then (the event carries `signal_id` so a consumer can tell the rare
duplicate of a publish whose acknowledgement was lost).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from usage_analytics.metrics.cursor import SignalPosition
from usage_analytics.metrics.decline import UsageDeclineSignal

PREFIX = "SIGNAL#"
_deserialize = TypeDeserializer().deserialize


def signal_pk(workspace_id: str) -> str:
    return f"{PREFIX}{workspace_id}"


class SignalStore:
    """`table`: the usage table (a boto3 Table resource)."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def claim(
        self, workspace_id: str, signal: UsageDeclineSignal, now: dt.datetime
    ) -> UsageDeclineSignal | None:
        """Store the week's signal unless one exists. Returns the signal to publish: this one
        when newly stored, the stored one when an earlier run stored it but never published
        it, None when it was published already."""
        item = {
            "pk": signal_pk(workspace_id),
            "sk": signal.signal_id,
            "type": "signal",
            "signal_type": signal.type,
            "week": signal.week,
            "account_id": signal.account_id,
            "created_at": now.isoformat(),
            "published": False,
            "doc": signal.model_dump_json(),
        }
        try:
            self._table.put_item(
                Item=item,
                ConditionExpression=Attr("pk").not_exists(),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            stored = self._stored(exc, workspace_id, signal.signal_id)
            if stored is None or stored.get("published"):
                return None
            return UsageDeclineSignal.model_validate_json(str(stored["doc"]))
        return signal

    def _stored(self, exc: ClientError, workspace_id: str, sk: str) -> dict[str, Any] | None:
        raw: Any = exc.response.get("Item")  # ALL_OLD, in DynamoDB's wire format
        if isinstance(raw, dict) and raw:
            try:
                return {k: _deserialize(v) for k, v in raw.items()}
            except (TypeError, AttributeError):
                pass  # not in wire format: read it again
        found: dict[str, Any] | None = self._table.get_item(
            Key={"pk": signal_pk(workspace_id), "sk": sk}, ConsistentRead=True
        ).get("Item")
        return found

    def mark_published(self, workspace_id: str, signal: UsageDeclineSignal) -> None:
        self._table.update_item(
            Key={"pk": signal_pk(workspace_id), "sk": signal.signal_id},
            UpdateExpression="SET published = :yes",
            ExpressionAttributeValues={":yes": True},
        )

    def get(self, workspace_id: str, week: str, account_id: str) -> UsageDeclineSignal | None:
        item = self._table.get_item(
            Key={"pk": signal_pk(workspace_id), "sk": f"{week}#{account_id}"},
            ProjectionExpression="doc",
        ).get("Item")
        return None if item is None else UsageDeclineSignal.model_validate_json(str(item["doc"]))

    def page(
        self, workspace_id: str, *, limit: int, after: SignalPosition | None = None
    ) -> tuple[list[UsageDeclineSignal], SignalPosition | None]:
        """Newest week first (accounts in reverse id order within a week)."""
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(signal_pk(workspace_id)),
            "ScanIndexForward": False,
            "Limit": limit,
            "ProjectionExpression": "sk, doc",
        }
        signals: list[UsageDeclineSignal] = []
        while len(signals) < limit:
            kwargs["Limit"] = limit - len(signals)
            if after is not None:
                kwargs["ExclusiveStartKey"] = {"pk": signal_pk(workspace_id), "sk": after.after}
            page = self._table.query(**kwargs)
            signals.extend(
                UsageDeclineSignal.model_validate_json(str(i["doc"])) for i in page["Items"]
            )
            last = page.get("LastEvaluatedKey")
            if last is None:
                return signals, None
            after = SignalPosition(after=str(last["sk"]))
        return signals, after
