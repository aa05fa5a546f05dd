"""The REST API's OpenAPI spec, generated from the resolver and committed.

    python -m scripts.openapi --write    # regenerate docs/openapi.json (make openapi)
    python -m scripts.openapi --check    # exit 1 when the committed file is stale

The test suite runs the check too (tests/unit/api/test_openapi_spec.py), so a route or
model change without a regenerated spec fails CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT / "docs" / "openapi.json"


def generate() -> dict[str, Any]:
    from functions.api.app import build_app

    spec: dict[str, Any] = json.loads(build_app().get_openapi_json_schema())
    spec["servers"] = [{"url": "/", "description": "API Gateway stage, or the local API server"}]
    return spec


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def is_current(path: Path = SPEC_PATH) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == render(generate())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.openapi", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help=f"write {SPEC_PATH.relative_to(ROOT)}")
    mode.add_argument("--check", action="store_true", help="fail when the committed spec is stale")
    args = parser.parse_args(argv)
    if args.write:
        SPEC_PATH.parent.mkdir(parents=True, exist_ok=True)
        SPEC_PATH.write_text(render(generate()), encoding="utf-8")
        print(f"wrote {SPEC_PATH.relative_to(ROOT)}")
        return 0
    if args.check:
        if is_current():
            print(f"{SPEC_PATH.relative_to(ROOT)} is current")
            return 0
        print(f"{SPEC_PATH.relative_to(ROOT)} is stale: run `make openapi`", file=sys.stderr)
        return 1
    sys.stdout.write(render(generate()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
