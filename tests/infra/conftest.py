from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The cloud template (not the local one), synthesized once with cdk-nag active."""
    from aws_cdk.assertions import Template

    from infra.app import build_app

    app = build_app(
        outdir=str(tmp_path_factory.mktemp("cdk")), context={"bundle_dependencies": False}
    )
    stack = app.node.find_child("UsageAnalytics")
    return Template.from_stack(stack)  # synthesizes: a nag finding would raise here


@pytest.fixture(scope="session")
def resources(template: Any) -> dict[str, Any]:
    return dict(template.to_json()["Resources"])


def definition_of(resources: dict[str, Any], machine: str) -> dict[str, Any]:
    """Resolve a state machine's DefinitionString into JSON (function ARNs left as markers)."""
    for logical, res in resources.items():
        if res["Type"] == "AWS::StepFunctions::StateMachine" and logical.startswith(machine):
            parts = res["Properties"]["DefinitionString"]["Fn::Join"][1]
            text = "".join(
                p if isinstance(p, str) else json.dumps(json.dumps(p))[1:-1] for p in parts
            )
            return dict(json.loads(text))
    raise KeyError(machine)
