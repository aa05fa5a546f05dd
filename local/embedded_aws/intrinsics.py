"""Resolve the CloudFormation intrinsics that appear in our state machine definitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Lookup = Callable[[str, str | None], str]  # (logical id, attribute or None for Ref) -> value


def resolve(value: Any, lookup: Lookup, pseudo: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [resolve(v, lookup, pseudo) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref":
            return pseudo[arg] if arg in pseudo else lookup(arg, None)
        if key == "Fn::GetAtt":
            logical, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
            return lookup(logical, attribute)
        if key == "Fn::Join":
            separator, parts = arg
            return separator.join(str(resolve(p, lookup, pseudo)) for p in parts)
        if key == "Fn::Select":
            index, items = arg
            return resolve(items, lookup, pseudo)[int(index)]
        if key == "Fn::Split":
            separator, text = arg
            return str(resolve(text, lookup, pseudo)).split(separator)
        if key == "Fn::Sub" and isinstance(arg, str):
            text = arg
            for name, val in pseudo.items():
                text = text.replace("${" + name + "}", val)
            return text
    return {k: resolve(v, lookup, pseudo) for k, v in value.items()}
