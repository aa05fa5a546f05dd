"""The assistant's tools, answered from the same rollups and signals as the SPA.

`get_account_usage` resolves a name to one account (or says it cannot), then answers with
the Usage tab's numbers, the health scores and this week's signal (whose explanation
carries the volume and user-count deltas). `rank_accounts_by_usage` is one index Query.
"""

from __future__ import annotations

from usage_analytics.metrics.assistant_models import (
    AccountRef,
    AccountUsageAnswer,
    GetAccountUsageInput,
    HealthScores,
    RankAccountsInput,
    RankingAnswer,
)
from usage_analytics.metrics.explanation import percent
from usage_analytics.metrics.name_match import match_name
from usage_analytics.metrics.rollup import Rollup
from usage_analytics.metrics.services import MetricsServices
from usage_analytics.metrics.views import TableRow, UsageView
from usage_analytics.metrics.windows import iso_week


def get_account_usage(
    services: MetricsServices, workspace_id: str, request: GetAccountUsageInput
) -> AccountUsageAnswer:
    if request.account_id is not None:
        return _by_id(services, workspace_id, request.account_id)
    asked = request.name or ""
    match = match_name(asked, services.directory.names(workspace_id))
    refs = [AccountRef(account_id=a.account_id, name=a.name) for a in match.accounts]
    if match.outcome == "found":
        rollup = services.rollups.get(workspace_id, refs[0].account_id)
        return _found(services, workspace_id, refs[0], rollup)
    if match.outcome == "not_found":
        return AccountUsageAnswer(
            outcome="not_found",
            answer=f"No account in this workspace is named {asked!r} or has it in its name.",
        )
    listed = ", ".join(f"{r.name} ({r.account_id})" for r in refs)
    more = f" and {match.total - len(refs)} more" if match.total > len(refs) else ""
    return AccountUsageAnswer(
        outcome="ambiguous",
        answer=f"{asked!r} matches {match.total} accounts: {listed}{more}. Ask which one, "
        "then call again with its account_id.",
        candidates=refs,
    )


def _by_id(services: MetricsServices, workspace_id: str, account_id: str) -> AccountUsageAnswer:
    rollup = services.rollups.get(workspace_id, account_id)
    if rollup is not None:
        ref = AccountRef(account_id=account_id, name=rollup.name)
        return _found(services, workspace_id, ref, rollup)
    known = services.directory.find(workspace_id, account_id)
    if known is None:
        return AccountUsageAnswer(
            outcome="not_found",
            answer=f"There is no account with id {account_id!r} in this workspace.",
        )
    return _found(services, workspace_id, AccountRef(account_id=account_id, name=known.name), None)


def _found(
    services: MetricsServices, workspace_id: str, ref: AccountRef, rollup: Rollup | None
) -> AccountUsageAnswer:
    """The answer for one account: from its rollup, or the empty state without one."""
    if rollup is None:
        usage = UsageView(account_id=ref.account_id, has_data=False)
        text = describe_usage(ref, usage, None)
        return AccountUsageAnswer(outcome="found", answer=text, account=ref, usage=usage)
    health = HealthScores(
        adoption=rollup.health.adoption.score, engagement=rollup.health.engagement.score
    )
    signal = services.signals.get(workspace_id, iso_week(rollup.as_of), ref.account_id)
    text = describe_usage(ref, rollup.usage, health)
    if signal is not None:
        text += " " + signal.explanation
    return AccountUsageAnswer(
        outcome="found",
        answer=text,
        account=ref,
        usage=rollup.usage,
        health=health,
        signal=signal,
    )


def _change(value: float | None) -> str:
    if value is None:
        return "no comparison (nothing last week)"
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return f"{sign}{percent(value)} week over week"


def describe_usage(ref: AccountRef, usage: UsageView, health: HealthScores | None) -> str:
    who = f"{ref.name or ref.account_id} ({ref.account_id})"
    if not usage.has_data:
        return f"{who} has no usage data yet."
    parts = [
        f"{who}, as of {usage.as_of}: {usage.events_30d:,} events in the last 30 days; "
        f"{usage.events_this_week:,} this week against {usage.events_last_week:,} last week "
        f"({_change(usage.events_change_pct)})."
    ]
    if usage.active_users_30d is not None:
        parts.append(
            f"{usage.active_users_30d:,} active users in 30 days "
            f"({_change(usage.active_users_change_pct)})."
        )
    if usage.seat_activation is not None:
        parts.append(f"Seat activation {usage.seat_activation:g}%.")
    parts.append(f"Active on {usage.days_active} of the last 30 days.")
    if usage.last_seen is not None:
        parts.append(f"Last seen {usage.last_seen:%Y-%m-%d %H:%M} UTC.")
    if usage.top_features:
        top = ", ".join(f"{f.name} ({f.events:,})" for f in usage.top_features[:3])
        parts.append(f"Top features: {top}.")
    if health is not None:
        parts.append(f"Health: adoption {health.adoption}, engagement {health.engagement}.")
    return " ".join(parts)


def rank_accounts_by_usage(
    services: MetricsServices, workspace_id: str, request: RankAccountsInput
) -> RankingAnswer:
    if request.ranking == "steepest_decline":
        found = services.rollups.page(
            workspace_id, sort="usage_change_pct", order="asc", limit=request.limit
        )
        rows = [r for r in found.rows if (r.usage_change_pct or 0) < 0]
    else:
        found = services.rollups.page(
            workspace_id,
            sort="usage_30d",
            order="desc" if request.ranking == "most_active" else "asc",
            limit=request.limit,
        )
        rows = found.rows
    return RankingAnswer(
        ranking=request.ranking,
        as_of=found.as_of,
        accounts=rows,
        answer=_ranking_text(request.ranking, rows, found.as_of),
    )


TITLES = {
    "steepest_decline": "Steepest declines in events this week against last week",
    "most_active": "Most active accounts by events in the last 30 days",
    "least_active": "Least active accounts by events in the last 30 days",
}


def _ranking_text(ranking: str, rows: list[TableRow], as_of: object) -> str:
    if not rows:
        if ranking == "steepest_decline":
            return "No account's events declined this week against last week."
        return "No usage has been computed for this workspace yet."
    lines = []
    for place, row in enumerate(rows, start=1):
        change = "" if row.usage_change_pct is None else f", {_change(row.usage_change_pct)}"
        lines.append(
            f"{place}. {row.name or row.account_id} ({row.account_id}): "
            f"{row.usage_30d:,} events in 30 days{change}"
        )
    return f"{TITLES[ranking]} (as of {as_of}): " + "; ".join(lines) + "."
