"""One factory for every Lambda function: Python 3.12 on arm64, the common layer, its own
log group and role, X-Ray, and the environment every handler reads its settings from.

Roles start empty (no managed policy): each caller grants exactly what the function uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aws_cdk import Duration, RemovalPolicy, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.contract import ENTRY_TAG
from infra.layer_build import ROOT


@dataclass(frozen=True)
class FunctionSpec:
    id: str
    folder: str  # under functions/
    module: str  # module in that folder; handler is <module>.handler
    description: str
    timeout_seconds: int = 60
    memory_mb: int = 512
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def entry(self) -> str:
        return f"functions.{self.folder}.{self.module}:handler"


class FunctionFactory:
    def __init__(
        self,
        scope: Construct,
        *,
        layer: lambda_.ILayerVersion,
        common_env: Mapping[str, str],
        log_retention: logs.RetentionDays,
    ) -> None:
        self._scope = scope
        self._layer = layer
        self._common_env = dict(common_env)
        self._retention = log_retention
        self.functions: dict[str, lambda_.Function] = {}
        self.log_groups: dict[str, logs.LogGroup] = {}

    def build(self, spec: FunctionSpec) -> lambda_.Function:
        scope = Construct(self._scope, spec.id)
        log_group = logs.LogGroup(
            scope, "Logs", retention=self._retention, removal_policy=RemovalPolicy.DESTROY
        )
        role = iam.Role(
            scope,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{spec.id}: only what this function uses",
        )
        log_group.grant_write(role)
        function = lambda_.Function(
            scope,
            "Function",
            runtime=lambda_.Runtime.PYTHON_3_12,
            architecture=lambda_.Architecture.ARM_64,
            code=lambda_.Code.from_asset(
                str(ROOT / "functions" / spec.folder),
                exclude=["__pycache__", "*.pyc", "__init__.py"],
            ),
            handler=f"{spec.module}.handler",
            layers=[self._layer],
            role=role,
            log_group=log_group,
            timeout=Duration.seconds(spec.timeout_seconds),
            memory_size=spec.memory_mb,
            tracing=lambda_.Tracing.ACTIVE,
            description=spec.description,
            environment={
                **self._common_env,
                "POWERTOOLS_SERVICE_NAME": f"usage-analytics-{spec.folder}",
                **spec.env,
            },
        )
        Tags.of(function).add(ENTRY_TAG, spec.entry)
        self.functions[spec.id] = function
        self.log_groups[spec.id] = log_group
        return function
