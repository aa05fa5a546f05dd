"""`make demo`: the whole product on one machine, for real.

Embedded AWS with the synthesized stack, the Mixpanel simulator, the local API. It goes
through the wizard over HTTP as the SPA would, runs the 30-day backfill through the real
state machine (with a progress bar), a daily sync the next morning, and the nightly
rematch after the CRM gains accounts; then prints what a customer-success manager sees.
Nothing is faked: every number comes from the pipeline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from local.dev_session import DevSession, start_dev_session

DEMO_TODAY = dt.date(2026, 11, 20)  # the backfill's "today"; the daily sync runs the day after
DEMO_WORKSPACE = "ws-demo"
EXCLUDED = ["qa-internal", "test"]
Print = Callable[[str], None]


@dataclass
class DemoResult:
    workspace_id: str
    backfill_today: dt.date
    card: dict[str, Any] = field(default_factory=dict)
    top: list[dict[str, Any]] = field(default_factory=list)
    declining: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=dict)
    signals: list[dict[str, Any]] = field(default_factory=list)
    promoted: int = 0
    chart_png: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), default=str, indent=2)


class Api:
    """The SPA's view: HTTP calls with a bearer token; any non-2xx stops the demo loudly."""

    def __init__(self, base_url: str, token: str, workspace_id: str) -> None:
        self._http = httpx.Client(
            base_url=f"{base_url}/v1/workspaces/{workspace_id}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json() if response.content else None

    def close(self) -> None:
        self._http.close()


def _set_today(day: dt.date) -> None:
    from usage_analytics.settings import reset_settings

    os.environ["USAGE_ANALYTICS_TODAY"] = day.isoformat()
    reset_settings()


def run_demo(
    *, accounts: int = 80, out_dir: Path = Path("demo-output"), say: Print = print
) -> DemoResult:
    from local.mixpanel_sim import (
        DEV_PROJECT_ID,
        DEV_SECRET,
        DEV_USERNAME,
        ProjectSpec,
        SimConfig,
        crm_accounts,
        crm_late_additions,
        start_simulator,
    )

    today = DEMO_TODAY
    if os.environ.get("USAGE_ANALYTICS_TODAY"):
        today = dt.date.fromisoformat(os.environ["USAGE_ANALYTICS_TODAY"])
    result = DemoResult(DEMO_WORKSPACE, today)
    clock = time.monotonic()
    # The handlers log every request as JSON lines: useful in `dev`, noise in the demo.
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    _set_today(today)
    spec = ProjectSpec(accounts=accounts, days=45, today=today + dt.timedelta(days=1))
    simulator = start_simulator(SimConfig(project=spec))
    os.environ["MIXPANEL_BASE_URL"] = simulator.base_url
    say(f"Mixpanel simulator: {simulator.base_url} ({accounts} accounts, project {DEV_PROJECT_ID})")
    say("Starting the embedded AWS and deploying the synthesized stack...")
    session: DevSession = start_dev_session(port=0, workspace_id=DEMO_WORKSPACE)
    result.seconds["stack"] = time.monotonic() - clock
    api = Api(session.api.base_url, session.tokens["owner"], DEMO_WORKSPACE)
    try:
        say(f"Local API: {session.api.base_url}   embedded AWS: {session.aws.endpoint}")
        crm = crm_accounts(spec=spec)
        api.call("PUT", "/accounts", json={"accounts": crm})
        say(f"CRM: {len(crm)} accounts loaded")
        _wizard(api, say, DEV_USERNAME, DEV_SECRET, DEV_PROJECT_ID)
        result.seconds["wizard"] = time.monotonic() - clock
        _wait_backfill(api, say)
        result.seconds["backfill"] = time.monotonic() - clock

        _set_today(today + dt.timedelta(days=1))
        say(f"\n05:00 UTC on {today + dt.timedelta(days=1)}: the daily sync (yesterday only)")
        _run(session, "daily_sync", session.stack.fire_schedule("DailySyncSchedule"))
        result.seconds["daily_sync"] = time.monotonic() - clock

        late = crm_late_additions(spec=spec)
        api.call("PUT", "/accounts", json={"accounts": late})
        say(f"The CRM gained {len(late)} accounts overnight; the nightly rematch runs")
        before = api.call("GET", "/integrations/mixpanel")["unmatched_keys"]
        _run(session, "rematch", session.stack.fire_schedule("RematchSchedule"))
        after = api.call("GET", "/integrations/mixpanel")["unmatched_keys"]
        result.promoted = before - after
        say(
            f"Rematch promoted {result.promoted} quarantined values ({before} -> {after} unmatched)"
        )
        result.seconds["syncs"] = time.monotonic() - clock

        _report(api, result, out_dir, say)
    finally:
        api.close()
        session.stop()
        simulator.stop()
    result.seconds["total"] = time.monotonic() - clock
    say(f"\nDone in {result.seconds['total']:.0f} s.")
    return result


def _wizard(api: Api, say: Print, username: str, secret: str, project_id: int) -> None:
    say("\nSetup wizard")
    api.call(
        "POST",
        "/integrations/mixpanel/credentials",
        json={"username": username, "secret": secret, "project_id": project_id, "region": "US"},
    )
    say("  1. credentials verified with Mixpanel and stored in Secrets Manager")
    api.call("PUT", "/integrations/mixpanel/identity", json={"mode": "group", "key": "company_id"})
    probe = _poll(
        lambda: api.call("GET", "/integrations/mixpanel/probe"),
        lambda p: p["status"] in ("done", "failed"),
        "probe",
    )
    if probe["status"] != "done":
        raise RuntimeError(f"the probe failed: {probe.get('error')}")
    say(
        f"  2. identity group/company_id; probe of {probe['day']}: "
        f"{probe['events_sampled']} events, "
        f"{len(probe['event_names'])} event names, {len(probe['account_values'])} account values"
    )
    mapping = {"field": "crm_id"}
    preview = api.call(
        "POST",
        "/integrations/mixpanel/match-preview",
        json={"mapping": mapping, "excluded_keys": EXCLUDED},
    )
    say(
        f"     match preview: {len(preview['matched'])} values matched, "
        f"{len(preview['unmatched'])} unmatched, {len(preview['excluded'])} excluded "
        f"(match rate {preview['match_rate']:.0%})"
    )
    card = api.call("GET", "/integrations/mixpanel")
    features = probe["suggested_features"][:8]
    api.call(
        "PUT",
        "/integrations/mixpanel/configuration",
        json={
            "mapping": mapping,
            "tracked_features": features,
            "excluded_keys": EXCLUDED,
            "version": card["version"],
        },
    )
    say(f"  3. mapping crm_id, {len(features)} tracked features: {', '.join(features)}")


def _poll(
    fetch: Callable[[], Any], done: Callable[[Any], bool], what: str, timeout: float = 300
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not finish in {timeout:.0f} s")
        time.sleep(0.3)


def _wait_backfill(api: Api, say: Print) -> None:
    say("\n30-day backfill (Step Functions: Plan -> Map(day) -> Finalize)")
    width = 30

    shown: list[int] = []
    interactive = sys.stdout.isatty()

    def show(card: dict[str, Any]) -> None:
        done, total = card["backfill"]["days_done"], max(card["backfill"]["days_total"], 1)
        if not interactive and shown and shown[-1] == done:
            return  # in a log, one line per step, not one per poll
        shown.append(done)
        filled = int(width * done / total)
        bar = (
            f"  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} days  {card['status']:<12}"
        )
        sys.stdout.write(("\r" + bar) if interactive else (bar + "\n"))
        sys.stdout.flush()

    def finished(card: dict[str, Any]) -> bool:
        show(card)
        return card["status"] in ("connected", "backfill_failed")

    card = _poll(lambda: api.call("GET", "/integrations/mixpanel"), finished, "backfill", 900)
    if interactive:
        sys.stdout.write("\n")
    if card["status"] != "connected":
        raise RuntimeError(f"backfill failed: {card['banners']}")


def _run(session: DevSession, name: str, execution_arn: str) -> None:
    result = session.stack.wait_execution(execution_arn, 600)
    if result["status"] != "SUCCEEDED":
        raise RuntimeError(f"{name} {result['status']}: {result.get('cause')}")


def _report(api: Api, result: DemoResult, out_dir: Path, say: Print) -> None:
    result.card = api.call("GET", "/integrations/mixpanel")
    card = result.card
    say("\nIntegration card")
    say(
        f"  status {card['status']}, identity {card['identity_mode']}/{card['identity_key']}, "
        f"features {len(card['tracked_features'])} of {card['tracked_feature_cap']}, "
        f"last sync {card['last_sync_at']}, unmatched keys {card['unmatched_keys']}, "
        f"backfill {card['backfill']['days_done']}/{card['backfill']['days_total']}"
    )
    for banner in card["banners"]:
        say(f"  [{banner['severity']}] {banner['message']}")
    result.top = api.call(
        "GET", "/usage/accounts", params={"sort": "usage_30d", "order": "desc", "limit": 5}
    )["accounts"]
    result.declining = api.call(
        "GET", "/usage/accounts", params={"sort": "usage_change_pct", "order": "asc", "limit": 5}
    )["accounts"]
    say("\nMost active accounts (30 days)")
    for row in result.top:
        say(f"  {_row(row)}  seats {_pct(row['seat_activation'], signed=False)}")
    say("\nSteepest decline this week")
    for row in result.declining:
        say(f"  {_row(row)}")
    account = result.top[0]
    result.usage = api.call("GET", f"/accounts/{account['account_id']}/usage")
    _usage_tab(account["name"], result.usage, say)
    result.chart_png = _png(account["name"], result.usage, out_dir)
    say(f"  chart written to {result.chart_png}")
    result.signals = api.call("GET", "/signals", params={"type": "usage_decline"})["signals"]
    say(f"\nUsage-decline signals: {len(result.signals)}")
    for signal in result.signals[:5]:
        say(f"  {signal['account_id']} ({signal['week']}): {signal['explanation']}")


def _row(row: dict[str, Any]) -> str:
    return (
        f"{row['name'][:28]:<28} {row['usage_30d']:>8,} events  {_pct(row['usage_change_pct'])} wow"
    )


def _pct(value: float | None, *, signed: bool = True) -> str:
    if value is None:
        return "   —  "
    return f"{value:+6.1f}%" if signed else f"{value:5.1f}%"


def _usage_tab(name: str, usage: dict[str, Any], say: Print) -> None:
    import plotext as plt

    say(f"\nUsage tab: {name}")
    say(
        f"  events 30d {usage['events_30d']:,} ({_pct(usage['events_change_pct'])} wow), "
        "active users "
        f"{usage['active_users_30d']} ({_pct(usage['active_users_change_pct'])}), days active "
        f"{usage['days_active']}/30, last seen {usage['last_seen']}"
    )
    top = ", ".join(f"{f['name']} {f['events']:,}" for f in usage["top_features"][:5])
    say(f"  top features: {top}")
    plt.clear_figure()
    plt.bar([d["date"][5:] for d in usage["daily"]], [d["events"] for d in usage["daily"]])
    plt.title(f"{name}: events per day, last 30 days")
    plt.plotsize(100, 18)
    plt.theme("clear")
    chart = plt.build()
    say(chart if sys.stdout.isatty() else plt.uncolorize(chart))


def _png(name: str, usage: dict[str, Any], out_dir: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "account-usage.png"
    figure, axes = pyplot.subplots(figsize=(10, 3.5))
    axes.bar(
        [d["date"][5:] for d in usage["daily"]],
        [d["events"] for d in usage["daily"]],
        color="#4c72b0",
    )
    axes.set_title(f"{name}: events per day, last 30 days")
    axes.tick_params(axis="x", labelrotation=90, labelsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return path.resolve()
