"""`make bench`: every benchmark in turn; each writes its results to benchmarks/results/.

`--quick` runs smaller inputs (a smoke run, not numbers to publish).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

BENCHMARKS = {
    "ingest": (["--events", "200000", "--rss-events", "300000"], []),
    "export_stream": (["--mb", "32", "--repeats", "1"], []),
    "sim_export": (["--events", "100000", "--accounts", "500"], []),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke run")
    parser.add_argument("only", nargs="*", choices=[*BENCHMARKS, []], help="benchmarks to run")
    args = parser.parse_args(argv)
    failed = []
    for name, (quick_args, full_args) in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        command = [
            sys.executable,
            "-m",
            f"benchmarks.{name}",
            *(quick_args if args.quick else full_args),
        ]
        print(f"== {name}: {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(name)
        print(f"== {name} took {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
