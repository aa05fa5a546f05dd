"""Decoding export lines into just the fields the engine reads, and naming what is wrong.

A Mixpanel export line carries dozens of properties (browser, city, URL...). A msgspec
Struct that declares only the handful we read lets msgspec skip the rest without building
Python objects for them, which is most of the speed. The account property's name is
configurable, so the Struct is built per config (`defstruct`).

A line that does not decode into that Struct is looked at again, generically, only to name
what is wrong with it (`malformed_reason`): bad lines are rare, so their cost is irrelevant,
and the good lines around them still count. (Batching lines into one `decode_lines` call
was measured and is no faster than one `decode` per line.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import msgspec

TERMINATED_EARLY = b"terminated early"


class ExportTerminatedEarly(RuntimeError):
    """Mixpanel ended a 200 response with `terminated early`: the day is incomplete."""


NonEmptyStr = Annotated[str, msgspec.Meta(min_length=1)]


def event_type(account_property: str) -> type[msgspec.Struct]:
    """A Struct type for `{"event": ..., "properties": {...}}` reading only what we use.

    The account property is typed `Any` because a value of an odd type (an object, a bool)
    is not a malformed event, only an event without an account.
    """
    properties = msgspec.defstruct(
        "ExportProperties",
        [
            ("time", int | float),
            ("distinct_id", str | int | None, None),
            ("insert_id", str | None, msgspec.field(name="$insert_id", default=None)),
            ("account", Any, msgspec.field(name=account_property, default=None)),
            (
                "original_event",
                str | None,
                msgspec.field(name="mp_original_event_name", default=None),
            ),
            (
                "original_distinct_id",
                str | int | None,
                msgspec.field(name="mp_original_distinct_id", default=None),
            ),
        ],
        gc=False,
    )
    return msgspec.defstruct(
        "ExportEvent", [("event", NonEmptyStr), ("properties", properties)], gc=False
    )


def _property_reason(props: dict[str, Any]) -> str:
    time = props.get("time")
    if time is None:
        return "missing_time"
    if time.__class__ not in (int, float):
        return "bad_time"
    if props.get("distinct_id").__class__ not in (str, int, type(None)):
        return "bad_distinct_id"
    if props.get("$insert_id").__class__ not in (str, type(None)):
        return "bad_insert_id"
    return "bad_field_type"


def malformed_reason(line: bytes) -> str:
    """Why a line that failed typed decoding is not an event: a short, stable reason code."""
    try:
        obj = msgspec.json.decode(line)
    except msgspec.DecodeError:
        return "invalid_json"
    if not isinstance(obj, dict):
        return "not_an_object"
    if "event" not in obj or obj["event"] is None:
        return "missing_event"
    if not isinstance(obj["event"], str) or not obj["event"]:
        return "bad_event"
    if "properties" not in obj or obj["properties"] is None:
        return "missing_properties"
    if not isinstance(obj["properties"], dict):
        return "bad_properties"
    return _property_reason(obj["properties"])


class LineDecoder:
    """Decodes one line into an event; names what is wrong with a line that is not one."""

    def __init__(self, account_property: str) -> None:
        self.type = event_type(account_property)
        # line -> event; raises msgspec.DecodeError for anything that is not an event
        self.decode: Callable[[bytes], Any] = msgspec.json.Decoder(self.type).decode

    def reason(self, line: bytes) -> str:
        """Why `decode` refused this line: `blank_line` or a malformed reason code.

        Raises ExportTerminatedEarly for Mixpanel's end-of-stream failure marker: a day
        with that line must fail (and be retried), never be written short.
        """
        stripped = line.strip()
        if not stripped:
            return "blank_line"
        if stripped == TERMINATED_EARLY:
            raise ExportTerminatedEarly(
                "the export ended with 'terminated early': the day is incomplete, retry it"
            )
        return malformed_reason(line)
