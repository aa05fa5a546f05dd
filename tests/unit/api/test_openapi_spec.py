"""The OpenAPI spec is generated from the resolver and committed: a stale copy fails."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from tests.unit.api.routes import ROUTES

ROOT = Path(__file__).resolve().parents[3]


def openapi_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "scripts_openapi", ROOT / "scripts" / "openapi.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_spec_is_what_the_resolver_generates() -> None:
    script = openapi_script()
    assert script.is_current(), "docs/openapi.json is stale: run `make openapi` and commit it"


def test_every_route_is_in_the_spec_with_the_error_shape_for_its_errors() -> None:
    spec = json.loads((ROOT / "docs" / "openapi.json").read_text())
    for route in ROUTES:
        path = "/v1/workspaces/{workspace_id}" + route.suffix
        operation = spec["paths"][path][route.method.lower()]
        for status in ("401", "403", "422"):
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorResponse"}


def test_the_documented_feature_cap_is_25() -> None:
    spec = json.loads((ROOT / "docs" / "openapi.json").read_text())
    features = spec["components"]["schemas"]["ConfigurationRequest"]["properties"][
        "tracked_features"
    ]
    assert (features["minItems"], features["maxItems"]) == (1, 25)
