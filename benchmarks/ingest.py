"""Benchmark of the day-ingest engine: throughput against bare decoding, and peak memory.

    .venv/bin/python -m benchmarks.ingest            # 2,000,000 events, about a minute
    .venv/bin/python -m benchmarks.ingest --events 200000 --rss-events 200000   # quick

One run generates a synthetic export day (see `export_day.py`) into a temporary file, then
reports, in that same run:

- throughput: events/s through the whole engine (`ingest_day`: decode, dedupe, attribute,
  resolve, sketches, rows) with its C per-event loop (`_engine.c`, what runs in Lambda) and
  with the Python reference loop, against events/s of *only decoding* the same lines with
  msgspec, both generically (`msgspec.json.decode`, what any consumer must at least do) and
  with the engine's own narrow Struct (the decoder it uses). Every variant reads the same file
  line by line; each is timed (CPU time of this process, robust to other load on a shared
  machine) several times, interleaved, and the best run is kept;
- peak RSS of a child process that ingests the whole file read line by line (so the input
  is never in memory): `VmHWM` of the child and `ru_maxrss` of RUSAGE_CHILDREN, minus the
  child's RSS after imports, to show what the engine itself holds;
- bytes per event of the dedupe keys;
- where the engine's time goes, measured on the real engine by changing the data, not the
  code: the same day without `$insert_id` (the dedupe set is never touched) and a day with
  as many users as accounts (the per-account user sets stay small and hot). The difference
  to the full engine is what dedupe and distinct-user bookkeeping cost per event.

Results go to benchmarks/results/ingest.json and ingest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import msgspec

from benchmarks.export_day import TRACKED, DayShape, crm_accounts, lines
from usage_analytics.ingest import AccountMapping, IngestConfig, ingest_day
from usage_analytics.ingest.aggregator import native_engine
from usage_analytics.ingest.decoding import LineDecoder

RESULTS = Path(__file__).parent / "results"
DAY = dt.date(2024, 6, 1)
TARGET_RATIO = 0.5
TARGET_RSS_MB = 400


def _config() -> IngestConfig:
    return IngestConfig.group(
        "company_id", tracked_features=TRACKED, mapping=AccountMapping.parse("crm_id")
    )


def _read(path: Path, limit: int) -> Iterator[bytes]:
    with path.open("rb") as f:
        yield from islice(f, limit)


_INSERT_ID = re.compile(rb'"\$insert_id":"[^"]*",')


def _without_insert_ids(source: Path, target: Path, limit: int) -> None:
    with target.open("wb") as out:
        for line in _read(source, limit):
            out.write(_INSERT_ID.sub(b"", line))


def _decode_generic(path: Path, limit: int) -> int:
    decode = msgspec.json.Decoder().decode
    n = 0
    for line in _read(path, limit):
        try:  # noqa: SIM105 (contextlib.suppress would add a context manager per line)
            decode(line)
        except msgspec.DecodeError:
            pass
        n += 1
    return n


def _decode_typed(path: Path, limit: int) -> int:
    decode = LineDecoder("company_id").decode
    n = 0
    for line in _read(path, limit):
        try:  # noqa: SIM105 (contextlib.suppress would add a context manager per line)
            decode(line)
        except msgspec.DecodeError:
            pass
        n += 1
    return n


def _engine(path: Path, limit: int, shape: DayShape, native: bool = True) -> int:
    config = _config()
    resolve = config.resolver(crm_accounts(shape))
    rows = ingest_day(
        _read(path, limit),
        workspace_id="bench",
        day=DAY,
        config=config,
        resolve=resolve,
        native=native,
    )
    return rows.stats.lines_read


def _best_rate(runs: dict[str, Callable[[], int]], repeats: int) -> dict[str, float]:
    """events/s per variant: best CPU time of `repeats` interleaved runs."""
    best = {name: float("inf") for name in runs}
    counts = {}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.process_time()
            counts[name] = run()
            best[name] = min(best[name], time.process_time() - start)
    return {name: counts[name] / best[name] for name in runs}


def _vm_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def child_ingest(path: Path, shape: DayShape) -> dict[str, Any]:
    """Run in the child: ingest the file line by line and report memory."""
    config = _config()
    resolve = config.resolver(crm_accounts(shape))
    baseline_kb = _vm_kb("VmRSS")
    with path.open("rb") as f:
        rows = ingest_day(f, workspace_id="bench", day=DAY, config=config, resolve=resolve)
    stats = rows.stats
    return {
        "baseline_rss_mb": baseline_kb / 1024,
        "vm_hwm_mb": _vm_kb("VmHWM") / 1024,
        "lines_read": stats.lines_read,
        "attributed": stats.attributed,
        "duplicates": stats.duplicates,
        "malformed": stats.malformed,
        "ignored_identity": stats.ignored_identity,
        "hotshard_restored": stats.hotshard_restored,
        "no_account": stats.no_account,
        "accounts": len(rows.accounts),
        "quarantined_values": len(rows.quarantine),
        "dedupe_keys": stats.dedupe_keys,
        "dedupe_bytes_per_event": round(stats.dedupe_bytes_per_event, 1),
        "largest_sketch_bytes": max(len(r.usage.users_sketch or b"") for r in rows.accounts),
    }


def _measure_rss(path: Path, shape: DayShape) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.ingest", "--child", str(path)]
    cmd += ["--accounts", str(shape.accounts), "--users", str(shape.users)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    report: dict[str, Any] = json.loads(out)
    report["ru_maxrss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report["engine_rss_mb"] = report["vm_hwm_mb"] - report["baseline_rss_mb"]
    return report


def _generate(path: Path, shape: DayShape) -> dict[str, Any]:
    start = time.perf_counter()
    size = 0
    with path.open("wb") as f:
        for line in lines(shape):
            f.write(line)
            size += len(line)
    return {"seconds": round(time.perf_counter() - start, 1), "bytes_per_line": size / shape.events}


def run(events: int, rss_events: int, repeats: int, shape: DayShape) -> dict[str, Any]:
    total = max(events, rss_events)
    shape = DayShape(events=total, accounts=shape.accounts, users=shape.users, seed=shape.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.jsonl"
        generated = _generate(path, shape)
        rss_path = path
        if rss_events < total:
            rss_path = Path(tmp) / "rss.jsonl"
            rss_path.write_bytes(b"".join(_read(path, rss_events)))
        # memory first, while this process is small: a forked child starts with the parent's
        # RSS, which ru_maxrss would otherwise report as the child's peak
        memory = _measure_rss(rss_path, shape)
        no_insert_id = Path(tmp) / "no_insert_id.jsonl"
        _without_insert_ids(path, no_insert_id, events)
        few_users_shape = DayShape(events, shape.accounts, users=shape.accounts, seed=shape.seed)
        few_users = Path(tmp) / "few_users.jsonl"
        _generate(few_users, few_users_shape)
        rates = _best_rate(
            {
                "decode_generic": lambda: _decode_generic(path, events),
                "decode_typed": lambda: _decode_typed(path, events),
                "engine": lambda: _engine(path, events, shape),
                "engine_python_loop": lambda: _engine(path, events, shape, native=False),
                "decode_typed_no_insert_id": lambda: _decode_typed(no_insert_id, events),
                "engine_no_insert_id": lambda: _engine(no_insert_id, events, shape),
                "engine_few_users": lambda: _engine(few_users, events, few_users_shape),
            },
            repeats,
        )
    ns = {name: 1e9 / rate for name, rate in rates.items()}
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "day": {
            "events": events,
            "rss_events": rss_events,
            "accounts": shape.accounts,
            "users": shape.users,
            "generated": generated,
        },
        "throughput_events_per_s": {k: round(v) for k, v in rates.items()},
        "engine_vs_decode_generic": round(rates["engine"] / rates["decode_generic"], 3),
        "engine_vs_decode_typed": round(rates["engine"] / rates["decode_typed"], 3),
        "python_loop_vs_decode_typed": round(
            rates["engine_python_loop"] / rates["decode_typed"], 3
        ),
        "ns_per_event": {
            "narrow_decode": round(ns["decode_typed"]),
            "engine": round(ns["engine"]),
            "engine_beyond_decode": round(ns["engine"] - ns["decode_typed"]),
            # the stripped lines are shorter, so each side is taken beyond its own decode
            "dedupe": round(
                ns["engine"]
                - ns["decode_typed"]
                - (ns["engine_no_insert_id"] - ns["decode_typed_no_insert_id"])
            ),
            "distinct_users_50k_vs_hot": round(ns["engine"] - ns["engine_few_users"]),
        },
        "memory": memory,
        "targets": {
            "engine_vs_bare_decode_at_least": TARGET_RATIO,
            "peak_rss_mb_at_most": TARGET_RSS_MB,
        },
    }


NOTES = """
## Reading these numbers

- Which "bare decode": the engine decodes each line with msgspec into a narrow Struct that
  declares only the fields it reads (msgspec skips the ~20 other properties without
  building objects for them). That is the fastest decoder we use, so the target is taken
  against it; the generic `msgspec.json.decode` row is what any consumer of an export must
  at least do, for context. Timings on this shared 2-CPU machine vary by +-30% from run to
  run; the ratios, measured interleaved, move less: eight full runs of the C loop on
  2026-12-04 (before and after its last tuning) gave 52% to 58% of the narrow decode, and
  the Python loop 32% to 40%. Each variant's best of 5 runs is kept.
- Why a C loop: the Python loop (`_feed_group`, kept as the reference and the fallback)
  keeps about a third of the narrow decode. Beyond decoding, its per-event cost was two
  exact hash-set probes, the day's dedupe keys (a set of millions of ints, far larger than
  the CPU caches) and each account's set of users (a probe that also compares the fresh
  distinct_id string with the stored one: two cache misses), plus reading the fields out of
  the decoded Struct. Batch and column-wise loops, deferred or filtered user inserts,
  polars' `read_ndjson` (5x the narrow Struct's decode time on its own) and a NumPy engine
  (vectorized tables per 16,384 events: 42%, and 52% with its NumPy part left out) were
  measured on 2026-12-04 and none reached one half: in CPython, pulling an event's fields
  out of the Struct and hashing them costs about as much as decoding it.
- What the C loop does differently (`_engine.c`, same rules, checked against the Python
  loop on random days by a differential test): the dedupe key is the same 60-bit hash, kept
  in an open-addressing table of 8-byte slots whose cache line is prefetched before the
  account lookup; a user goes into its account's set only the first time the
  (source, user) pair is seen, remembered as a 64-bit hash in a second, small table; a
  source's events and first/last seen are C counters written back when the feed returns;
  fields are read through the Struct's slot descriptors, and decode's argument tuple is
  reused. All but the first two came from `perf record` of the first C version (49%): the
  table probes (12.6% of samples), tuple and int allocation and garbage-collector passes,
  attribute lookups, and the raw-value dict falling off CPython's string-key fast path
  (it also holds None and tuple keys; the hot loops now look up a str-only index).
- Memory: the dedupe table is most of what the engine holds, 8 bytes per slot at 35-70%
  load (11 to 23 bytes per event with `$insert_id`, against ~69 in the Python loop's set);
  per-account state is small (2,000 accounts, 50,000 users).
"""


def _markdown(r: dict[str, Any]) -> str:
    t = r["throughput_events_per_s"]
    m = r["memory"]
    n = r["ns_per_event"]
    return f"""# Ingest engine benchmark

Generated by `python -m benchmarks.ingest` on {r["when"]}
(Python {r["machine"]["python"]}, {r["machine"]["cpus"]} CPUs shared with other work,
1-minute load {r["machine"]["load_average_1m"]}).
A synthetic export day: {r["day"]["events"]:,} events (throughput) / {r["day"]["rss_events"]:,}
events (memory), {r["day"]["accounts"]:,} accounts, {r["day"]["users"]:,} users,
{r["day"]["generated"]["bytes_per_line"]:.0f} bytes per line.

## Throughput (best CPU time of interleaved runs, input read from a file line by line)

| variant | events/s |
|---|---:|
| msgspec generic decode only (`msgspec.json.decode`) | {t["decode_generic"]:,} |
| msgspec decode into the engine's narrow Struct only | {t["decode_typed"]:,} |
| whole engine (`ingest_day`), C per-event loop (what Lambda runs) | {t["engine"]:,} |
| whole engine, Python reference loop (where the C one is not built) | {t["engine_python_loop"]:,} |

Engine / narrow-Struct decode (the decoder it uses, the fastest we have):
**{r["engine_vs_decode_typed"]:.0%}** (target: at least 50% of bare decode); engine / generic
decode: **{r["engine_vs_decode_generic"]:.0%}**. The Python reference loop:
{r["python_loop_vs_decode_typed"]:.0%} of the narrow-Struct decode.

## Where the engine's time goes (CPU ns per event, same run)

| | ns/event |
|---|---:|
| narrow-Struct decode, reading the file included | {n["narrow_decode"]:,} |
| whole engine (C loop) | {n["engine"]:,} |
| engine beyond decoding | {n["engine_beyond_decode"]:,} |
| of which dedupe | {n["dedupe"]:,} |
| of which distinct users | {n["distinct_users_50k_vs_hot"]:,} |

Dedupe: the same day without `$insert_id` (the key set is never touched), each side
taken beyond its own decode. Distinct users: the day with {r["day"]["users"]:,} users
against a day with as many users as accounts (user sets large and cold against small and
hot). For 50% of the narrow decode, the engine beyond decoding must cost at most the
decode itself: {n["narrow_decode"]:,} ns here.

## Memory ({r["day"]["rss_events"]:,} events, child process, input streamed from a file)

| measure | MB |
|---|---:|
| peak RSS (VmHWM) | {m["vm_hwm_mb"]:.0f} |
| peak RSS (ru_maxrss, RUSAGE_CHILDREN) | {m["ru_maxrss_children_mb"]:.0f} |
| RSS after imports, before ingest | {m["baseline_rss_mb"]:.0f} |
| held by the engine (peak - baseline) | {m["engine_rss_mb"]:.0f} |

Target: peak RSS at most 400 MB. Dedupe keys: {m["dedupe_keys"]:,} keys,
**{m["dedupe_bytes_per_event"]} bytes per event** (a 60-bit hash in an 8-byte slot of a table
kept 35-70% full). Largest
account-day sketch: {m["largest_sketch_bytes"]:,} bytes. The day: {m["attributed"]:,}
attributed, {m["duplicates"]:,} duplicates, {m["ignored_identity"]:,} identity events,
{m["hotshard_restored"]:,} hot-shard events restored, {m["no_account"]:,} without account,
{m["malformed"]:,} malformed; {m["accounts"]:,} account rows, {m["quarantined_values"]:,}
quarantined values.
{NOTES}"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="throughput day size")
    parser.add_argument("--rss-events", type=int, default=2_000_000, help="memory day size")
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    shape = DayShape(accounts=args.accounts, users=args.users)
    if args.child:
        print(json.dumps(child_ingest(args.child, shape)))
        return
    if native_engine is None:
        parser.error("the C per-event loop is not built: run `make install` first")
    result = run(args.events, args.rss_events, args.repeats, shape)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "ingest.md").write_text(_markdown(result))
    print(_markdown(result))


if __name__ == "__main__":
    main()
