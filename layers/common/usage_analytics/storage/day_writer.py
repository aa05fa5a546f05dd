"""Write one ingested day: replace the workspace's account-day rows and quarantine for D.

Accounts first, then quarantine. Each replacement is idempotent and crash-safe on its own
(see `usage_days.py` and `quarantine.py`), so a failure between or inside them is repaired
by running the day again, which is what the backfill's retry and redrive do.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from usage_analytics.ingest.rows import DayRows
from usage_analytics.storage.quarantine import QuarantineRepository
from usage_analytics.storage.usage_days import UsageDayRepository


class DayWriteReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_rows_written: int
    account_rows_deleted: int
    quarantine_rows_written: int
    quarantine_rows_deleted: int


def write_day(rows: DayRows, *, usage_table: Any, quarantine_table: Any) -> DayWriteReport:
    """Replace day D of `rows.workspace_id` in both tables (boto3 Table resources)."""
    written, deleted = UsageDayRepository(usage_table).replace_day(
        rows.workspace_id, rows.day, rows.accounts
    )
    q_written, q_deleted = QuarantineRepository(quarantine_table).replace_day(
        rows.workspace_id, rows.day, rows.quarantine
    )
    return DayWriteReport(
        account_rows_written=written,
        account_rows_deleted=deleted,
        quarantine_rows_written=q_written,
        quarantine_rows_deleted=q_deleted,
    )
