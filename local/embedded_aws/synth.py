"""Synthesize the CDK app for the embedded AWS, cached by a hash of what shapes the template."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.layer_build import ROOT

LOCAL_ACCOUNT = "123456789012"
LOCAL_REGION = "us-east-1"
LOCAL_CONTEXT = {
    "local": True,
    "bundle_dependencies": False,
    # construct paths in the template let the embedded AWS find resources by name
    "aws:cdk:enable-path-metadata": True,
    # moto runs every Distributed Map child as a thread of this one process: fewer at once
    # keeps a local run of hundreds of workspaces from thrashing two cores
    "daily_sync_max_concurrency": 8,
}
_SOURCES = ("infra", "functions", "layers/common/usage_analytics")


@dataclass(frozen=True)
class Assembly:
    directory: Path
    stack_name: str

    @property
    def template(self) -> dict[str, Any]:
        return json.loads((self.directory / f"{self.stack_name}.template.json").read_text())

    @property
    def assets(self) -> dict[str, Any]:
        return json.loads((self.directory / f"{self.stack_name}.assets.json").read_text())


def _fingerprint(context: dict[str, object]) -> str:
    digest = hashlib.sha256(json.dumps(context, sort_keys=True).encode())
    for folder in _SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    digest.update((ROOT / "cdk.json").read_bytes())
    return digest.hexdigest()[:16]


def synthesize(extra_context: dict[str, object] | None = None) -> Assembly:
    """Synthesize (about 15 s) unless an identical assembly is already cached in build/."""
    context = {**_cdk_json_context(), **LOCAL_CONTEXT, **(extra_context or {})}
    out = ROOT / "build" / "cdk.local" / _fingerprint(context)
    stack_name = str(context.get("stack_name", "UsageAnalytics"))
    if not (out / "manifest.json").exists():
        os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
        from infra.app import build_app  # imported late: loading aws-cdk-lib takes seconds

        tmp = out.with_name(out.name + f".tmp{os.getpid()}")
        build_app(outdir=str(tmp), context=context).synth()
        # another process may have won the race: its assembly is identical
        with contextlib.suppress(OSError):
            tmp.rename(out)
    return Assembly(out, stack_name)


def _cdk_json_context() -> dict[str, object]:
    return dict(json.loads((ROOT / "cdk.json").read_text()).get("context", {}))
