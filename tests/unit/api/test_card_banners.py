"""The integration card's banners and backfill progress (SPEC "Daily sync and the card")."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.api.fakes import NOW, WORKSPACE, World
from usage_analytics.api.banners import banners_for
from usage_analytics.api.card import backfill_window, build_card
from usage_analytics.api.responses import BannerKind, Severity
from usage_analytics.integration.model import IdentityMode, Integration, Mapping, Status


def integration(**changes: object) -> Integration:
    base = Integration(
        workspace_id=WORKSPACE,
        status=Status.CONNECTED,
        project_id=2718281,
        secret_name="usage-analytics/mixpanel/ws-acme",
        identity_mode=IdentityMode.GROUP,
        identity_key="company_id",
        mapping=Mapping(field="crm_id"),
        tracked_features=["report_created", "export_csv"],
        last_sync_at=NOW - dt.timedelta(hours=3),
        created_at=NOW - dt.timedelta(days=40),
        updated_at=NOW,
        version=7,
    )
    return base.model_copy(update=changes)


def kinds(item: Integration, now: dt.datetime = NOW) -> list[tuple[BannerKind, Severity]]:
    return [(b.kind, b.severity) for b in banners_for(item, now)]


def test_a_healthy_connected_integration_has_no_banner() -> None:
    assert kinds(integration()) == []


def test_given_the_last_success_is_over_36h_old_then_a_yellow_stale_banner_names_the_hours() -> (
    None
):
    banners = banners_for(integration(last_sync_at=NOW - dt.timedelta(hours=50, minutes=40)), NOW)
    assert [(b.kind, b.severity) for b in banners] == [(BannerKind.STALE, Severity.YELLOW)]
    assert banners[0].message == "Usage data hasn't synced in 50h."


@pytest.mark.parametrize("hours", [3, 35, 36])
def test_a_last_success_up_to_36h_old_is_not_stale(hours: int) -> None:
    assert kinds(integration(last_sync_at=NOW - dt.timedelta(hours=hours))) == []


def test_given_a_day_held_by_the_circuit_breaker_then_schema_drift_is_yellow() -> None:
    banners = banners_for(integration(drift_held_day=dt.date(2026, 3, 9)), NOW)
    assert [(b.kind, b.severity) for b in banners] == [(BannerKind.SCHEMA_DRIFT, Severity.YELLOW)]
    assert "2026-03-09" in banners[0].message


def test_given_a_credential_error_then_the_red_banner_says_to_reconnect() -> None:
    item = integration(
        status=Status.ERROR,
        last_error="Mixpanel rejected the service-account username or secret.",
        last_error_code="bad_credentials",
        consecutive_failures=3,
    )
    banners = banners_for(item, NOW)
    assert [(b.kind, b.severity) for b in banners] == [(BannerKind.ERROR, Severity.RED)]
    assert banners[0].message.startswith("Mixpanel rejected the service-account")
    assert "Reconnect" in banners[0].message


def test_given_a_transient_error_then_the_red_banner_has_no_reconnect_hint() -> None:
    item = integration(last_error="Mixpanel had a temporary problem (HTTP 503).",
                       last_error_code="transient", consecutive_failures=1)  # fmt: skip
    banners = banners_for(item, NOW)
    assert [(b.kind, b.severity) for b in banners] == [(BannerKind.ERROR, Severity.RED)]
    assert "Reconnect" not in banners[0].message


def test_given_a_failed_backfill_then_a_red_banner_offers_retry() -> None:
    item = integration(status=Status.BACKFILL_FAILED, backfill_error="day 2026-02-20 failed")
    banners = banners_for(item, NOW)
    assert [(b.kind, b.severity) for b in banners] == [(BannerKind.BACKFILL_FAILED, Severity.RED)]
    assert "day 2026-02-20 failed" in banners[0].message and "Retry" in banners[0].message


def test_banners_stack_most_severe_first() -> None:
    item = integration(
        status=Status.ERROR, last_error="boom", last_error_code="transient",
        consecutive_failures=2, drift_held_day=dt.date(2026, 3, 9),
        last_sync_at=NOW - dt.timedelta(hours=40),
    )  # fmt: skip
    assert [k for k, _ in kinds(item)] == [
        BannerKind.ERROR,
        BannerKind.SCHEMA_DRIFT,
        BannerKind.STALE,
    ]


def test_given_a_running_backfill_then_progress_counts_done_days_inside_the_window() -> None:
    world = World()
    item = integration(status=Status.BACKFILLING, project_timezone="UTC")
    window = backfill_window(item, NOW)
    assert window[0] == dt.date(2026, 3, 9) and len(window) == 30
    outside = window[-1] - dt.timedelta(days=1)
    world.done_days[(WORKSPACE, item.config_id)] = {*window[:12], outside}
    card = build_card(world.services(), item)
    assert (card.backfill.days_done, card.backfill.days_total) == (12, 30)


def test_a_connected_card_shows_the_backfill_complete_and_a_configuring_one_none_done() -> None:
    world = World()
    assert build_card(world.services(), integration()).backfill.days_done == 30
    assert (
        build_card(world.services(), integration(status=Status.CONFIGURING)).backfill.days_done == 0
    )


def test_the_card_carries_the_fields_the_spa_reads() -> None:
    card = build_card(World().services(), integration(excluded_keys=["qa"]))
    body = card.model_dump(mode="json")
    for name in ("status", "identity_mode", "identity_key", "region", "project_id", "mapping",
                 "tracked_features", "tracked_feature_cap", "excluded_keys", "last_sync_at",
                 "unmatched_keys", "backfill", "banners", "version"):  # fmt: skip
        assert name in body
    assert body["tracked_feature_cap"] == 25 and body["version"] == 7
    assert body["mapping"] == {"field": "crm_id", "custom_field_key": None}
