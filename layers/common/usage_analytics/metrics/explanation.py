"""The signal in plain language, with its numbers: what dropped (both values and the
change), then always the volume and user-count deltas, so a reader sees at once whether
fewer people used the product or the same people used it less (or, as in a stickiness
drop, more people each doing less)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from usage_analytics.metrics.change import change_pct, rounded
from usage_analytics.metrics.windows import Windows

if TYPE_CHECKING:
    from usage_analytics.metrics.decline import SignalDimension, WeekTotals

LABELS = {
    "events": "events",
    "active_users": "active users",
    "events_per_user": "events per active user",
}


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _count(value)


def percent(value: float) -> str:
    """A change as people say it: 30%, 7.5%, no "-0%"."""
    shown = rounded(value, 0 if abs(value) >= 10 else 1) or 0.0
    return f"{abs(shown):g}%"


def _fell(dimension: SignalDimension) -> str:
    label = LABELS[dimension.name]
    before, after = _count(dimension.before), _count(dimension.after)
    return f"{label} fell {percent(dimension.change_pct)}, from {before} to {after}"


def _movement(label: str, before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return f"{label}: not counted"
    change = change_pct(after, before)
    pct = "" if change is None else f", {'+' if change > 0 else '-' if change < 0 else ''}"
    pct += "" if change is None else percent(float(change))
    return f"{label} went from {before:,} to {after:,} ({_signed(after - before)}{pct})"


def explain_decline(
    name: str, dropped: Sequence[SignalDimension], totals: WeekTotals, windows: Windows
) -> str:
    this, last = windows.this_week, windows.last_week
    what = "; ".join(_fell(d) for d in dropped)
    context = " and ".join(
        [
            _movement("Events", totals.events_before, totals.events_after),
            _movement("active users", totals.active_users_before, totals.active_users_after),
        ]
    )
    return (
        f"{name}: usage declined in the week {this.first.isoformat()} to "
        f"{this.last.isoformat()} against the week before ({last.first.isoformat()} to "
        f"{last.last.isoformat()}): {what[0].upper()}{what[1:]}. {context}."
    )
