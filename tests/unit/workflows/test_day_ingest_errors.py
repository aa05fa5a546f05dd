"""How a day's failures cross into the workflows: which ones are retried, which fail the run
with a code the card and on-call can act on."""

from __future__ import annotations

import pytest

from usage_analytics.ingest import DayTooLarge, ExportTerminatedEarly, TooManyAccountValues
from usage_analytics.workflows.day_ingest import mixpanel_errors
from usage_analytics.workflows.errors import (
    PermanentFailure,
    TransientFailure,
    WorkflowError,
    split_code,
)


@pytest.mark.parametrize(
    ("raised", "expected", "code"),
    [
        (DayTooLarge("too large: raise memory_mb"), PermanentFailure, "day_too_large"),
        (TooManyAccountValues("more than 3 distinct values"), PermanentFailure, "identity"),
        (ExportTerminatedEarly("terminated early"), TransientFailure, "error"),
    ],
)
def test_an_ingest_refusal_becomes_the_workflow_error_with_its_code(
    raised: Exception, expected: type[WorkflowError], code: str
) -> None:
    with pytest.raises(WorkflowError) as failure, mixpanel_errors():
        raise raised
    assert type(failure.value) is expected
    assert split_code(str(failure.value)) == (code, str(raised))
