"""Which account does "Acme" mean? Exact before partial, and never a guess.

Names are compared case-insensitively with runs of spaces collapsed. An exact match (on a
name, or on an account id) wins; otherwise every account whose name contains the words
asked for is a candidate. One candidate is the answer; several make the question
ambiguous (the assistant should ask which); none means unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from usage_analytics.metrics.directory import AccountName

MAX_CANDIDATES = 10


def normalized(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class NameMatch:
    outcome: Literal["found", "ambiguous", "not_found"]
    accounts: list[AccountName]  # the one found, or the candidates (at most 10)
    total: int  # how many matched (may exceed the candidates listed)


def match_name(query: str, accounts: Sequence[AccountName]) -> NameMatch:
    wanted = normalized(query)
    exact = [a for a in accounts if normalized(a.name) == wanted]
    if not exact:
        exact = [a for a in accounts if a.account_id.casefold() == wanted]
    matches = exact or [a for a in accounts if wanted and wanted in normalized(a.name)]
    matches = sorted(matches, key=lambda a: (normalized(a.name), a.account_id))
    if not matches:
        return NameMatch("not_found", [], 0)
    if len(matches) == 1:
        return NameMatch("found", matches, 1)
    return NameMatch("ambiguous", matches[:MAX_CANDIDATES], len(matches))
