"""Moving one quarantined (value, day) into an account's row, exactly once.

One DynamoDB transaction per (value, day) does three things, or none of them:

1. puts the account-day row with the value's usage added (`DayUsage.merge`: events and
   feature counts summed, first/last seen widened, user sketches unioned and
   `active_users` recomputed from the union), on condition that the row is still the one
   that was read (absent, or the same usage), so a concurrent day write or a promotion of
   another value into the same row is never overwritten;
2. deletes the quarantine day item, on condition that it is still there with the usage
   that was merged;
3. removes the day from the value's summary, on condition that the day is still listed.
   The ingest lists a day in the summary after writing its item and unlists it before
   deleting it (see `quarantine.py`), so a listed day is a committed one: an item whose
   day is not listed is a day write in progress, and is left to that write.

The merge and the delete commit together, so after any crash (before the commit, or after
it with the reply lost) the quarantine day item says which happened: present, nothing was
merged and a rerun promotes it; gone, it was merged and a rerun skips it. No interleaving
counts a day twice or loses it. A cancelled transaction (a condition failed because
something changed, or a conflicting transaction) is re-read and retried.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from usage_analytics.ingest.rows import AccountDayRow, DayUsage
from usage_analytics.storage.day_items import day_sk, usage_from_item
from usage_analytics.storage.quarantine import day_pk, summary_pk, value_key
from usage_analytics.storage.usage_days import account_day_item, account_pk

ATTEMPTS = 5


class PromotionContention(Exception):
    """The rows kept changing under the promotion; retrying the run later is safe."""


@dataclass(frozen=True)
class PromotedDay:
    value: str
    day: dt.date
    account_id: str
    events: int


def usage_condition(usage: DayUsage, tag: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    """A condition that holds while an item still carries `usage`: every field compared
    (the sketch by its size; `active_users` comes from it, and equal counts, features and
    times with a different sketch of the same size are not a realistic concurrent write)."""
    names = {f"#{tag}e": "events", f"#{tag}f": "first_seen", f"#{tag}l": "last_seen"}
    names[f"#{tag}c"] = "feature_counts"
    values: dict[str, Any] = {
        f":{tag}e": usage.events,
        f":{tag}f": usage.first_seen,
        f":{tag}l": usage.last_seen,
        f":{tag}c": dict(usage.feature_counts),
    }
    parts = [f"#{tag}e = :{tag}e", f"#{tag}f = :{tag}f", f"#{tag}l = :{tag}l"]
    parts.append(f"#{tag}c = :{tag}c")
    names[f"#{tag}a"] = "active_users"
    if usage.active_users is None:
        parts.append(f"attribute_not_exists(#{tag}a)")
    else:
        parts.append(f"#{tag}a = :{tag}a")
        values[f":{tag}a"] = usage.active_users
    names[f"#{tag}s"] = "users_sketch"
    if usage.users_sketch is None:
        parts.append(f"attribute_not_exists(#{tag}s)")
    else:
        parts.append(f"size(#{tag}s) = :{tag}s")
        values[f":{tag}s"] = len(usage.users_sketch)
    return " AND ".join(parts), names, values


def _cancelled(exc: ClientError) -> bool:
    code = exc.response.get("Error", {}).get("Code")
    return code in ("TransactionCanceledException", "TransactionConflictException")


class QuarantinePromotion:
    """Promotes quarantined days into account-day rows (boto3 Table resources; `client`,
    the DynamoDB client that runs the transactions, defaults to the usage table's)."""

    def __init__(self, usage_table: Any, quarantine_table: Any, client: Any = None) -> None:
        self._usage = usage_table
        self._quarantine = quarantine_table
        self._client = client if client is not None else usage_table.meta.client

    def promote(
        self, workspace_id: str, value: str, day: dt.date, account_id: str
    ) -> PromotedDay | None:
        """Add the value's day into the account's row and take it out of quarantine; None
        when there is nothing (left) to promote, e.g. on a rerun."""
        for _ in range(ATTEMPTS):
            item = self._quarantine_item(workspace_id, value, day)
            if item is None:
                self._unlist_missing_day(workspace_id, value, day)
                return None
            if not self._listed(workspace_id, value, day):
                return None  # a day write in progress owns this item
            usage = usage_from_item(item)
            try:
                self._commit(workspace_id, value, day, account_id, usage)
            except ClientError as exc:
                if not _cancelled(exc):
                    raise
                continue  # something changed since the reads: look again
            return PromotedDay(value=value, day=day, account_id=account_id, events=usage.events)
        raise PromotionContention(
            f"quarantined value {value!r} on {day} kept changing during the rematch"
        )

    def drop_if_empty(self, workspace_id: str, value: str) -> bool:
        """Delete the value's summary once it lists no day (True when it was deleted)."""
        try:
            self._quarantine.delete_item(
                Key={"pk": summary_pk(workspace_id), "sk": value_key(value)},
                ConditionExpression="size(#days) = :zero",
                ExpressionAttributeNames={"#days": "days"},
                ExpressionAttributeValues={":zero": 0},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    # -- the transaction -----------------------------------------------------------------

    def _commit(
        self, workspace_id: str, value: str, day: dt.date, account_id: str, usage: DayUsage
    ) -> None:
        key = {"pk": account_pk(workspace_id, account_id), "sk": day_sk(day)}
        current = self._usage.get_item(Key=key, ConsistentRead=True).get("Item")
        merged = usage if current is None else usage_from_item(current).merge(usage)
        row = AccountDayRow(workspace_id=workspace_id, account_id=account_id, day=day, usage=merged)
        put: dict[str, Any] = {"TableName": self._usage.name, "Item": account_day_item(row)}
        if current is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            expr, names, values = usage_condition(usage_from_item(current), "a")
            put.update(
                ConditionExpression=expr,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        expr, names, values = usage_condition(usage, "q")
        delete = {
            "TableName": self._quarantine.name,
            "Key": {"pk": day_pk(workspace_id, value), "sk": day_sk(day)},
            "ConditionExpression": expr,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        self._client.transact_write_items(
            TransactItems=[
                {"Put": put},
                {"Delete": delete},
                {"Update": self._unlist(workspace_id, value, day)},
            ]
        )

    def _unlist(self, workspace_id: str, value: str, day: dt.date) -> dict[str, Any]:
        return {
            "TableName": self._quarantine.name,
            "Key": {"pk": summary_pk(workspace_id), "sk": value_key(value)},
            "UpdateExpression": "REMOVE #days.#day",
            "ConditionExpression": "attribute_exists(#days.#day)",
            "ExpressionAttributeNames": {"#days": "days", "#day": day.isoformat()},
        }

    def _unlist_missing_day(self, workspace_id: str, value: str, day: dt.date) -> None:
        """A listed day whose item is gone (e.g. a crash while an excluded value was being
        removed): unlist it, but only while the item is still absent, so a day the ingest
        is quarantining again right now keeps its entry."""
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "ConditionCheck": {
                            "TableName": self._quarantine.name,
                            "Key": {"pk": day_pk(workspace_id, value), "sk": day_sk(day)},
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {"Update": self._unlist(workspace_id, value, day)},
                ]
            )
        except ClientError as exc:
            if not _cancelled(exc):
                raise

    # -- reads -------------------------------------------------------------------------

    def _quarantine_item(self, workspace_id: str, value: str, day: dt.date) -> Any:
        return self._quarantine.get_item(
            Key={"pk": day_pk(workspace_id, value), "sk": day_sk(day)}, ConsistentRead=True
        ).get("Item")

    def _listed(self, workspace_id: str, value: str, day: dt.date) -> bool:
        item = self._quarantine.get_item(
            Key={"pk": summary_pk(workspace_id), "sk": value_key(value)},
            ConsistentRead=True,
            ProjectionExpression="#days.#day",
            ExpressionAttributeNames={"#days": "days", "#day": day.isoformat()},
        ).get("Item")
        return bool(item and day.isoformat() in (item.get("days") or {}))
