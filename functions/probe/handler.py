"""Placeholder: filled in by its issue."""


def handler(event: dict, context: object) -> dict:
    raise NotImplementedError("functions/probe/handler")
