"""API Lambda: the REST API's resolver (see app.py); built once per cold start."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

# The folder is the code root in Lambda (`app`), a package in the repository.
_app = importlib.import_module(f"{__name__.rpartition('.')[0]}.app".lstrip("."))


@cache
def app() -> APIGatewayRestResolver:
    return _app.build_app()


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _app.log().set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    return _app.resolve(app(), event, context)
