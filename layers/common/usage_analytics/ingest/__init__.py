"""The day-ingest engine: one exported day of Mixpanel events -> exact per-account rows."""

from usage_analytics.ingest.aggregator import DayAggregate, DayAggregator, TooManyAccountValues
from usage_analytics.ingest.config import IdentityMode, IngestConfig, ResolveAccount
from usage_analytics.ingest.decoding import ExportTerminatedEarly
from usage_analytics.ingest.engine import ingest_day
from usage_analytics.ingest.matching import (
    AccountIndex,
    AccountMapping,
    CrmAccount,
    MappingKind,
    ValueMatch,
)
from usage_analytics.ingest.memory import DayTooLarge, MemoryBudget
from usage_analytics.ingest.profiles import ProfileSource, ProfileValues
from usage_analytics.ingest.rows import AccountDayRow, DayRows, DayUsage, QuarantineDayRow
from usage_analytics.ingest.stats import IngestStats

__all__ = [
    "AccountDayRow",
    "AccountIndex",
    "AccountMapping",
    "CrmAccount",
    "DayAggregate",
    "DayAggregator",
    "DayRows",
    "DayTooLarge",
    "DayUsage",
    "ExportTerminatedEarly",
    "IdentityMode",
    "IngestConfig",
    "IngestStats",
    "MappingKind",
    "MemoryBudget",
    "ProfileSource",
    "ProfileValues",
    "QuarantineDayRow",
    "ResolveAccount",
    "TooManyAccountValues",
    "ValueMatch",
    "ingest_day",
]
