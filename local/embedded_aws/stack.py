"""Start a moto server, deploy the synthesized stack into it, and hand out what was made."""

from __future__ import annotations

import io
import json
import logging
import os
import time
import urllib.request
import uuid
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.server import ThreadedMotoServer

from infra.contract import ENTRY_TAG
from local.embedded_aws.dispatch import Dispatcher
from local.embedded_aws.intrinsics import resolve
from local.embedded_aws.synth import LOCAL_ACCOUNT, LOCAL_REGION, Assembly, synthesize
from usage_analytics.settings import reset_settings

MOTO_CONFIG = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
}
_STATE_MACHINE_NAMES = {"Backfill": "backfill", "DailySync": "daily_sync", "Rematch": "rematch"}


class EmbeddedAws:
    """One per process: it sets the process's AWS environment and patches moto's Lambda."""

    def __init__(self) -> None:
        self._server: ThreadedMotoServer | None = None
        self._patch: Any = None
        self._saved_env: dict[str, str | None] = {}
        self.dispatcher = Dispatcher()
        self.endpoint = ""

    def start(self) -> EmbeddedAws:
        for noisy in ("werkzeug", "moto", "moto.stepfunctions"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message="Tried to parse AWS::")
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self._set_env(
            {
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_SESSION_TOKEN": "testing",
                "AWS_DEFAULT_REGION": LOCAL_REGION,
                "AWS_REGION": LOCAL_REGION,
                "AWS_ENDPOINT_URL": self.endpoint,
                # moto's state machine interpreter calls Lambda at localhost:$MOTO_PORT
                "MOTO_PORT": str(port),
                "POWERTOOLS_TRACE_DISABLED": "1",
                "POWERTOOLS_METRICS_NAMESPACE": "UsageAnalytics",
            }
        )
        request = urllib.request.Request(
            f"{self.endpoint}/moto-api/config",
            data=json.dumps(MOTO_CONFIG).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=10).read()
        dispatcher = self.dispatcher

        def invoke(
            backend: Any,
            function_name: str,
            qualifier: str | None,
            body: Any,
            headers: Any,
            response_headers: Any,
        ) -> bytes:
            fn = backend.get_function(function_name, qualifier)
            return dispatcher.invoke(fn, body, headers, response_headers)

        self._patch = mock.patch.object(LambdaSimpleBackend, "invoke", invoke)
        self._patch.start()
        return self

    def deploy(self, assembly: Assembly | None = None) -> LocalStack:
        return LocalStack.deploy(self, assembly or synthesize())

    def stop(self) -> None:
        if self._patch is not None:
            self._patch.stop()
            self._patch = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()
        reset_settings()

    def _set_env(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value
        reset_settings()

    def __enter__(self) -> EmbeddedAws:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class LocalStack:
    """The deployed stack: physical names by construct, state machines we can execute."""

    aws: EmbeddedAws
    assembly: Assembly
    physical: dict[str, str]  # logical id -> physical id
    paths: dict[str, str]  # construct path (without /Resource) -> logical id
    state_machines: dict[str, str] = field(
        default_factory=dict
    )  # backfill|daily_sync|rematch -> ARN
    environment: dict[str, str] = field(default_factory=dict)

    @classmethod
    def deploy(cls, aws: EmbeddedAws, assembly: Assembly) -> LocalStack:
        template = _provision_unsupported(assembly.template)
        _upload_assets(assembly)
        cfn = boto3.client("cloudformation")
        cfn.create_stack(
            StackName=assembly.stack_name,
            TemplateBody=json.dumps(template),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        )
        _wait_created(cfn, assembly.stack_name)
        resources = cfn.describe_stack_resources(StackName=assembly.stack_name)["StackResources"]
        physical = {
            r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
            for r in resources
            if "LogicalResourceId" in r
        }
        paths = {
            str(res.get("Metadata", {}).get("aws:cdk:path", "")).removesuffix("/Resource"): logical
            for logical, res in template["Resources"].items()
        }
        stack = cls(aws, assembly, physical, paths)
        aws.dispatcher.entries.update(_function_entries(template, physical))
        stack._create_state_machines()
        stack._adopt_function_environment()
        return stack

    # -- what tests and the CLI use --
    def function_name(self, construct_id: str) -> str:
        """`Api`, `BackfillDay`, ... -> the physical function name."""
        return self.physical[self.paths[f"{self.assembly.stack_name}/{construct_id}/Function"]]

    def start_execution(
        self, machine: str, payload: dict[str, Any], name: str | None = None
    ) -> str:
        # moto names unnamed executions "None", so a second one would collide: always name.
        return str(
            boto3.client("stepfunctions").start_execution(
                stateMachineArn=self.state_machines[machine],
                input=json.dumps(payload),
                name=name or f"{machine}-{uuid.uuid4().hex[:12]}",
            )["executionArn"]
        )

    def wait_execution(self, execution_arn: str, timeout_s: float = 300.0) -> dict[str, Any]:
        sfn = boto3.client("stepfunctions")
        deadline = time.monotonic() + timeout_s
        while True:
            description = sfn.describe_execution(executionArn=execution_arn)
            if description["status"] != "RUNNING":
                return dict(description)
            if time.monotonic() > deadline:
                raise TimeoutError(f"execution still running after {timeout_s}s: {execution_arn}")
            time.sleep(0.1)

    def run(
        self, machine: str, payload: dict[str, Any], timeout_s: float = 300.0
    ) -> dict[str, Any]:
        return self.wait_execution(self.start_execution(machine, payload), timeout_s)

    def fire_schedule(self, rule_construct_id: str) -> str:
        """What EventBridge does at the rule's time (moto does not fire schedules)."""
        logical = self.paths[f"{self.assembly.stack_name}/{rule_construct_id}"]
        target = self.assembly.template["Resources"][logical]["Properties"]["Targets"][0]
        machine_logical = target["Arn"]["Ref"]
        machine = next(
            key
            for key, arn in self.state_machines.items()
            if arn == self._state_machine_arn(machine_logical)
        )
        return self.start_execution(machine, json.loads(target.get("Input", "{}")))

    # -- deployment details --
    def _lookup(self, logical: str, attribute: str | None) -> str:
        res_type = self.assembly.template["Resources"][logical]["Type"]
        name = self.physical[logical]
        if res_type == "AWS::Lambda::Function":
            return f"arn:aws:lambda:{LOCAL_REGION}:{LOCAL_ACCOUNT}:function:{name}"
        if res_type == "AWS::IAM::Role":
            return f"arn:aws:iam::{LOCAL_ACCOUNT}:role/{name}"
        if res_type == "AWS::StepFunctions::StateMachine":
            return self._state_machine_arn(logical)
        return name

    def _state_machine_arn(self, logical: str) -> str:
        name = self.physical[logical]
        return (
            name
            if name.startswith("arn:")
            else (f"arn:aws:states:{LOCAL_REGION}:{LOCAL_ACCOUNT}:stateMachine:{name}")
        )

    def _create_state_machines(self) -> None:
        """CloudFormation-made state machines are invisible to moto's executing backend, so
        each is created again through the Step Functions API, same name, same definition."""
        sfn = boto3.client("stepfunctions")
        pseudo = {
            "AWS::Partition": "aws",
            "AWS::Region": LOCAL_REGION,
            "AWS::AccountId": LOCAL_ACCOUNT,
            "AWS::URLSuffix": "amazonaws.com",
        }
        for path, logical in self.paths.items():
            resource = self.assembly.template["Resources"].get(logical, {})
            if resource.get("Type") != "AWS::StepFunctions::StateMachine":
                continue
            key = _STATE_MACHINE_NAMES[path.rsplit("/", 1)[-1]]
            props = resource["Properties"]
            definition = json.loads(resolve(props["DefinitionString"], self._lookup, pseudo))
            _moto_compatible(definition)
            arn = self._state_machine_arn(logical)
            name = arn.rsplit(":", 1)[-1]
            created = sfn.create_state_machine(
                name=name,
                definition=json.dumps(definition),
                roleArn=resolve(props["RoleArn"], self._lookup, pseudo),
                type="STANDARD",
            )
            self.state_machines[key] = created["stateMachineArn"]

    def _adopt_function_environment(self) -> None:
        """Handlers run in this process, so the process gets the functions' environment
        (table names, bus, state machine ARNs...). Values agree across functions."""
        lam = boto3.client("lambda")
        merged: dict[str, str] = {}
        for page in lam.get_paginator("list_functions").paginate():
            for fn in page["Functions"]:
                merged.update(fn.get("Environment", {}).get("Variables", {}))
        merged.pop("POWERTOOLS_SERVICE_NAME", None)
        self.environment = merged
        self.aws._set_env(merged)


def _function_entries(template: dict[str, Any], physical: dict[str, str]) -> dict[str, str]:
    entries = {}
    for logical, res in template["Resources"].items():
        if res["Type"] == "AWS::Lambda::Function":
            tags = {t["Key"]: t["Value"] for t in res["Properties"].get("Tags", [])}
            if ENTRY_TAG in tags:
                entries[physical[logical]] = tags[ENTRY_TAG]
    return entries


def _provision_unsupported(template: dict[str, Any]) -> dict[str, Any]:
    """moto's CloudFormation skips some resource types, leaving references to them empty.
    Those resources are made through their own API first and every reference to them
    replaced by the real ARN, so the rest of the template deploys unchanged."""
    resources = _without_api_gateway(template["Resources"])
    made: dict[str, str] = {}
    for logical, res in list(resources.items()):
        if res["Type"] == "AWS::SecretsManager::Secret":
            props = res.get("Properties", {})
            made[logical] = boto3.client("secretsmanager").create_secret(
                Name=f"local/{logical}",
                Description=props.get("Description", ""),
                SecretString=os.urandom(32).hex(),
            )["ARN"]
            del resources[logical]
        elif res["Type"] == "AWS::Events::EventBus":
            # moto resolves a bus's Ref to an object, not its name (which CloudFormation returns)
            made[logical] = res["Properties"]["Name"]

    def substitute(value: Any) -> Any:
        if isinstance(value, dict):
            if len(value) == 1 and value.get("Ref") in made:
                return made[value["Ref"]]
            return {k: substitute(v) for k, v in value.items()}
        if isinstance(value, list):
            return [substitute(v) for v in value]
        return value

    outputs = {
        k: v
        for k, v in template.get("Outputs", {}).items()
        if all(f'"{d}"' not in json.dumps(v) for d in set(template["Resources"]) - set(resources))
    }
    return {**template, "Resources": substitute(resources), "Outputs": substitute(outputs)}


def _without_api_gateway(resources: dict[str, Any]) -> dict[str, Any]:
    """API Gateway is played locally by our own HTTP server (local.api_server) in front of
    the same handler and authorizer; moto cannot run its proxy integrations, so its
    resources, and whatever refers only to them (invoke permissions), are left out."""
    dropped = {k for k, r in resources.items() if r["Type"].startswith("AWS::ApiGateway::")}
    while True:
        more = {
            k
            for k, r in resources.items()
            if k not in dropped and any(f'"{d}"' in json.dumps(r) for d in dropped)
        }
        if not more:
            return {k: r for k, r in resources.items() if k not in dropped}
        dropped |= more


def _moto_compatible(definition: dict[str, Any]) -> None:
    """moto's ASL parser rejects an integer ToleratedFailurePercentage (100); 100.0 parses."""
    for state in definition.get("States", {}).values():
        if "ToleratedFailurePercentage" in state:
            state["ToleratedFailurePercentage"] = float(state["ToleratedFailurePercentage"])
        for nested in ("ItemProcessor", "Iterator"):
            if nested in state:
                _moto_compatible(state[nested])


def _upload_assets(assembly: Assembly) -> None:
    s3 = boto3.client("s3")
    made: set[str] = set()
    for asset in assembly.assets.get("files", {}).values():
        source = assembly.directory / asset["source"]["path"]
        body = _zip_dir(source) if source.is_dir() else source.read_bytes()
        for destination in asset["destinations"].values():
            bucket = _sub(destination["bucketName"])
            if bucket not in made:
                s3.create_bucket(Bucket=bucket)
                made.add(bucket)
            s3.put_object(Bucket=bucket, Key=_sub(destination["objectKey"]), Body=body)


def _sub(text: str) -> str:
    return text.replace("${AWS::AccountId}", LOCAL_ACCOUNT).replace("${AWS::Region}", LOCAL_REGION)


def _zip_dir(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder))
    return buffer.getvalue()


def _wait_created(cfn: Any, name: str) -> None:
    for _ in range(600):
        status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
        if status.endswith("_COMPLETE") or status.endswith("_FAILED"):
            break
        time.sleep(0.1)
    if status != "CREATE_COMPLETE":
        events = cfn.describe_stack_events(StackName=name)["StackEvents"]
        reasons = [e.get("ResourceStatusReason") for e in events if "FAILED" in e["ResourceStatus"]]
        raise RuntimeError(f"local stack {name} ended {status}: {reasons[:5]}")
