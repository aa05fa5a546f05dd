"""The adapters the API's services take, as protocols, bundled in `ApiServices`.

Unit tests build an `ApiServices` of in-memory fakes; `wiring.default_services()` builds
the real ones (DynamoDB, Secrets Manager, Step Functions, Lambda, Mixpanel).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from usage_analytics.accounts.model import Account
from usage_analytics.clock import Clock
from usage_analytics.integration.model import Integration
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.mixpanel.models import ProjectInfo
from usage_analytics.secrets import SecretStore
from usage_analytics.sync_history import SyncAttempt


class Integrations(Protocol):
    def get(self, workspace_id: str) -> Integration | None: ...

    def save(self, integration: Integration, *, expected_version: int | None) -> Integration: ...

    def delete(self, workspace_id: str) -> None: ...


class Accounts(Protocol):
    def upsert(self, workspace_id: str, accounts: Iterable[Account]) -> int: ...

    def list(self, workspace_id: str) -> list[Account]: ...


class Verifier(Protocol):
    """The slice of `MixpanelClient` that step 1 needs."""

    def verify(self, *, detect_region: bool = False) -> ProjectInfo: ...

    def close(self) -> None: ...


class Workflows(Protocol):
    """Starts the Step Functions executions; returns the execution ARN."""

    def start_backfill(self, workspace_id: str) -> str: ...

    def start_sync(self, workspace_id: str) -> str: ...


class ProbeLauncher(Protocol):
    """Starts the probe asynchronously (the probe Lambda, invoked with InvocationType Event)."""

    def __call__(self, workspace_id: str, identity_key: str) -> None: ...


@dataclass
class ApiServices:
    integrations: Integrations
    accounts: Accounts
    secrets: SecretStore
    secret_prefix: str
    mixpanel: Callable[[ServiceAccount], Verifier]
    workflows: Workflows
    start_probe: ProbeLauncher
    days_done: Callable[[str, str], set[dt.date]]  # (workspace, config_id) -> days written
    history: Callable[[str, int], list[SyncAttempt]]  # (workspace, limit) -> newest first
    clock: Clock
    # The card's unmatched count: the quarantine size (0 for fakes that don't say).
    unmatched: Callable[[Integration], int] = lambda integration: 0

    def secret_name(self, workspace_id: str) -> str:
        return f"{self.secret_prefix}{workspace_id}"
