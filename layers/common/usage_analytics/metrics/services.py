"""The adapters the usage routes read through, and how tests substitute their own.

Separate from the API's `ApiServices` (the wizard's adapters): these are read models of
the usage table, and the route tests run them on in-process tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from usage_analytics.integration.model import Integration
from usage_analytics.metrics.directory import AccountDirectory
from usage_analytics.metrics.rollup_store import RollupStore
from usage_analytics.metrics.signal_store import SignalStore


class Integrations(Protocol):
    def get(self, workspace_id: str) -> Integration | None: ...


@dataclass
class MetricsServices:
    rollups: RollupStore
    signals: SignalStore
    directory: AccountDirectory
    integrations: Integrations


_factory: Callable[[], MetricsServices] | None = None


def metrics_services() -> MetricsServices:
    if _factory is not None:
        return _factory()
    from usage_analytics import aws
    from usage_analytics.integration.repository import IntegrationRepository
    from usage_analytics.settings import get_settings

    settings = get_settings()
    usage = aws.table(settings.usage_table)
    return MetricsServices(
        rollups=RollupStore(usage),
        signals=SignalStore(usage),
        directory=AccountDirectory(aws.table(settings.accounts_table)),
        integrations=IntegrationRepository(aws.table(settings.integrations_table)),
    )


@contextmanager
def substituted_metrics_services(factory: Callable[[], MetricsServices]) -> Iterator[None]:
    global _factory
    previous, _factory = _factory, factory
    try:
        yield
    finally:
        _factory = previous
