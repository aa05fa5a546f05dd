"""Benchmark of `recompute_workspace` over a workspace with 30 days of account-day rows.

    .venv/bin/python -m benchmarks.recompute                    # 500 accounts, ~1.5 minutes
    .venv/bin/python -m benchmarks.recompute --accounts 2000    # the committed results, ~7 min

DynamoDB is moto, in this process (no sockets): request *counts* are what production
would make, request *latency* is moto's Python, not DynamoDB's. moto answers a Query on a
global index by scanning every item of the table, so the 30 `by_day` Queries cost
O(days x rows) here (most of the 2,000-account run) and a few milliseconds each in
DynamoDB. The report therefore splits the run:

- requests by operation (Query, BatchGetItem, BatchWriteItem, PutItem...), counted with a
  botocore hook: the number that matters at scale, and the proof there is no N+1;
- wall time of each phase (read the window, compute, write rollups, signals), and the
  part of it spent inside moto (measured around moto's request dispatch), so what is left
  is our code plus botocore's marshalling, which Lambda would spend too;
- the pure computation alone (usage, sketches, health, signals over rows in memory);
- the reads the routes make afterwards: one table page, one Usage tab;
- peak RSS of the process.

Results go to benchmarks/results/recompute.json and recompute.md.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import random
import resource
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
D = dt.date(2026, 11, 19)
FEATURES = [f"feature_{i}" for i in range(10)]
WS = "ws-bench"


def _create(resource_: Any, spec: Any, name: str) -> Any:
    """The table as CDK declares it (keys, global and local indexes) from `tables.py`."""
    attributes = {spec.partition_key.name: spec.partition_key.type, spec.sort_key.name: "S"}
    globals_: list[dict[str, Any]] = []
    locals_: list[dict[str, Any]] = []
    for index in spec.indexes:
        attributes[index.partition_key.name] = index.partition_key.type
        attributes[index.sort_key.name] = index.sort_key.type
        declared = {
            "IndexName": index.name,
            "KeySchema": [
                {"AttributeName": index.partition_key.name, "KeyType": "HASH"},
                {"AttributeName": index.sort_key.name, "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": index.projection},
        }
        (locals_ if index.local else globals_).append(declared)
    kwargs: dict[str, Any] = {
        "TableName": name,
        "KeySchema": [
            {"AttributeName": spec.partition_key.name, "KeyType": "HASH"},
            {"AttributeName": spec.sort_key.name, "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [{"AttributeName": k, "AttributeType": t}
                                 for k, t in attributes.items()],
        "BillingMode": "PAY_PER_REQUEST",
    }  # fmt: skip
    if globals_:
        kwargs["GlobalSecondaryIndexes"] = globals_
    if locals_:
        kwargs["LocalSecondaryIndexes"] = locals_
    return resource_.create_table(**kwargs)


def _seed(usage: Any, accounts_table: Any, integrations: Any, accounts: int, seed: int) -> int:
    """A skewed workspace: a few big accounts, a long tail, a fifth never active; each
    active account is active on some days with 1-60 users from its own pool."""
    from usage_analytics.accounts.model import Account
    from usage_analytics.accounts.repository import AccountRepository
    from usage_analytics.ingest.config import IdentityMode
    from usage_analytics.ingest.rows import AccountDayRow, DayUsage
    from usage_analytics.ingest.sketch import users_sketch
    from usage_analytics.integration.model import Integration, Mapping, MappingField, Status
    from usage_analytics.integration.repository import IntegrationRepository
    from usage_analytics.storage.usage_days import UsageDayRepository

    rng = random.Random(seed)
    now = dt.datetime.combine(D, dt.time(12), tzinfo=dt.UTC)
    IntegrationRepository(integrations).save(
        Integration(
            workspace_id=WS, status=Status.CONNECTED, project_id=1, secret_name="s",
            identity_mode=IdentityMode.GROUP, identity_key="company_id",
            mapping=Mapping(field=MappingField.CRM_ID), tracked_features=FEATURES,
            last_synced_day=D, created_at=now, updated_at=now,
        ),
        expected_version=None,
    )  # fmt: skip
    ids = [f"acct-{i:05d}" for i in range(accounts)]
    AccountRepository(accounts_table).upsert(
        WS,
        [Account(id=a, name=f"Account {i}", seat_count=rng.choice([None, 10, 50, 200]))
         for i, a in enumerate(ids)],
    )  # fmt: skip
    repo = UsageDayRepository(usage)
    rows = 0
    for index, account in enumerate(ids):
        if rng.random() < 0.2:
            continue
        size = max(1, int(60 / (1 + index) ** 0.5))
        activity = rng.uniform(0.2, 1.0)
        day_rows = []
        for offset in range(30):
            if rng.random() > activity:
                continue
            on = D - dt.timedelta(days=offset)
            people = rng.sample(range(size * 2), k=rng.randint(1, size))
            events = len(people) * rng.randint(1, 30)
            t = int(dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC).timestamp())
            day_rows.append(
                AccountDayRow(
                    workspace_id=WS, account_id=account, day=on,
                    usage=DayUsage(
                        events=events,
                        feature_counts={f: rng.randint(1, 9) for f in rng.sample(FEATURES, 3)},
                        active_users=len(people),
                        users_sketch=users_sketch(f"{account}-u{p}" for p in people),
                        first_seen=t, last_seen=t + 3600,
                    ),
                )
            )  # fmt: skip
        repo.put_rows(day_rows)
        rows += len(day_rows)
    return rows


def _count_requests(client: Any) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()

    def count(model: Any, **_: Any) -> None:
        counts[model.name] += 1

    client.meta.events.register("before-call.dynamodb", count)
    return counts


class Stopwatch:
    """Seconds spent per phase, and inside moto's request dispatch."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = collections.defaultdict(float)
        self.in_moto = 0.0
        self._lock = threading.Lock()

    def patch_moto(self) -> None:
        from moto.core.botocore_stubber import BotocoreStubber

        original = BotocoreStubber.__call__
        watch = self

        def timed(stub: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(stub, *args, **kwargs)
            finally:
                with watch._lock:
                    watch.in_moto += time.perf_counter() - started

        BotocoreStubber.__call__ = timed  # type: ignore[method-assign,assignment]

    def wrap(self, phase: str, function: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.phases[phase] += time.perf_counter() - started

        return timed

    def wrap_iterator(self, phase: str, function: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            iterator = function(*args, **kwargs)
            while True:
                started = time.perf_counter()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    self.phases[phase] += time.perf_counter() - started
                yield item

        return timed


def run(accounts: int, seed: int = 7) -> dict[str, Any]:
    import boto3
    from moto import mock_aws

    from usage_analytics.storage.tables import ACCOUNTS, INTEGRATIONS, USAGE

    for var, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():  # fmt: skip
        os.environ[var] = value
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        db = boto3.resource("dynamodb", region_name="us-east-1")
        usage = _create(db, USAGE, "usage")
        accounts_table = _create(db, ACCOUNTS, "accounts")
        integrations = _create(db, INTEGRATIONS, "integrations")
        started = time.perf_counter()
        rows = _seed(usage, accounts_table, integrations, accounts, seed)
        seeded = time.perf_counter() - started
        return _measure(db, usage, accounts_table, integrations, accounts, rows, seeded)


def _deps(usage: Any, accounts_table: Any, integrations: Any, watch: Stopwatch) -> Any:
    from usage_analytics.accounts.repository import AccountRepository
    from usage_analytics.clock import FixedClock
    from usage_analytics.events import RecordingPublisher
    from usage_analytics.integration.repository import IntegrationRepository
    from usage_analytics.metrics.recompute import RecomputeDeps
    from usage_analytics.metrics.rollup_store import RollupStore
    from usage_analytics.metrics.rules import HealthWeights, SignalRules
    from usage_analytics.metrics.signal_store import SignalStore
    from usage_analytics.metrics.window_rows import WindowRows

    # one BatchGetItem at a time, so the time inside moto is not counted once per thread
    reader = WindowRows(usage, workers=1)
    rollups, signals = RollupStore(usage), SignalStore(usage)
    reader.read = watch.wrap_iterator("read window rows", reader.read)  # type: ignore[method-assign]
    reader.day_keys = watch.wrap("by_day key lists", reader.day_keys)  # type: ignore[method-assign]
    rollups.histories = watch.wrap("read rollup histories", rollups.histories)  # type: ignore[method-assign]
    rollups.replace = watch.wrap("write rollups", rollups.replace)  # type: ignore[method-assign]
    signals.claim = watch.wrap("signals (store, mark published)", signals.claim)  # type: ignore[method-assign]
    signals.mark_published = watch.wrap("signals (store, mark published)", signals.mark_published)  # type: ignore[method-assign]
    return RecomputeDeps(
        integrations=IntegrationRepository(integrations),
        accounts=AccountRepository(accounts_table),
        rows=reader, rollups=rollups, signals=signals,
        publish=RecordingPublisher(), clock=FixedClock(dt.datetime.now(dt.UTC)),
        weights=HealthWeights(), rules=SignalRules(),
    )  # fmt: skip


def _measure(
    db: Any, usage: Any, accounts_table: Any, integrations: Any, accounts: int, rows: int,
    seeded: float,
) -> dict[str, Any]:  # fmt: skip
    from usage_analytics.ingest.config import IdentityMode
    from usage_analytics.metrics.account_usage import compute_account_usage
    from usage_analytics.metrics.decline import detect_decline
    from usage_analytics.metrics.health import WorkspaceRanks, score_health
    from usage_analytics.metrics.recompute import recompute_workspace
    from usage_analytics.metrics.rollup_store import RollupStore
    from usage_analytics.metrics.rules import HealthWeights, SignalRules
    from usage_analytics.metrics.window_rows import WindowRows
    from usage_analytics.metrics.windows import Windows

    counts = _count_requests(db.meta.client)
    watch = Stopwatch()
    watch.patch_moto()
    deps = _deps(usage, accounts_table, integrations, watch)
    started = time.perf_counter()
    report = recompute_workspace(deps, WS)
    recompute_s = time.perf_counter() - started
    in_moto = watch.in_moto
    requests = dict(sorted(counts.items()))
    spent = dict(watch.phases)
    keys = spent.pop("by_day key lists", 0.0)
    phases = {
        "30 by_day key lists (Query on the global index)": round(keys, 2),
        "rows by BatchGetItem, parsed": round(spent.pop("read window rows", 0.0) - keys, 2),
        **{k: round(v, 2) for k, v in spent.items()},
        "everything else (compute, CRM and integration reads)": round(
            recompute_s - (sum(watch.phases.values()) - keys), 2
        ),
    }

    # the pure part alone, over rows already in memory
    in_memory = list(WindowRows(usage).read(WS, Windows(D).window.days))
    started = time.perf_counter()
    usages = [compute_account_usage(a, r, as_of=D, mode=IdentityMode.GROUP,
                                    tracked_features=FEATURES) for a, r in in_memory]  # fmt: skip
    ranks = WorkspaceRanks(usages)
    for u in usages:
        score_health(u, ranks, HealthWeights())
        detect_decline(u, SignalRules())
    compute_s = time.perf_counter() - started

    counts.clear()
    store = RollupStore(usage)
    started = time.perf_counter()
    page = store.page(WS, sort="usage_change_pct", order="asc", limit=25)
    page_s = time.perf_counter() - started
    page_requests = sum(counts.values())
    counts.clear()
    started = time.perf_counter()
    store.get(WS, page.rows[0].account_id)
    get_s = time.perf_counter() - started
    return {
        "accounts": accounts,
        "accounts_with_usage": report.accounts_with_usage,
        "account_day_rows": rows,
        "signals_detected": report.signals_detected,
        "recompute_seconds": round(recompute_s, 2),
        "recompute_seconds_inside_moto": round(in_moto, 2),
        "recompute_seconds_outside_moto": round(recompute_s - in_moto, 2),
        "phases_seconds": phases,
        "compute_only_seconds": round(compute_s, 2),
        "requests": requests,
        "requests_total": sum(requests.values()),
        "batch_get_requests": deps.rows.requests,
        "table_page_seconds": round(page_s, 4),
        "table_page_requests": page_requests,
        "usage_tab_seconds": round(get_s, 4),
        "usage_tab_requests": sum(counts.values()),
        "seed_seconds": round(seeded, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _table(rows: Sequence[tuple[str, object]], header: tuple[str, str]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "|---|---:|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def markdown(r: dict[str, Any]) -> str:
    measures = [
        ("whole recompute", f"{r['recompute_seconds']} s"),
        ("... of which inside moto", f"{r['recompute_seconds_inside_moto']} s"),
        ("... outside moto: our code and botocore marshalling",
         f"{r['recompute_seconds_outside_moto']} s"),
        ("computation alone, rows in memory (usage, sketches, health, signals)",
         f"{r['compute_only_seconds']} s"),
        ("DynamoDB requests in the recompute", f"{r['requests_total']:,}"),
        ("of which BatchGetItem (100 keys each)", f"{r['batch_get_requests']:,}"),
        ("one table page: 25 rows sorted by change",
         f"{r['table_page_seconds']} s, {r['table_page_requests']} request"),
        ("one Usage tab", f"{r['usage_tab_seconds']} s, {r['usage_tab_requests']} request"),
        ("peak RSS", f"{r['peak_rss_mb']} MB"),
    ]  # fmt: skip
    phases = list(r["phases_seconds"].items())
    requests = [(op, f"{n:,}") for op, n in r["requests"].items()]
    return f"""# recompute benchmark

`python -m benchmarks.recompute --accounts {r["accounts"]}` on {r["generated_at"]}
(Python {r["python"]}, {r["cpus"]} CPUs shared with other work, 1-minute load
{r["load_average_1m"]}). DynamoDB is moto in this process: request counts are production's,
latencies are moto's (which scans the whole table for every Query on a global index).
BatchGetItem runs one request at a time here (4 in parallel in production) so that the time
inside moto is measured once.

A workspace of {r["accounts"]:,} accounts ({r["accounts_with_usage"]:,} with usage),
{r["account_day_rows"]:,} account-day rows over 30 days (Theta sketches included);
{r["signals_detected"]:,} usage-decline signals detected (a synthetic, jumpy world: real
workspaces see far fewer, and each new one costs 3 requests: store, publish, mark).

{_table(measures, ("measure", "value"))}

Wall time by phase (moto included):

{_table(phases, ("phase", "seconds"))}

Requests by operation during the recompute. None is per account: Query is the 30 `by_day`
key lists plus the CRM and rollup listings; BatchGetItem is (rows + 2 x accounts for the
two days read by key) / 100; BatchWriteItem is accounts / 25; PutItem and UpdateItem are
per new signal.

{_table(requests, ("operation", "requests"))}
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = run(args.accounts, args.seed)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "recompute.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "recompute.md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
