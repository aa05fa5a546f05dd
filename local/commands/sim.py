"""`usage-analytics sim ...`: the Mixpanel simulator alone (see `python -m local.mixpanel_sim`)."""

from __future__ import annotations

import argparse

from local.cli import command


@command("sim", "run the Mixpanel simulator (sim --help for its options)", passthrough=True)
def sim(args: argparse.Namespace) -> int:
    from local.mixpanel_sim.__main__ import main

    return main(list(args.rest))
