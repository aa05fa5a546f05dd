"""`make demo`'s flow, shorter, in a separate process (as a person runs it), with its numbers
checked against the ingest engine run day by day on the same simulated project."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from local.mixpanel_sim import ProjectSpec, SyntheticProject, crm_accounts, crm_late_additions
from usage_analytics.ingest.config import IngestConfig
from usage_analytics.ingest.engine import ingest_day
from usage_analytics.ingest.matching import AccountMapping, CrmAccount

pytestmark = pytest.mark.integration
ACCOUNTS = 30


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("demo")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MIXPANEL_BASE_URL", "USAGE_ANALYTICS_TODAY")
    }
    env = {k: v for k, v in env.items() if not k.startswith("AWS_") and k != "MOTO_PORT"}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "local.cli",
            "demo",
            "--accounts",
            str(ACCOUNTS),
            "--out",
            str(out),
            "--json",
            str(out / "demo.json"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    result = json.loads((out / "demo.json").read_text())
    result["stdout"] = completed.stdout
    return result


def _reference(result: dict[str, Any]) -> dict[str, dict[dt.date, int]]:
    """Events per account per day in the Usage window, straight from the ingest engine."""
    today = dt.date.fromisoformat(result["backfill_today"])
    spec = ProjectSpec(accounts=ACCOUNTS, days=45, today=today + dt.timedelta(days=1))
    project = SyntheticProject(spec)
    crm = [
        CrmAccount.model_validate(a)
        for a in crm_accounts(spec=spec) + crm_late_additions(spec=spec)
    ]
    config = IngestConfig.group(
        spec.group_key,
        tracked_features=tuple(result["card"]["tracked_features"]),
        excluded_keys=frozenset(result["card"]["excluded_keys"]),
        mapping=AccountMapping.parse("crm_id"),
    )
    resolve = config.resolver(crm)
    per_account: dict[str, dict[dt.date, int]] = {}
    for offset in range(30):
        day = today - dt.timedelta(days=offset)
        rows = ingest_day(
            project.day_lines(day), workspace_id="ref", day=day, config=config, resolve=resolve
        )
        for row in rows.accounts:
            per_account.setdefault(row.account_id, {})[day] = row.usage.events
    return per_account


def test_the_demo_connects_backfills_syncs_and_rematches(demo: dict[str, Any]) -> None:
    card = demo["card"]
    assert card["status"] == "connected"
    assert card["backfill"] == {"days_done": 30, "days_total": 30}
    assert demo["promoted"] > 0
    assert Path(demo["chart_png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "30-day backfill" in demo["stdout"] and "Usage tab" in demo["stdout"]


def test_the_demo_numbers_equal_the_ingest_engine_day_by_day(demo: dict[str, Any]) -> None:
    reference = _reference(demo)
    usage = demo["usage"]
    account = demo["top"][0]["account_id"]
    shown = {dt.date.fromisoformat(d["date"]): d["events"] for d in usage["daily"]}
    expected = {day: reference.get(account, {}).get(day, 0) for day in shown}
    assert shown == expected
    assert usage["events_30d"] == sum(expected.values())
    for row in demo["top"]:
        assert row["usage_30d"] == sum(reference.get(row["account_id"], {}).values()), row["name"]
