"""What the usage routes answer, read from the precomputed rollups: the Usage tab and the
health card are one item each, a table page one Query, the signals one Query.

An account without a rollup is either known to the CRM mirror (it has no data yet, or was
added after the last recompute: the explicit empty state) or unknown (404).
"""

from __future__ import annotations

from usage_analytics.api.errors import BadRequest, NotFound
from usage_analytics.metrics.cursor import InvalidCursor, decode_signals, decode_table, encode
from usage_analytics.metrics.health import Pillar
from usage_analytics.metrics.services import MetricsServices
from usage_analytics.metrics.views import (
    HealthView,
    SignalPage,
    SortKey,
    SortOrder,
    TablePage,
    UsageView,
)


def _unknown(account_id: str) -> NotFound:
    return NotFound(
        f"No account {account_id!r} in this workspace.",
        code="account_not_found",
        details={"account_id": account_id},
    )


def _known(services: MetricsServices, workspace_id: str, account_id: str) -> None:
    if services.directory.find(workspace_id, account_id) is None:
        raise _unknown(account_id)


def account_usage(services: MetricsServices, workspace_id: str, account_id: str) -> UsageView:
    rollup = services.rollups.get(workspace_id, account_id)
    if rollup is not None:
        return rollup.usage
    _known(services, workspace_id, account_id)
    integration = services.integrations.get(workspace_id)
    return UsageView(
        account_id=account_id,
        has_data=False,
        identity_mode=integration.identity_mode if integration else None,
    )


def account_health(services: MetricsServices, workspace_id: str, account_id: str) -> HealthView:
    rollup = services.rollups.get(workspace_id, account_id)
    if rollup is not None:
        return rollup.health_view
    _known(services, workspace_id, account_id)
    empty = Pillar(score=0, inputs=[])
    return HealthView(account_id=account_id, has_data=False, adoption=empty, engagement=empty)


def _bad_cursor(exc: InvalidCursor) -> BadRequest:
    return BadRequest(f"cursor: {exc}", code="invalid_cursor")


def table_page(
    services: MetricsServices,
    workspace_id: str,
    *,
    sort: SortKey,
    order: SortOrder,
    limit: int,
    cursor: str | None,
) -> TablePage:
    try:
        position = decode_table(cursor, sort=sort, order=order) if cursor else None
    except InvalidCursor as exc:
        raise _bad_cursor(exc) from None
    found = services.rollups.page(
        workspace_id, sort=sort, order=order, limit=limit, position=position
    )
    return TablePage(
        accounts=found.rows,
        next_cursor=encode(found.next) if found.next else None,
        sort=sort,
        order=order,
        as_of=found.as_of,
    )


def signals_page(
    services: MetricsServices, workspace_id: str, *, limit: int, cursor: str | None
) -> SignalPage:
    try:
        after = decode_signals(cursor) if cursor else None
    except InvalidCursor as exc:
        raise _bad_cursor(exc) from None
    signals, following = services.signals.page(workspace_id, limit=limit, after=after)
    return SignalPage(signals=signals, next_cursor=encode(following) if following else None)
