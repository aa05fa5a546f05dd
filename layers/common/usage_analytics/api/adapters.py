"""The AWS side of the API's ports: Step Functions executions and the async probe invoke."""

from __future__ import annotations

import json
import uuid
from typing import Any


class StepFunctionsWorkflows:
    """Backfill input `{"workspace_id": W}`; a manual sync runs the daily-sync machine with
    `{"workspace_ids": [W]}` (the same path as 05:00, for one workspace)."""

    def __init__(
        self, client: Any, *, backfill_arn: str | None, daily_sync_arn: str | None
    ) -> None:
        self._client = client
        self._backfill_arn = backfill_arn
        self._daily_sync_arn = daily_sync_arn

    def start_backfill(self, workspace_id: str) -> str:
        return self._start(
            self._backfill_arn, "backfill", workspace_id, {"workspace_id": workspace_id}
        )

    def start_sync(self, workspace_id: str) -> str:
        payload = {"workspace_ids": [workspace_id]}
        return self._start(self._daily_sync_arn, "sync", workspace_id, payload)

    def _start(self, arn: str | None, kind: str, workspace_id: str, payload: dict[str, Any]) -> str:
        if not arn:
            raise RuntimeError(f"no state machine configured for {kind}")
        # Execution names: 1-80 characters of [A-Za-z0-9_-]; workspace ids already are.
        name = f"{kind}-{workspace_id[:50]}-{uuid.uuid4().hex[:12]}"
        answer = self._client.start_execution(
            stateMachineArn=arn, name=name, input=json.dumps(payload)
        )
        return str(answer["executionArn"])


class LambdaProbeLauncher:
    """Invokes the probe function asynchronously (InvocationType Event): the API answers
    202 at once and the wizard polls GET /probe."""

    def __init__(self, client: Any, function_name: str | None) -> None:
        self._client = client
        self._function_name = function_name

    def __call__(self, workspace_id: str, identity_key: str) -> None:
        if not self._function_name:
            raise RuntimeError("no probe function configured (PROBE_FUNCTION_NAME)")
        self._client.invoke(
            FunctionName=self._function_name,
            InvocationType="Event",
            Payload=json.dumps({"workspace_id": workspace_id, "identity_key": identity_key}),
        )
