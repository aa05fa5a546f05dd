"""A hand-built workspace in the embedded AWS: CRM accounts, an integration configured and
synced up to day D, account-day rows written through `write_day`, and a queue subscribed
to the domain bus's usage-decline events (what the signals inbox would receive)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from usage_analytics import aws, wiring
from usage_analytics.accounts.model import Account
from usage_analytics.accounts.repository import AccountRepository
from usage_analytics.events import SOURCE, USAGE_DECLINE
from usage_analytics.ingest.config import IdentityMode
from usage_analytics.ingest.rows import AccountDayRow, DayRows, DayUsage
from usage_analytics.ingest.stats import IngestStats
from usage_analytics.integration.model import Integration, MappingField, Status
from usage_analytics.integration.model import Mapping as MappingModel
from usage_analytics.settings import get_settings
from usage_analytics.storage.day_writer import write_day

FEATURES = ["report_created", "dashboard_viewed", "export_csv", "invite_sent"]


@dataclass
class Bus:
    queue_url: str

    def received(self) -> list[dict[str, Any]]:
        sqs = boto3.client("sqs")
        found = []
        while True:
            messages = sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not messages:
                return found
            for message in messages:
                found.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])


@dataclass
class Workspace:
    workspace_id: str
    bus: Bus

    def connect(self, last_synced_day: dt.date, mode: IdentityMode = IdentityMode.GROUP) -> None:
        repo = wiring.integrations()
        current = repo.get(self.workspace_id)
        now = dt.datetime.combine(last_synced_day, dt.time(12), tzinfo=dt.UTC)
        # "backfilling", not "connected": the scheduled daily sync must not pick it up
        repo.save(
            Integration(
                workspace_id=self.workspace_id, status=Status.BACKFILLING, project_id=1,
                secret_name="unused", identity_mode=mode, identity_key="company_id",
                mapping=MappingModel(field=MappingField.CRM_ID), tracked_features=FEATURES,
                last_synced_day=last_synced_day, created_at=now, updated_at=now,
            ),
            expected_version=current.version if current else None,
        )  # fmt: skip

    def accounts(self, *accounts: Mapping[str, Any]) -> None:
        AccountRepository(aws.table(get_settings().accounts_table)).upsert(
            self.workspace_id, [Account.model_validate(a) for a in accounts]
        )

    def write(self, day: dt.date, rows: Mapping[str, DayUsage]) -> None:
        settings = get_settings()
        write_day(
            DayRows(
                workspace_id=self.workspace_id,
                day=day,
                accounts=[
                    AccountDayRow(workspace_id=self.workspace_id, account_id=a, day=day, usage=u)
                    for a, u in sorted(rows.items())
                ],
                quarantine=[],
                stats=IngestStats(),
            ),
            usage_table=aws.table(settings.usage_table),
            quarantine_table=aws.table(settings.quarantine_table),
        )


@pytest.fixture
def workspace(local_stack: Any, workspace_id: str) -> Iterator[Workspace]:
    events, sqs = boto3.client("events"), boto3.client("sqs")
    name = f"signals-{uuid.uuid4().hex[:8]}"
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    bus = get_settings().event_bus_name
    pattern = {
        "source": [SOURCE],
        "detail-type": [USAGE_DECLINE],
        "detail": {"workspace_id": [workspace_id]},
    }
    events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}])
    try:
        yield Workspace(workspace_id, Bus(queue_url))
    finally:
        events.remove_targets(Rule=name, EventBusName=bus, Ids=["queue"])
        events.delete_rule(Name=name, EventBusName=bus)
        sqs.delete_queue(QueueUrl=queue_url)
        wiring.integrations().delete(workspace_id)
