"""The common layer: the domain library (+ its wheels when bundling) as one asset."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.layer_build import ROOT, build_layer


def common_layer(scope: Construct, *, bundle_dependencies: bool) -> lambda_.LayerVersion:
    kind = "layer-full" if bundle_dependencies else "layer-source"
    out_dir = build_layer(ROOT / "build" / kind, with_dependencies=bundle_dependencies)
    return lambda_.LayerVersion(
        scope,
        "CommonLayer",
        code=lambda_.Code.from_asset(str(Path(out_dir))),
        compatible_runtimes=[lambda_.Runtime.PYTHON_3_12],
        compatible_architectures=[lambda_.Architecture.ARM_64],
        description="usage_analytics domain library and its dependencies",
    )
