"""The assistant's two tools: their inputs (which are also the published tool schemas) and
their answers. Every answer carries `answer`, a plain-language sentence with the numbers,
so a model can quote it; the structured fields are there to reason with."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from usage_analytics.accounts.model import ACCOUNT_ID_PATTERN
from usage_analytics.metrics.decline import UsageDeclineSignal
from usage_analytics.metrics.views import TableRow, UsageView

Ranking = Literal["steepest_decline", "most_active", "least_active"]


class GetAccountUsageInput(BaseModel):
    """Give exactly one of `account_id` or `name`."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    account_id: str | None = Field(
        default=None,
        pattern=ACCOUNT_ID_PATTERN,
        description="the platform's account id, when known",
    )
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=512,
        description='the account\'s name as a person says it, e.g. "Acme"; matched '
        "case-insensitively, exact names first, then names containing it",
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> GetAccountUsageInput:
        if (self.account_id is None) == (self.name is None):
            raise ValueError("give exactly one of account_id or name")
        return self


class RankAccountsInput(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    ranking: Ranking = Field(
        description="steepest_decline: events fell the most this week against last week "
        "(only accounts that declined); most_active / least_active: by events in 30 days"
    )
    limit: int = Field(default=5, ge=1, le=25, description="how many accounts, 1-25")


class AccountRef(BaseModel):
    account_id: str
    name: str


class HealthScores(BaseModel):
    adoption: int
    engagement: int


class AccountUsageAnswer(BaseModel):
    outcome: Literal["found", "ambiguous", "not_found"]
    answer: str = Field(description="plain language, with the numbers")
    account: AccountRef | None = None
    usage: UsageView | None = None
    health: HealthScores | None = None
    signal: UsageDeclineSignal | None = Field(
        default=None, description="this week's usage-decline signal, if one fired"
    )
    candidates: list[AccountRef] = Field(
        default_factory=list, description="when ambiguous: the accounts the name could mean"
    )


class RankingAnswer(BaseModel):
    ranking: Ranking
    as_of: dt.date | None
    accounts: list[TableRow]
    answer: str
