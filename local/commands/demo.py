"""`usage-analytics demo` (what `make demo` runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from local.cli import arg, command


@command(
    "demo",
    "the whole job on one machine: wizard over HTTP, 30-day backfill, daily sync, rematch, report",
    arg("--accounts", type=int, default=80, help="accounts in the simulated project"),
    arg("--out", type=Path, default=Path("demo-output"), help="folder for the PNG chart"),
    arg("--json", type=Path, default=None, help="also write the numbers shown to this file"),
)
def demo(args: argparse.Namespace) -> int:
    from local.demo import run_demo

    result = run_demo(accounts=args.accounts, out_dir=args.out)
    if args.json is not None:
        args.json.write_text(result.to_json())
    return 0
