"""`usage-analytics`: the local command line (dev only, never shipped to Lambda).

    usage-analytics dev [--port N]          embedded AWS + local API + Mixpanel simulator
    usage-analytics token --workspace W --role owner|admin|member
    usage-analytics sim ...                 the Mixpanel simulator alone

A subcommand is one decorated function in a module of `local/commands/` (found
automatically):

    @command("hello", "say hello", arg("--name", default="world"))
    def hello(args: argparse.Namespace) -> int:
        print(f"hello {args.name}")
        return 0
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Run = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Arg:
    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Run
    arguments: tuple[Arg, ...] = ()
    passthrough: bool = False  # hand every remaining argument to `run` as args.rest


COMMANDS: dict[str, Command] = {}


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


def command(
    name: str, help: str, *arguments: Arg, passthrough: bool = False
) -> Callable[[Run], Run]:
    def register(run: Run) -> Run:
        COMMANDS[name] = Command(name, help, run, arguments, passthrough)
        return run

    return register


def _discover() -> None:
    import local.commands as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")


def build_parser() -> argparse.ArgumentParser:
    _discover()
    parser = argparse.ArgumentParser(
        prog="usage-analytics", description="Mixpanel usage analytics, locally."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in sorted(COMMANDS):
        spec = COMMANDS[name]
        sub = subparsers.add_parser(name, help=spec.help, description=spec.help,
                                    add_help=not spec.passthrough)  # fmt: skip
        for argument in spec.arguments:
            sub.add_argument(*argument.flags, **argument.options)
        if spec.passthrough:
            sub.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in COMMANDS and COMMANDS[argv[0]].passthrough:
        # argparse would read a leading option (`sim --help`) as its own
        return COMMANDS[argv[0]].run(argparse.Namespace(command=argv[0], rest=argv[1:]))
    args = parser.parse_args(argv)
    return COMMANDS[args.command].run(args)


if __name__ == "__main__":
    # `python -m local.cli`: the command modules register into `local.cli`, not `__main__`.
    from local.cli import main as registered_main

    raise SystemExit(registered_main())
