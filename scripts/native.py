"""Build the ingest engine's C loop (`usage_analytics/ingest/_engine.c`).

    python -m scripts.native            # for this machine, next to the source (make install)
    python -m scripts.native --target aarch64-linux-gnu.2.17 --out DIR    # the Lambda layer's

The compiler is zig's C compiler from the `ziglang` wheel (a dev dependency): one
pip-installed toolchain that builds for this machine and cross-builds for the arm64 Lambda
functions against glibc 2.17 (manylinux2014), with no Docker and no system compiler. The
module uses only CPython's stable ABI (3.11+), so one build per architecture serves every
Python version from 3.11 on, and the headers of the Python running this script suffice.

The build embeds the source's digest (`_engine.SOURCE_DIGEST`); a test compares it with the
source, so a stale build fails the suite instead of testing old code.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "layers" / "common" / "usage_analytics" / "ingest" / "_engine.c"
MODULE = "_engine.abi3.so"
LAMBDA_TARGET = "aarch64-linux-gnu.2.17"  # the functions' arm64, manylinux2014's glibc
_MACHINES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


def source_digest() -> str:
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]


def host_target() -> str | None:
    """zig's target for this machine (Linux: glibc 2.17), or None to let zig decide."""
    machine = _MACHINES.get(platform.machine().lower())
    if sys.platform.startswith("linux") and machine:
        return f"{machine}-linux-gnu.2.17"
    return None


def build(out_dir: Path = SOURCE.parent, target: str | None = None) -> Path:
    """Compile the module into `out_dir` (written under a temporary name, then renamed, so
    a concurrent import never sees half a file). `target`: a zig target, default this
    machine's."""
    target = target or host_target()
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / MODULE
    tmp = out_dir / f".{MODULE}.{os.getpid()}.tmp"
    command = [
        sys.executable,
        "-m",
        "ziglang",
        "cc",
        *(["-target", target] if target else []),
        "-shared",
        "-fPIC",
        "-O2",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-Wno-unused-parameter",
        "-Wno-missing-field-initializers",
        f'-DSOURCE_DIGEST="{source_digest()}"',
        "-I",
        sysconfig.get_paths()["include"],
        "-o",
        str(tmp),
        str(SOURCE),
    ]
    if sys.platform == "darwin":  # Python symbols resolve at load time, as on Linux
        command.append("-Wl,-undefined,dynamic_lookup")
    subprocess.run(command, check=True)
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", help=f"a zig target, e.g. {LAMBDA_TARGET}")
    parser.add_argument("--out", type=Path, default=SOURCE.parent, help="output folder")
    args = parser.parse_args(argv)
    print(build(args.out, args.target))


if __name__ == "__main__":
    main()
