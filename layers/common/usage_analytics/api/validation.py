"""Turning request-validation errors into the API's error shape.

Only each error's location, type and message are passed on, never its `input` (a
credentials body carries the secret). Malformed JSON is a 400; everything else a 422 whose
message names the first problem and whose details list them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from usage_analytics.api.errors import ApiError, BadRequest, Unprocessable

MAX_LISTED = 20


def validation_error(errors: Sequence[dict[str, Any]]) -> ApiError:
    if any(error.get("type") == "json_invalid" for error in errors):
        return BadRequest("The request body is not valid JSON.", code="malformed_json")
    listed = [_describe(error) for error in errors[:MAX_LISTED]]
    first = listed[0] if listed else {"field": "request", "message": "is invalid"}
    return Unprocessable(
        f"{first['field']}: {first['message']}",
        code="validation_error",
        details={"errors": listed, "count": len(errors)},
    )


def _describe(error: dict[str, Any]) -> dict[str, str]:
    field = ".".join(str(part) for part in error.get("loc", ())) or "request"
    kind = str(error.get("type", "invalid"))
    if kind == "extra_forbidden":
        message = "unknown field: remove it"
    elif kind == "missing":
        message = "required"
    else:
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return {"field": field, "type": kind, "message": message}
