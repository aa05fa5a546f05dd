"""Build the common layer's folder without Docker: `build/layer/python/...`.

Our package is always copied fresh. Third-party wheels (manylinux aarch64, matching the
arm64 functions) are installed with pip only when asked, and cached by the hash of the
requirements so a second synth costs nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "layers" / "common" / "usage_analytics"
# The Lambda runtime ships boto3/botocore; pynamodb pulls botocore in again (~90 MB), so the
# copies pip installs are removed and the runtime's are used.
PROVIDED_BY_RUNTIME = ("boto3",)
PRUNED = ("boto3", "botocore", "s3transfer")


def runtime_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        req
        for req in project["dependencies"]
        if not req.replace(">", "=").split("=")[0].strip().startswith(PROVIDED_BY_RUNTIME)
    ]


def build_layer(out_dir: Path, *, with_dependencies: bool) -> Path:
    python_dir = out_dir / "python"
    python_dir.mkdir(parents=True, exist_ok=True)
    if with_dependencies:
        _install_wheels(out_dir, runtime_requirements())
    target = python_dir / "usage_analytics"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return out_dir


def _uv() -> str:
    """The pinned uv the Makefile bootstraps (a uv venv has no pip), else one on PATH."""
    bootstrapped = ROOT / ".tools" / "bin" / "uv"
    found = str(bootstrapped) if bootstrapped.exists() else shutil.which("uv")
    if not found:
        raise RuntimeError("bundling the layer needs uv: run `make install` first")
    return found


def _install_wheels(out_dir: Path, requirements: list[str]) -> None:
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:16]
    stamp = out_dir / f".deps-{digest}"
    if stamp.exists():
        return
    for old in out_dir.glob(".deps-*"):
        old.unlink()
    subprocess.run(
        [
            _uv(),
            "pip",
            "install",
            "--quiet",
            "--python-platform",
            "aarch64-manylinux2014",
            "--python-version",
            "3.12",
            "--only-binary",
            ":all:",
            "--target",
            str(out_dir / "python"),
            *requirements,
        ],
        check=True,
    )
    for pattern in PRUNED:
        for path in (out_dir / "python").glob(f"{pattern}*"):
            shutil.rmtree(path, ignore_errors=True)
    stamp.touch()
