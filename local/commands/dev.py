"""`usage-analytics dev`: everything on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading

from local.cli import arg, command
from local.dev_session import DEV_WORKSPACE, start_dev_session


@command(
    "dev",
    "start the embedded AWS, the local API on 127.0.0.1:PORT and the Mixpanel simulator "
    "(or use $MIXPANEL_BASE_URL); runs until Ctrl-C",
    arg("--port", type=int, default=8080, help="local API port (0 picks a free one)"),
    arg("--workspace", default=DEV_WORKSPACE, help="workspace for the printed dev tokens"),
)
def dev(args: argparse.Namespace) -> int:
    print("starting the embedded AWS and deploying the stack (about 20 s)...", flush=True)
    session = start_dev_session(port=args.port, workspace_id=args.workspace)
    print(session.describe(), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        session.stop()
    return 0
