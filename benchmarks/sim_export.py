"""How fast the Mixpanel simulator produces a big day (the `big` scenario: 2,000 accounts,
~50,000 users, ~1,000,000 events on a weekday), in-process and over loopback HTTP.

Timed, in the same run:
- `plan`: building the synthetic cast (accounts, users, pre-rendered properties);
- `generate_records`: iterating the day's records (the generator alone);
- `generate_chunks`: the bulk bytes path (`SyntheticProject.day_chunks`);
- `http_identity` / `http_gzip`: `GET /api/2.0/export` for the day read by httpx, without
  and with `Accept-Encoding: gzip` (server and client share this process and its GIL).

Peak RSS is recorded to show the day is streamed, never held whole.

    .venv/bin/python -m benchmarks.sim_export [--events 1000000] [--accounts 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from local.mixpanel_sim.config import UNLIMITED, SimConfig
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.server import start_simulator
from local.mixpanel_sim.spec import ProjectSpec

RESULTS = Path(__file__).parent / "results"
NAME = "sim_export"
TODAY = dt.date(2025, 6, 18)  # a Wednesday: the benchmarked day is a Tuesday
DAY = TODAY - dt.timedelta(days=1)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, run: Callable[[], tuple[int, int]]) -> dict[str, Any]:
    start, cpu_start = time.perf_counter(), time.process_time()
    events, size = run()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    row = {
        "path": label,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "events": events,
        "mb": round(size / 1e6, 1),
        "events_per_s": round(events / seconds),
        "mb_per_s": round(size / 1e6 / seconds, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(
        f"{label:18s} {seconds:7.2f} s (cpu {cpu:6.2f} s) {row['events_per_s']:>10,} events/s "
        f"{row['mb_per_s']:>7} MB/s  rss {row['peak_rss_mb']} MB",
        flush=True,
    )
    return row


def run(events: int, accounts: int) -> dict[str, Any]:
    spec = ProjectSpec(
        today=TODAY,
        days=3,
        accounts=accounts,
        mean_users_per_account=25.0,
        target_events_per_day=events,
    )
    rows: list[dict[str, Any]] = []
    holder: dict[str, SyntheticProject] = {}

    def plan() -> tuple[int, int]:
        holder["project"] = SyntheticProject(spec)
        users = sum(len(a.users) for a in holder["project"].accounts)
        return users, 0

    rows.append(timed("plan", plan))
    project = holder["project"]

    def records() -> tuple[int, int]:
        count = size = 0
        for record in project.records(DAY):
            count += 1
            size += len(record[2])
        return count, size

    def chunks() -> tuple[int, int]:
        count = size = 0
        for chunk in project.day_chunks(DAY):
            count += chunk.count(b"\n")
            size += len(chunk)
        return count, size

    rows.append(timed("generate_records", records))
    rows.append(timed("generate_chunks", chunks))

    config = SimConfig(project=spec, export_limits=UNLIMITED, query_limits=UNLIMITED)
    with (
        start_simulator(config, project=project) as sim,
        httpx.Client(base_url=sim.base_url, auth=sim.auth, timeout=300.0) as client,
    ):
        params: dict[str, str | int] = {
            "project_id": spec.project_id,
            "from_date": DAY.isoformat(),
            "to_date": DAY.isoformat(),
        }

        def http(encoding: str) -> Callable[[], tuple[int, int]]:
            def read() -> tuple[int, int]:
                count = size = 0
                with client.stream(
                    "GET", "/api/2.0/export", params=params, headers={"Accept-Encoding": encoding}
                ) as response:
                    response.raise_for_status()
                    for block in response.iter_bytes():
                        count += block.count(b"\n")
                        size += len(block)
                return count, size

            return read

        rows.append(timed("http_identity", http("identity")))
        rows.append(timed("http_gzip", http("gzip")))
    return {
        "benchmark": NAME,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "spec": {
            "accounts": accounts,
            "target_events_per_day": events,
            "day": DAY.isoformat(),
            "users": rows[0]["events"],
        },
        "rows": rows,
    }


def write(result: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{NAME}.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = {r["path"]: r for r in result["rows"]}
    lines = [
        f"# {NAME}",
        "",
        f"Simulator `big`-like day: {result['spec']['accounts']:,} accounts, "
        f"{result['spec']['users']:,} users, {rows['generate_records']['events']:,} events "
        f"({rows['generate_chunks']['mb']} MB of JSON lines) on {result['spec']['day']}; "
        f"{result['cpus']} CPUs, Python {result['python']}, {result['at']}.",
        "",
        "| path | wall s | CPU s | events/s (wall) | MB/s (wall) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in result["rows"][1:]:
        lines.append(
            f"| {row['path']} | {row['seconds']} | {row['cpu_seconds']} | "
            f"{row['events_per_s']:,} | {row['mb_per_s']} |"
        )
    lines += [
        "",
        f"Building the cast took {rows['plan']['seconds']} s. Peak RSS after the HTTP reads: "
        f"{result['rows'][-1]['peak_rss_mb']} MB (the day is streamed, never held whole). "
        "HTTP rows include the server's generation: server and client share one process. "
        "CPU seconds are the process's (all threads): wall time on a shared machine varies.",
    ]
    (RESULTS / f"{NAME}.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    args = parser.parse_args()
    result = run(args.events, args.accounts)
    write(result)
    print(f"wrote {RESULTS / (NAME + '.json')} and .md")


if __name__ == "__main__":
    main()
