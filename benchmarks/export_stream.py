"""How fast the Mixpanel client turns a gzipped export into JSON lines, against reading the
same lines from memory.

A day of realistic export lines (default 256 MB uncompressed, ~25 properties per event)
is generated and gzipped to a temp file without ever holding it whole, then served from a
loopback HTTP server in a child process, the way Mixpanel serves `/api/2.0/export`. Three
ways of getting the lines are timed, in the same run:

- `client_http`: `MixpanelClient.export()` over HTTP (gzip decode, line split, limiter...);
- `memory_gzip_lines`: the same gzip bytes decoded in-process through the client's line
  splitter (no HTTP): what the network layer costs, by difference;
- `memory_splitlines`: `body.splitlines()` over the already-decompressed body in memory:
  the floor, what any consumer pays to see each line.

It also records the process's peak RSS after the client runs (before the body is ever
loaded whole), to show the export is streamed.

    .venv/bin/python -m benchmarks.export_stream [--mb 256] [--repeats 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.server
import json
import multiprocessing as mp
import os
import platform
import random
import resource
import statistics
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from usage_analytics.mixpanel import MixpanelClient, Region, ServiceAccount
from usage_analytics.mixpanel.lines import json_lines

RESULTS = Path(__file__).parent / "results"
DAY = dt.date(2024, 6, 1)
DAY_START = 1_717_200_000
READ_CHUNK = 64 * 1024


# ---- a realistic export day --------------------------------------------------------------

EVENTS = (
    ["Page View"] * 8
    + ["Button Click"] * 4
    + [
        "Report Viewed",
        "Dashboard Created",
        "Export CSV",
        "Search",
        "Login",
        "Invite Sent",
    ]
)
BROWSERS = ("Chrome", "Firefox", "Safari", "Edge")
CITIES = ("Berlin", "San Francisco", "London", "Paris", "New York", "Tokyo", "Bangalore")
OSES = ("Mac OS X", "Windows", "Linux", "iOS", "Android")
PAGES = ("/app/dashboard", "/app/reports/42", "/app/settings/team", "/app/search?q=renewal")


def event_lines(seed: int = 7) -> Iterator[bytes]:
    """Endless export lines shaped like Mixpanel's (about 700 bytes each)."""
    rng = random.Random(seed)
    i = 0
    while True:
        user = rng.randrange(40_000)
        t = DAY_START + rng.randrange(86_400)
        line = (
            f'{{"event":"{rng.choice(EVENTS)}","properties":{{"time":{t},'
            f'"distinct_id":"user-{user:06d}","$browser":"{rng.choice(BROWSERS)}",'
            f'"$browser_version":{rng.randrange(90, 125)},"$city":"{rng.choice(CITIES)}",'
            f'"$current_url":"https://app.example.com{rng.choice(PAGES)}",'
            f'"$device_id":"18f{user:013x}-0b1c-4d2e","$initial_referrer":"$direct",'
            f'"$initial_referring_domain":"$direct","$insert_id":"{rng.getrandbits(64):016x}",'
            f'"$lib_version":"2.49.0","$mp_api_endpoint":"api-js.mixpanel.com",'
            f'"$mp_api_timestamp_ms":{t * 1000 + 317},"$os":"{rng.choice(OSES)}",'
            f'"$region":"Region {user % 50}","$screen_height":1080,"$screen_width":1920,'
            f'"$user_id":"user-{user:06d}","company_id":"acct-{user % 2000:05d}",'
            f'"company_domain":"customer-{user % 2000}.example.com","mp_country_code":"DE",'
            f'"mp_lib":"web","mp_processing_time_ms":{t * 1000 + 2113},'
            f'"plan":"{("free", "team", "enterprise")[user % 3]}",'
            f'"session_id":"s-{user:06d}-{i % 17}"}}}}'
        )
        i += 1
        yield line.encode()


def write_day(path: Path, target_bytes: int) -> tuple[int, int]:
    """Gzip about `target_bytes` of lines to `path`, streaming. Returns (lines, raw bytes)."""
    lines = raw = 0
    batch: list[bytes] = []
    with gzip.open(path, "wb", compresslevel=6) as out:
        for line in event_lines():
            batch.append(line)
            raw += len(line) + 1
            lines += 1
            if len(batch) == 2000:
                out.write(b"\n".join(batch) + b"\n")
                batch = []
            if raw >= target_bytes:
                break
        if batch:
            out.write(b"\n".join(batch) + b"\n")
    return lines, raw


# ---- a loopback "Mixpanel" -----------------------------------------------------------------


def serve(path: str, port_queue: Any) -> None:
    """Child process: serve the gzipped day at /api/2.0/export until terminated."""
    body_path = Path(path)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if not self.path.startswith("/api/2.0/export"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(body_path.stat().st_size))
            self.end_headers()
            with body_path.open("rb") as body:
                while chunk := body.read(1024 * 1024):
                    self.wfile.write(chunk)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


# ---- measurements ------------------------------------------------------------------------


def consume(lines: Iterable[bytes]) -> tuple[int, int]:
    """What every consumer does at least: touch each line."""
    count = size = 0
    for line in lines:
        count += 1
        size += len(line) + 1
    return count, size


def timed(run: Callable[[], tuple[int, int]], repeats: int) -> dict[str, Any]:
    seconds = []
    count = size = 0
    for _ in range(repeats):
        started = time.perf_counter()
        count, size = run()
        seconds.append(time.perf_counter() - started)
    best = min(seconds)
    return {
        "lines": count,
        "bytes": size,
        "seconds": [round(s, 3) for s in seconds],
        "best_s": round(best, 3),
        "median_s": round(statistics.median(seconds), 3),
        "mb_per_s": round(size / 1e6 / best, 1),
        "events_per_s": round(count / best),
    }


def client_run(base_url: str) -> tuple[int, int]:
    account = ServiceAccount(
        username="bench", secret=SecretStr("bench-secret"), project_id=1, region=Region.US
    )
    with MixpanelClient(account, base_url=base_url) as client:
        return consume(client.export(DAY, DAY))


def gzip_memory_run(compressed: bytes) -> tuple[int, int]:
    def chunks() -> Iterator[bytes]:
        decoder = zlib.decompressobj(wbits=31)
        for start in range(0, len(compressed), READ_CHUNK):
            yield decoder.decompress(compressed[start : start + READ_CHUNK])
        yield decoder.flush()

    return consume(json_lines(chunks()))


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mb", type=int, default=256, help="uncompressed size of the day")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json.gz"
        started = time.perf_counter()
        n_lines, raw_bytes = write_day(path, args.mb * 1_000_000)
        generate_s = time.perf_counter() - started
        gz_bytes = path.stat().st_size
        rss_before = peak_rss_mb()

        ctx = mp.get_context("spawn")
        ports = ctx.Queue()
        server = ctx.Process(target=serve, args=(str(path), ports), daemon=True)
        server.start()
        try:
            base_url = f"http://127.0.0.1:{ports.get(timeout=60)}"
            client = timed(lambda: client_run(base_url), args.repeats)
        finally:
            server.terminate()
            server.join()
        rss_after_client = peak_rss_mb()

        compressed = path.read_bytes()
        gzip_memory = timed(lambda: gzip_memory_run(compressed), args.repeats)
        body = gzip.decompress(compressed)
        memory = timed(lambda: consume(body.splitlines()), args.repeats)

    assert client["lines"] == memory["lines"] == gzip_memory["lines"] == n_lines
    result = {
        "benchmark": "export_stream",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            # the machine is shared: a high load average means slower, noisier numbers
            "load_avg_1m_before": load_before,
        },
        "day": {
            "lines": n_lines,
            "uncompressed_mb": round(raw_bytes / 1e6, 1),
            "gzip_mb": round(gz_bytes / 1e6, 1),
            "avg_line_bytes": round(raw_bytes / n_lines),
            "generate_s": round(generate_s, 1),
        },
        "client_http": client,
        "memory_gzip_lines": gzip_memory,
        "memory_splitlines": memory,
        "client_vs_memory": round(client["best_s"] / memory["best_s"], 2),
        "peak_rss_mb": {
            "before_client": rss_before,
            "after_client": rss_after_client,
            "after_loading_body_in_memory": peak_rss_mb(),
        },
    }
    write_results(result, args.out)
    return result


def write_results(result: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "export_stream.json").write_text(json.dumps(result, indent=2) + "\n")
    day, rss = result["day"], result["peak_rss_mb"]
    rows = [
        ("client_http", "MixpanelClient.export() over loopback HTTP"),
        ("memory_gzip_lines", "same gzip bytes, in-process decode + line split"),
        ("memory_splitlines", "decompressed body in memory, bytes.splitlines()"),
    ]
    lines = [
        "# export_stream",
        "",
        f"{day['lines']:,} export lines, {day['uncompressed_mb']} MB uncompressed "
        f"({day['gzip_mb']} MB gzipped, {day['avg_line_bytes']} bytes a line); "
        f"{result['machine']['cpus']} CPUs (load average {result['machine']['load_avg_1m_before']}"
        f" before the run), Python {result['machine']['python']}, {result['when']}.",
        "",
        "| path | best s | MB/s | events/s |",
        "|---|---:|---:|---:|",
    ]
    for key, label in rows:
        r = result[key]
        lines.append(f"| {label} | {r['best_s']} | {r['mb_per_s']} | {r['events_per_s']:,} |")
    lines += [
        "",
        f"The client takes {result['client_vs_memory']}x the time of splitting the body "
        "already in memory.",
        f"Peak RSS: {rss['before_client']} MB before the client ran, "
        f"{rss['after_client']} MB after it streamed the day "
        f"({day['uncompressed_mb']} MB), {rss['after_loading_body_in_memory']} MB once the "
        "baseline loaded the body whole.",
        "",
    ]
    (out / "export_stream.md").write_text("\n".join(lines))


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
