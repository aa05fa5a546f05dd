"""Build the common layer's folder without Docker: `build/layer/python/...`.

Our package is always copied fresh, with the ingest engine's C loop built for arm64 when
the layer is bundled for deployment (`scripts/native.py`; a build for this machine, if
any, is never copied). Third-party wheels (manylinux aarch64, matching the arm64
functions) are installed with pip only when asked, and cached by the hash of the
requirements so a second synth costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tomllib
import uuid
from pathlib import Path

from scripts import native

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


def build_layer(kind_dir: Path, *, with_dependencies: bool) -> Path:
    """The layer folder for the current sources (and wheels), content-addressed: built once
    into a temporary folder and renamed into place, so concurrent synths (test workers)
    never see a half-written folder, and an unchanged layer costs nothing."""
    requirements = runtime_requirements() if with_dependencies else []
    deps = _digest("\n".join(requirements).encode()) if with_dependencies else "nodeps"
    final = kind_dir / f"{deps}-{_source_digest()}"
    if final.exists():
        return final
    tmp = kind_dir / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    if with_dependencies:
        wheels = _install_wheels(kind_dir.parent / "layer-wheels" / deps, requirements)
        shutil.copytree(wheels, tmp / "python", copy_function=os.link)
    package = tmp / "python" / "usage_analytics"
    shutil.copytree(
        SOURCE, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "*.c")
    )
    if with_dependencies:
        native.build(package / "ingest", target=native.LAMBDA_TARGET)
    try:
        tmp.rename(final)
    except OSError:  # another process built the same content first
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted([*SOURCE.rglob("*.py"), *SOURCE.rglob("*.c")]):
        digest.update(str(path.relative_to(SOURCE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _uv() -> str:
    """The pinned uv the Makefile bootstraps (a uv venv has no pip), else one on PATH."""
    bootstrapped = ROOT / ".tools" / "bin" / "uv"
    found = str(bootstrapped) if bootstrapped.exists() else shutil.which("uv")
    if not found:
        raise RuntimeError("bundling the layer needs uv: run `make install` first")
    return found


def _install_wheels(target: Path, requirements: list[str]) -> Path:
    """manylinux aarch64 wheels for the arm64 functions, installed once per requirement set."""
    if target.exists():
        return target
    tmp = target.with_name(f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
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
            str(tmp),
            *requirements,
        ],
        check=True,
    )
    for pattern in PRUNED:
        for path in tmp.glob(f"{pattern}*"):
            shutil.rmtree(path, ignore_errors=True)
    try:
        tmp.rename(target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
