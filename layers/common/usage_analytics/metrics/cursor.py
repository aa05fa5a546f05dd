"""Opaque pagination cursors: base64url JSON naming what was asked and where to resume.

A cursor carries only the resume position (an account id and its sort value), never a
table key: the repository rebuilds the key inside the caller's own workspace partition,
so an edited cursor can at worst skip rows of that workspace, never reach another's. A
cursor from another listing (another sort or order) is refused rather than misread.
"""

from __future__ import annotations

import base64
import binascii
import json
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from usage_analytics.accounts.model import ACCOUNT_ID_PATTERN

MAX_CURSOR_CHARS = 1024


class InvalidCursor(ValueError):
    """The cursor was not issued by this listing (or was altered)."""


class TablePosition(BaseModel):
    """Where the next table page starts: after `account_id` with sort value `value`, in
    phase `values` (accounts with a value) or `nulls` (those without, which come last)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["table"] = "table"
    sort: str
    order: str
    phase: Literal["values", "nulls"]
    account_id: str | None = Field(default=None, pattern=ACCOUNT_ID_PATTERN)
    value: str | None = None

    @field_validator("value")
    @classmethod
    def _finite_number(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError("not a number") from None
        if not number.is_finite():
            raise ValueError("not a finite number")
        return value

    @property
    def number(self) -> Decimal | None:
        return None if self.value is None else Decimal(self.value)


class SignalPosition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["signals"] = "signals"
    after: str = Field(pattern=r"^\d{4}-W\d{2}#[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$")


def encode(position: BaseModel) -> str:
    raw = json.dumps(position.model_dump(exclude_none=True), separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _payload(text: str) -> Any:
    if not text or len(text) > MAX_CURSOR_CHARS:
        raise InvalidCursor("cursor has the wrong length")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor("cursor is not one this API issued") from None


def decode_table(text: str, *, sort: str, order: str) -> TablePosition:
    try:
        position = TablePosition.model_validate(_payload(text))
    except ValidationError:
        raise InvalidCursor("cursor is not one this API issued") from None
    if (position.sort, position.order) != (sort, order):
        raise InvalidCursor(
            f"cursor belongs to sort={position.sort}&order={position.order}; "
            "start again without a cursor after changing the sort"
        )
    return position


def decode_signals(text: str) -> SignalPosition:
    try:
        return SignalPosition.model_validate(_payload(text))
    except ValidationError:
        raise InvalidCursor("cursor is not one this API issued") from None
