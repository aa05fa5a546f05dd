"""Named scenarios and command-line arguments turn into the expected SimConfig."""

from __future__ import annotations

import datetime as dt

import pytest

from local.mixpanel_sim.__main__ import build_parser, config_from_args
from local.mixpanel_sim.config import DEV_SECRET, DEV_USERNAME, UNLIMITED, SimConfig
from local.mixpanel_sim.scenarios import SCENARIOS, scenario_config

TODAY = dt.date(2025, 6, 18)


def config(*argv: str, environ: dict[str, str] | None = None) -> SimConfig:
    return config_from_args(build_parser().parse_args(list(argv)), environ or {})


def test_the_default_scenario_is_faithful_to_mixpanels_limits() -> None:
    cfg = scenario_config("default", today=TODAY)
    assert cfg.project.accounts == 300 and cfg.project.days == 45
    assert cfg.export_limits.per_hour == 60 and cfg.export_limits.per_second == 3
    assert cfg.query_limits.concurrent == 5
    assert cfg.faults == ()


def test_the_big_scenario_targets_a_million_events_without_limits() -> None:
    cfg = scenario_config("big", today=TODAY)
    assert cfg.project.accounts == 2_000
    assert cfg.project.target_events_per_day == 1_000_000
    assert cfg.export_limits == UNLIMITED
    assert scenario_config("big", today=TODAY, accounts=300).project.accounts == 300


def test_the_faulty_scenario_arms_faults_relative_to_today() -> None:
    cfg = scenario_config("faulty", today=TODAY)
    kinds = {str(f["kind"]) for f in cfg.faults}
    assert kinds == {
        "http_error",
        "terminated_early",
        "cut_connection",
        "rate_limit",
        "slow",
        "schema_drift",
        "late_events",
    }
    drift = next(f for f in cfg.faults if f["kind"] == "schema_drift")
    assert drift["day"] == "2025-06-17"


def test_the_legacy_scenario_reads_export_days_in_the_project_timezone() -> None:
    assert scenario_config("legacy-timezone", today=TODAY).project.export_frame == (
        "project_timezone"
    )
    assert scenario_config("default", today=TODAY).project.export_frame == "utc"


def test_unknown_scenarios_are_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match="default"):
        scenario_config("chaos")
    assert set(SCENARIOS) == {"default", "big", "faulty", "legacy-timezone"}


def test_cli_defaults_are_the_dev_credentials_and_today_from_the_environment() -> None:
    cfg = config(environ={"USAGE_ANALYTICS_TODAY": "2025-01-02"})
    assert cfg.username == DEV_USERNAME and cfg.secret == DEV_SECRET
    assert cfg.project.today == dt.date(2025, 1, 2)
    assert cfg.port == 8765 and cfg.host == "127.0.0.1"


def test_cli_flags_override_scenario_limits_credentials_and_faults() -> None:
    cfg = config(
        "--today",
        "2025-06-18",
        "--hourly-limit",
        "0",
        "--region",
        "EU",
        "--username",
        "me",
        "--secret",
        "s",
        "--port",
        "0",
        "--fault",
        '{"kind": "http_error"}',
    )
    assert cfg.export_limits.per_hour is None and cfg.export_limits.per_second == 3
    assert cfg.query_limits.per_hour is None
    assert cfg.project.region == "EU" and cfg.username == "me" and cfg.secret == "s"
    assert cfg.faults == ({"kind": "http_error"},)
    assert config("--today", "2025-06-18", "--no-rate-limits").export_limits == UNLIMITED
