"""Turning a raw account property (whatever JSON put there) into account values.

SPEC "Attributing events to accounts": the value is a string, a number (as its decimal
string) or a list of them (each distinct element once); missing, null, empty and
whitespace-only values attribute the event to no account; values are trimmed.

Numbers: JSON does not distinguish 42 from 42.0 and JavaScript SDKs send 42 for both, while
Python SDKs may send 42.0 for a float column. A CRM id 42 must match either way, so an
integral number is written as the integer (`42`, `42.0`, `4.2e1` -> "42"). A non-integral
number is written positionally with the shortest digits that round-trip (`0.1` -> "0.1",
`1e-7` -> "0.0000001"), never in exponent form. Booleans are not numbers here (`true` is no
account id), nor are objects or nested lists: they give no value.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any


def number_to_value(number: int | float) -> str | None:
    """The decimal string of a JSON number, or None for a non-finite float."""
    if number.__class__ is int:
        return str(number)
    if not math.isfinite(number):
        return None
    if number == int(number):
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def scalar_to_value(raw: Any) -> str | None:
    """One trimmed, non-blank value from a string or a number; None for anything else."""
    cls = raw.__class__
    if cls is str:
        value = raw.strip()
        return value or None
    if cls is int or cls is float:
        return number_to_value(raw)
    return None


def account_values(raw: Any) -> tuple[str, ...]:
    """The distinct account values carried by a property, in first-seen order.

    An empty tuple means "no account": missing, null, blank, an empty list, or a type that
    cannot name an account.
    """
    if raw.__class__ is list:
        seen: dict[str, None] = {}
        for element in raw:
            value = scalar_to_value(element)
            if value is not None:
                seen[value] = None
        return tuple(seen)
    value = scalar_to_value(raw)
    return () if value is None else (value,)
