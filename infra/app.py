"""CDK app entry point: `python -m infra.app` (cdk.json points here)."""

from __future__ import annotations

import os
import sys

import aws_cdk as cdk

from infra.config import StackConfig
from infra.stack import UsageAnalyticsStack


def build_app(outdir: str | None = None, context: dict[str, object] | None = None) -> cdk.App:
    """Build (not synthesize) the app; tests and the embedded AWS call this directly."""
    app = cdk.App(outdir=outdir, context=context or {})
    config = StackConfig.from_context(app)
    synthesizer = (
        cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False) if config.local else None
    )
    UsageAnalyticsStack(
        app,
        config.stack_name,
        config=config,
        synthesizer=synthesizer,
        env=cdk.Environment(account=config.account, region=config.region),
    )
    return app


def main() -> int:
    try:
        build_app(outdir=os.environ.get("CDK_OUTDIR")).synth()
    except Exception as exc:  # ValidationFailed from cdk-nag, or a bad context value
        print(f"synth failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
