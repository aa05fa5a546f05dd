"""Days the engine refuses on purpose, with a message, rather than running out of memory:
too many distinct account values, and more events than the function's memory holds."""

from __future__ import annotations

import pytest

from tests.unit.ingest.world import (
    ACCOUNTS,
    T0,
    FakeProfiles,
    event,
    group_config,
    run,
    user_property_config,
)
from usage_analytics.ingest import (
    DayAggregator,
    DayTooLarge,
    MemoryBudget,
    ProfileValues,
    TooManyAccountValues,
)
from usage_analytics.ingest.memory import resident_mb

pytestmark = pytest.mark.usefixtures("engine")


def _mixed_day() -> list[bytes]:
    """A day with every kind of line, so parts must add up to the same stats."""
    duplicate = event("Export CSV", company_id="acme", insert_id="dup")
    return [
        event("Report Viewed", company_id="acme", time=T0 + 5),
        duplicate,
        b"\n",
        duplicate,
        b'{"event": "Broken"}\n',
        event("$identify", company_id="acme"),
        event("Page View", company_id="globex", distinct_id="u2", time=T0 + 60),
        event("Page View", company_id="nobody", distinct_id="u3"),
        event("Page View", company_id=["acme", "initech"], distinct_id="u4", time=T0 + 1),
    ]


def test_given_too_many_distinct_account_values_then_the_day_fails_naming_the_property() -> None:
    config = group_config()
    aggregator = DayAggregator(config, config.resolver(ACCOUNTS), max_distinct_values=3)
    with pytest.raises(TooManyAccountValues, match="more than 3 distinct values of 'company_id'"):
        aggregator.feed([event(company_id=f"order-{n}") for n in range(4)])


def test_given_a_budget_the_process_is_over_then_the_day_stops_with_what_to_raise() -> None:
    lines = _mixed_day()
    # 1% of 128 MB is far below what any Python process holds: the first check fails
    tiny = MemoryBudget(function_memory_mb=128, share=0.01, every_lines=4)
    with pytest.raises(DayTooLarge) as refused:
        run(lines, memory=tiny)
    message = str(refused.value)
    assert "after 4 lines" in message  # checked after the first part, not at the end
    assert "1 MB (1% of 128 MB)" in message
    assert "memory_mb of BackfillDay and DailySyncWorkspace" in message


@pytest.mark.parametrize("every_lines", [1, 2, 4, 1000])
def test_given_a_budget_the_day_fits_in_then_counting_in_parts_changes_nothing(
    every_lines: int,
) -> None:
    lines = _mixed_day()
    roomy = MemoryBudget(function_memory_mb=1_000_000, every_lines=every_lines)
    assert run(lines, memory=roomy) == run(lines)


def test_given_a_budget_then_user_property_mode_counts_in_parts_the_same() -> None:
    lines = [
        event(company_domain="acme.com"),
        event(distinct_id="u2"),
        event(distinct_id="u3", company_domain="initech.com"),
    ]
    config = user_property_config()
    profiles = {"u2": {"company_domain": "acme.com"}}

    def ingest(memory: MemoryBudget | None) -> object:
        cache = ProfileValues(FakeProfiles(profiles), config.account_property)
        return run(lines, config, profiles=cache, memory=memory)

    assert ingest(MemoryBudget(function_memory_mb=1_000_000, every_lines=1)) == ingest(None)


def test_resident_memory_is_read_from_the_process() -> None:
    used = resident_mb()
    assert used is not None
    assert 10 < used < 100_000


def test_the_mixed_day_has_a_line_in_every_bucket() -> None:
    """So the tests above split every kind of line across parts."""
    stats = run(_mixed_day()).stats
    assert (stats.lines_read, stats.blank_lines, stats.malformed) == (9, 1, 1)
    assert (stats.duplicates, stats.ignored_identity, stats.no_account) == (1, 1, 0)
    assert stats.attributed == 5


def test_in_lambda_the_functions_memory_sets_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from usage_analytics import wiring
    from usage_analytics.settings import reset_settings

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    reset_settings()
    wiring.day_ingest_deps.cache_clear()
    try:
        assert wiring.day_ingest_deps().memory == MemoryBudget(function_memory_mb=2048)
        monkeypatch.delenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")  # local runs: no budget
        reset_settings()
        wiring.day_ingest_deps.cache_clear()
        assert wiring.day_ingest_deps().memory is None
    finally:
        reset_settings()
        wiring.day_ingest_deps.cache_clear()


def test_a_memory_size_that_is_not_a_number_is_refused_naming_the_variable() -> None:
    from usage_analytics.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="AWS_LAMBDA_FUNCTION_MEMORY_SIZE"):
        load_settings({"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots"})
