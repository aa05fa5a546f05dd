"""In-memory adapters for the API's services, and API Gateway events to drive the handler."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from usage_analytics.accounts.model import Account
from usage_analytics.accounts.repository import InMemoryAccounts
from usage_analytics.api.ports import ApiServices
from usage_analytics.auth.principal import Principal, Role
from usage_analytics.clock import FixedClock
from usage_analytics.integration.model import Integration
from usage_analytics.integration.repository import VersionConflict
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.mixpanel.errors import MixpanelError
from usage_analytics.mixpanel.models import ProjectInfo
from usage_analytics.secrets import InMemorySecretStore
from usage_analytics.sync_history import SyncAttempt

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
WORKSPACE = "ws-acme"
OTHER_WORKSPACE = "ws-globex"


class InMemoryIntegrations:
    """The repository's contract: versioned saves, conflicts on a stale version."""

    def __init__(self) -> None:
        self.items: dict[str, Integration] = {}

    def get(self, workspace_id: str) -> Integration | None:
        return self.items.get(workspace_id)

    def save(self, integration: Integration, *, expected_version: int | None) -> Integration:
        current = self.items.get(integration.workspace_id)
        stored_version = None if current is None else current.version
        if stored_version != expected_version:
            raise VersionConflict(integration.workspace_id)
        saved = integration.model_copy(update={"version": (expected_version or 0) + 1})
        self.items[integration.workspace_id] = saved
        return saved

    def delete(self, workspace_id: str) -> None:
        self.items.pop(workspace_id, None)


@dataclass
class FakeVerifier:
    """Answers verify() with a project, or raises the error it was given."""

    project: ProjectInfo | None = None
    error: MixpanelError | None = None
    seen: list[ServiceAccount] = field(default_factory=list)
    closed: int = 0

    def __call__(self, account: ServiceAccount) -> FakeVerifier:
        self.seen.append(account)
        return self

    def verify(self, *, detect_region: bool = False) -> ProjectInfo:
        if self.error is not None:
            raise self.error
        assert self.project is not None
        return self.project

    def close(self) -> None:
        self.closed += 1


@dataclass
class FakeWorkflows:
    fail: bool = False
    backfills: list[str] = field(default_factory=list)
    syncs: list[str] = field(default_factory=list)

    def start_backfill(self, workspace_id: str) -> str:
        if self.fail:
            raise RuntimeError("states unavailable")
        self.backfills.append(workspace_id)
        return f"arn:aws:states:us-east-1:1:execution:backfill:{len(self.backfills)}"

    def start_sync(self, workspace_id: str) -> str:
        if self.fail:
            raise RuntimeError("states unavailable")
        self.syncs.append(workspace_id)
        return f"arn:aws:states:us-east-1:1:execution:sync:{len(self.syncs)}"


@dataclass
class FakeProbe:
    fail: bool = False
    started: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, workspace_id: str, identity_key: str) -> None:
        if self.fail:
            raise RuntimeError("lambda unavailable")
        self.started.append((workspace_id, identity_key))


@dataclass
class World:
    """A small realistic world for the API: one workspace, its adapters, a fixed clock."""

    integrations: InMemoryIntegrations = field(default_factory=InMemoryIntegrations)
    accounts: InMemoryAccounts = field(default_factory=InMemoryAccounts)
    secrets: InMemorySecretStore = field(default_factory=InMemorySecretStore)
    verifier: FakeVerifier = field(
        default_factory=lambda: FakeVerifier(ProjectInfo(2718281, "America/Los_Angeles", "Acme"))
    )
    workflows: FakeWorkflows = field(default_factory=FakeWorkflows)
    probe: FakeProbe = field(default_factory=FakeProbe)
    done_days: dict[tuple[str, str], set[dt.date]] = field(default_factory=dict)
    attempts: dict[str, list[SyncAttempt]] = field(default_factory=dict)
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))

    def services(self) -> ApiServices:
        return ApiServices(
            integrations=self.integrations,
            accounts=self.accounts,
            secrets=self.secrets,
            secret_prefix="usage-analytics/mixpanel/",
            mixpanel=self.verifier,
            workflows=self.workflows,
            start_probe=self.probe,
            days_done=lambda ws, config: set(self.done_days.get((ws, config), set())),
            history=lambda ws, limit: list(self.attempts.get(ws, []))[:limit],
            clock=self.clock,
        )

    def add_accounts(self, workspace_id: str, accounts: Iterable[dict[str, Any]]) -> None:
        self.accounts.upsert(workspace_id, [Account.model_validate(a) for a in accounts])


def principal(role: Role | str = Role.ADMIN, workspace_id: str = WORKSPACE) -> Principal:
    return Principal(user_id="user-1", workspace_id=workspace_id, role=Role(role))


def api_event(
    method: str,
    path: str,
    body: Any = None,
    *,
    caller: Principal | None = None,
    raw_body: str | None = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An API Gateway REST proxy event as the /v1/{proxy+} integration delivers it."""
    text = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
    return {
        "resource": "/v1/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "multiValueHeaders": {},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": {"proxy": path.removeprefix("/v1/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/v1/{proxy+}",
            "httpMethod": method,
            "path": f"/prod{path}",
            "stage": "prod",
            "requestId": "req-1",
            "accountId": "123456789012",
            "apiId": "api1",
            "identity": {"sourceIp": "127.0.0.1"},
            "authorizer": ({"principalId": caller.user_id, **caller.context()} if caller else None),
        },
        "body": text,
        "isBase64Encoded": False,
    }
