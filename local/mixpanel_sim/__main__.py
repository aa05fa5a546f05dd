"""`python -m local.mixpanel_sim`: run the Mixpanel simulator in the foreground.

    python -m local.mixpanel_sim --port 8765 --seed 7 --scenario default
    MIXPANEL_BASE_URL=http://127.0.0.1:8765   # then point the service at it

Credentials default to the published dev pair (`config.DEV_USERNAME` / `config.DEV_SECRET`);
they are not secrets and open nothing outside this process. The secret is never printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from local.mixpanel_sim.config import DEV_SECRET, DEV_USERNAME, UNLIMITED, Limits, SimConfig
from local.mixpanel_sim.scenarios import SCENARIOS, scenario_config
from local.mixpanel_sim.server import SimulatorHandle, start_simulator
from local.mixpanel_sim.spec import DEFAULT_SEED, DEV_PROJECT_ID

DEFAULT_PORT = 8765


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m local.mixpanel_sim",
        description="Mixpanel simulator: export, query and app APIs over a synthetic project.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="default")
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="the simulator's today (default: $USAGE_ANALYTICS_TODAY, else the UTC date)",
    )
    parser.add_argument("--accounts", type=int, default=None)
    parser.add_argument("--days", type=int, default=None)
    parser.add_argument("--region", choices=("US", "EU", "IN"), default="US")
    parser.add_argument("--project-id", type=int, default=DEV_PROJECT_ID)
    parser.add_argument("--username", default=DEV_USERNAME)
    parser.add_argument(
        "--secret",
        default=DEV_SECRET,
        help="service-account secret (default: the published dev secret)",
    )
    parser.add_argument(
        "--hourly-limit",
        type=int,
        default=None,
        help="export and query requests per hour (0: no hourly limit)",
    )
    parser.add_argument("--no-rate-limits", action="store_true", help="switch every limit off")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        type=json.loads,
        help='arm a fault at start, e.g. \'{"kind": "http_error", "count": 2}\'',
    )
    return parser


def config_from_args(args: argparse.Namespace, environ: dict[str, str] | None = None) -> SimConfig:
    environ = dict(os.environ) if environ is None else environ
    today = args.today
    if today is None and environ.get("USAGE_ANALYTICS_TODAY"):
        today = dt.date.fromisoformat(environ["USAGE_ANALYTICS_TODAY"])
    config = scenario_config(
        args.scenario,
        seed=args.seed,
        today=today,
        region=args.region,
        accounts=args.accounts,
        days=args.days,
        project_id=args.project_id,
    )
    config = replace(
        config,
        host=args.host,
        port=args.port,
        username=args.username,
        secret=args.secret,
        faults=(*config.faults, *args.fault),
    )
    if args.no_rate_limits:
        config = replace(config, export_limits=UNLIMITED, query_limits=UNLIMITED)
    elif args.hourly_limit is not None:
        hourly = args.hourly_limit or None
        config = replace(
            config,
            export_limits=_hourly(config.export_limits, hourly),
            query_limits=_hourly(config.query_limits, hourly),
        )
    return config


def _hourly(limits: Limits, per_hour: int | None) -> Limits:
    return Limits(per_hour=per_hour, per_second=limits.per_second, concurrent=limits.concurrent)


def main(
    argv: Sequence[str] | None = None,
    *,
    ready: Callable[[SimulatorHandle], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Run until Ctrl-C (or until `stop` is set, for callers embedding it)."""
    args = build_parser().parse_args(argv)
    config = config_from_args(args)
    handle = start_simulator(config)
    spec = config.project
    print(
        f"Mixpanel simulator ({args.scenario}) on {handle.base_url}\n"
        f"  project_id={spec.project_id} region={spec.region} timezone={spec.timezone} "
        f"export days={spec.export_frame} today={spec.today} seed={spec.seed}\n"
        f"  service account username={config.username} (secret: "
        f"{'dev default' if config.secret == DEV_SECRET else 'from --secret'})\n"
        f"  control: {handle.base_url}/_sim/health, /_sim/faults, /_sim/requests",
        flush=True,
    )
    if ready is not None:
        ready(handle)
    waiter = stop or threading.Event()
    try:
        while not waiter.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        handle.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
