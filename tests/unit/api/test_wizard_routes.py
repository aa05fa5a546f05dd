"""The setup wizard and the card's actions through the real handler, on in-memory adapters."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.api.conftest import Api
from tests.unit.api.fakes import WORKSPACE, principal
from usage_analytics.auth.principal import Role
from usage_analytics.integration.model import ProbeResult, Status
from usage_analytics.mixpanel.errors import (
    BadCredentials,
    PlanWithoutApiAccess,
    ProjectNotFound,
    RateLimited,
    Unreachable,
    WrongRegion,
)
from usage_analytics.sync_history import SyncAttempt

BASE = f"/v1/workspaces/{WORKSPACE}/integrations/mixpanel"
ADMIN = principal(Role.ADMIN)
SECRET = "mp-secret-Zq9!wX"
CREDENTIALS = {"username": "svc.acme", "secret": SECRET, "project_id": 2718281, "region": "EU"}
ACCOUNTS = [
    {"id": "acct_1", "name": "Acme", "domain": "acme.com", "external_crm_id": "C-1",
     "custom_fields": {"mixpanel_id": 101}},
    {"id": "acct_2", "name": "Globex", "domain": "www.Globex.io", "external_crm_id": "C-2",
     "custom_fields": {"mixpanel_id": "102"}},
    {"id": "acct_3", "name": "Initech", "external_crm_id": "C-3"},
]  # fmt: skip
PROBE = ProbeResult(
    day=dt.date(2026, 3, 9),
    event_names=[("page_view", 900), ("$identify", 50), ("report_created", 40)],
    account_values=[("C-1", 500), ("C-2", 300), ("C-9", 80), ("qa-test", 20)],
    events_sampled=990,
)


def connect(api: Api) -> dict:
    answer = api("POST", f"{BASE}/credentials", CREDENTIALS, caller=ADMIN)
    assert answer.status == 200, answer.body
    return answer.body


def probed(api: Api) -> None:
    connect(api)
    assert (
        api("PUT", f"{BASE}/identity", {"mode": "group", "key": "company_id"}, caller=ADMIN).status
        == 202
    )
    stored = api.world.integrations.items[WORKSPACE]
    api.world.integrations.items[WORKSPACE] = stored.model_copy(
        update={"probe_status": "done", "probe": PROBE, "status": Status.CONFIGURING}
    )
    api.world.add_accounts(WORKSPACE, ACCOUNTS)


def configure(api: Api, **changes: object) -> object:
    version = api("GET", BASE, caller=ADMIN).body["version"]
    body = {"mapping": {"field": "crm_id"}, "tracked_features": ["report_created", "page_view"],
            "excluded_keys": ["qa-test"], "version": version, **changes}  # fmt: skip
    return api("PUT", f"{BASE}/configuration", body, caller=ADMIN)


# -- step 1 --------------------------------------------------------------------------------


def test_given_valid_credentials_then_they_are_verified_stored_and_the_card_shows_the_project(
    api: Api,
) -> None:
    card = connect(api)
    assert card["status"] == "configuring" and card["region"] == "EU"
    assert card["project_id"] == 2718281 and card["project_timezone"] == "America/Los_Angeles"
    stored = api.world.secrets.get("usage-analytics/mixpanel/ws-acme")
    assert stored.secret.get_secret_value() == SECRET and stored.username == "svc.acme"
    assert SECRET not in str(card)


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (BadCredentials("Mixpanel rejected the service-account username or secret."), 400,
         "mixpanel_bad_credentials"),
        (WrongRegion("valid in US, not EU", detected="US"), 400, "mixpanel_wrong_region"),
        (ProjectNotFound("Mixpanel could not find project 2718281."), 400,
         "mixpanel_project_not_found"),
        (PlanWithoutApiAccess("no API access on this plan"), 400,
         "mixpanel_plan_without_api_access"),
        (RateLimited("rate limit used up", retry_after=30), 429, "mixpanel_rate_limited"),
        (Unreachable("connection refused"), 502, "mixpanel_unreachable"),
    ],
)  # fmt: skip
def test_when_mixpanel_refuses_then_the_error_says_what_failed_and_nothing_is_stored(
    api: Api, error: Exception, status: int, code: str
) -> None:
    api.world.verifier.error = error  # type: ignore[assignment]
    answer = api("POST", f"{BASE}/credentials", CREDENTIALS, caller=ADMIN)
    assert (answer.status, answer.code) == (status, code)
    assert str(error).split(".")[0] in answer.body["error"]["message"]
    assert api.world.secrets.values == {} and api.world.integrations.items == {}


def test_a_wrong_region_names_the_region_that_works(api: Api) -> None:
    api.world.verifier.error = WrongRegion("valid in US", detected="US")
    answer = api("POST", f"{BASE}/credentials", CREDENTIALS, caller=ADMIN)
    assert answer.body["error"]["details"]["detected_region"] == "US"


def test_reconnecting_the_same_project_keeps_the_configuration(api: Api) -> None:
    probed(api)
    assert configure(api).status == 202
    version = api("GET", BASE, caller=ADMIN).body["version"]
    card = api(
        "POST", f"{BASE}/credentials", {**CREDENTIALS, "version": version}, caller=ADMIN
    ).body
    assert card["tracked_features"] == ["report_created", "page_view"]


def test_connecting_another_project_starts_the_wizard_over(api: Api) -> None:
    probed(api)
    card = api("POST", f"{BASE}/credentials", {**CREDENTIALS, "project_id": 99}, caller=ADMIN).body
    assert card["project_id"] == 99 and card["identity_mode"] is None and card["mapping"] is None


def test_credentials_sent_with_a_stale_version_are_refused(api: Api) -> None:
    connect(api)
    answer = api("POST", f"{BASE}/credentials", {**CREDENTIALS, "version": 0}, caller=ADMIN)
    assert (answer.status, answer.code) == (409, "version_conflict")


def test_a_blank_username_is_refused_without_echoing_the_secret(api: Api) -> None:
    answer = api("POST", f"{BASE}/credentials", {**CREDENTIALS, "username": "   "}, caller=ADMIN)
    assert answer.status == 422 and SECRET not in str(answer.body)


# -- step 2 and the probe ------------------------------------------------------------------


def test_choosing_the_identity_starts_the_probe_and_answers_202(api: Api) -> None:
    connect(api)
    answer = api("PUT", f"{BASE}/identity", {"mode": "user_property", "key": " company_domain "},
                 caller=ADMIN)  # fmt: skip
    assert answer.status == 202 and answer.body["status"] == "running"
    assert api.world.probe.started == [(WORKSPACE, "company_domain")]
    card = api("GET", BASE, caller=ADMIN).body
    assert (card["status"], card["identity_mode"], card["identity_key"]) == (
        "probing", "user_property", "company_domain")  # fmt: skip


def test_before_step_1_there_is_nothing_to_probe(api: Api) -> None:
    answer = api("PUT", f"{BASE}/identity", {"mode": "group", "key": "company_id"}, caller=ADMIN)
    assert (answer.status, answer.code) == (404, "not_connected")


def test_an_event_field_is_not_an_identity_key(api: Api) -> None:
    connect(api)
    answer = api("PUT", f"{BASE}/identity", {"mode": "group", "key": "distinct_id"}, caller=ADMIN)
    assert (answer.status, answer.code) == (422, "reserved_identity_key")


def test_when_the_probe_cannot_start_then_503_and_the_card_is_not_stuck_probing(api: Api) -> None:
    connect(api)
    api.world.probe.fail = True
    answer = api("PUT", f"{BASE}/identity", {"mode": "group", "key": "company_id"}, caller=ADMIN)
    assert (answer.status, answer.code) == (503, "probe_not_started")
    assert api("GET", BASE, caller=ADMIN).body["status"] == "configuring"


def test_the_probe_shows_counts_and_pre_selects_top_events_without_mixpanel_ones(api: Api) -> None:
    probed(api)
    view = api("GET", f"{BASE}/probe", caller=principal(Role.MEMBER)).body
    assert view["status"] == "done" and view["day"] == "2026-03-09"
    assert view["event_names"][0] == {"name": "page_view", "count": 900}
    assert view["suggested_features"] == ["page_view", "report_created"]
    assert {"value": "C-9", "count": 80} in view["account_values"]


# -- match preview -------------------------------------------------------------------------


def test_the_match_preview_sorts_values_into_matched_unmatched_and_excluded(api: Api) -> None:
    probed(api)
    body = {"mapping": {"field": "crm_id"}, "excluded_keys": ["qa-test"]}
    preview = api("POST", f"{BASE}/match-preview", body, caller=ADMIN).body
    assert [(m["value"], m["account_id"], m["account_name"]) for m in preview["matched"]] == [
        ("C-1", "acct_1", "Acme"), ("C-2", "acct_2", "Globex")]  # fmt: skip
    assert [u["value"] for u in preview["unmatched"]] == ["C-9"]
    assert preview["excluded"] == [{"value": "qa-test", "count": 20}]
    assert preview["match_rate"] == pytest.approx(800 / 880, abs=1e-4)
    assert preview["value_match_rate"] == pytest.approx(2 / 3, abs=1e-4)


def test_a_custom_field_mapping_matches_numbers_and_strings_alike(api: Api) -> None:
    probed(api)
    stored = api.world.integrations.items[WORKSPACE]
    probe = PROBE.model_copy(update={"account_values": [("101", 5), ("102", 4)]})
    api.world.integrations.items[WORKSPACE] = stored.model_copy(update={"probe": probe})
    body = {"mapping": {"field": "custom_field", "custom_field_key": "mixpanel_id"}}
    preview = api("POST", f"{BASE}/match-preview", body, caller=ADMIN).body
    assert [m["account_id"] for m in preview["matched"]] == ["acct_1", "acct_2"]


def test_a_mapping_to_a_custom_field_no_account_has_is_refused(api: Api) -> None:
    probed(api)
    body = {"mapping": {"field": "custom_field", "custom_field_key": "salesforce_id"}}
    answer = api("POST", f"{BASE}/match-preview", body, caller=ADMIN)
    assert (answer.status, answer.code) == (422, "unknown_custom_field")
    assert "mixpanel_id" in answer.body["error"]["message"]


def test_before_the_probe_is_done_there_is_no_preview(api: Api) -> None:
    connect(api)
    api("PUT", f"{BASE}/identity", {"mode": "group", "key": "company_id"}, caller=ADMIN)
    answer = api("POST", f"{BASE}/match-preview", {"mapping": {"field": "crm_id"}}, caller=ADMIN)
    assert (answer.status, answer.code) == (409, "probe_not_ready")


# -- step 3 --------------------------------------------------------------------------------


def test_saving_the_configuration_starts_the_backfill(api: Api) -> None:
    probed(api)
    answer = configure(api)
    assert answer.status == 202, answer.body
    assert answer.body["status"] == "backfilling"
    assert answer.body["tracked_features"] == ["report_created", "page_view"]
    assert answer.body["excluded_keys"] == ["qa-test"]
    assert api.world.workflows.backfills == [WORKSPACE]
    stored = api.world.integrations.items[WORKSPACE]
    assert stored.backfill_execution_arn and stored.backfill_execution_arn.endswith(":1")


def test_25_tracked_features_are_accepted_and_26_refused_with_a_clear_error(api: Api) -> None:
    probed(api)
    answer = configure(api, tracked_features=[f"event_{i}" for i in range(26)])
    assert (answer.status, answer.code) == (422, "too_many_features")
    assert "At most 25 tracked features (you chose 26)" in answer.body["error"]["message"]
    assert configure(api, tracked_features=[f"event_{i}" for i in range(25)]).status == 202


def test_no_tracked_feature_is_refused(api: Api) -> None:
    probed(api)
    assert configure(api, tracked_features=["  "]).code == "no_tracked_features"


def test_a_configuration_based_on_a_stale_card_is_refused_not_overwritten(api: Api) -> None:
    probed(api)
    stale_version = api("GET", BASE, caller=ADMIN).body["version"]
    api("PUT", f"{BASE}/identity", {"mode": "group", "key": "org_id"}, caller=ADMIN)
    body = {"mapping": {"field": "domain"}, "tracked_features": ["x"], "version": stale_version}
    answer = api("PUT", f"{BASE}/configuration", body, caller=ADMIN)
    assert (answer.status, answer.code) == (409, "version_conflict")
    assert api.world.integrations.items[WORKSPACE].mapping is None


def test_while_a_backfill_runs_the_setup_cannot_change(api: Api) -> None:
    probed(api)
    configure(api)
    assert configure(api).code == "backfill_running"


def test_when_the_backfill_cannot_start_then_the_card_shows_it_failed(api: Api) -> None:
    probed(api)
    api.world.workflows.fail = True
    assert configure(api).code == "backfill_not_started"
    card = api("GET", BASE, caller=ADMIN).body
    assert card["status"] == "backfill_failed"
    assert card["banners"][0]["kind"] == "backfill_failed"


# -- the card's actions --------------------------------------------------------------------


def test_retry_resumes_only_a_failed_backfill(api: Api) -> None:
    probed(api)
    configure(api)
    assert api("POST", f"{BASE}/backfill/retry", caller=ADMIN).code == "nothing_to_retry"
    stored = api.world.integrations.items[WORKSPACE]
    api.world.integrations.items[WORKSPACE] = stored.model_copy(
        update={"status": Status.BACKFILL_FAILED, "backfill_error": "day failed"}
    )
    answer = api("POST", f"{BASE}/backfill/retry", caller=ADMIN)
    assert answer.status == 202 and answer.body["status"] == "backfilling"
    assert api.world.workflows.backfills == [WORKSPACE, WORKSPACE]


def test_sync_now_runs_the_daily_sync_for_a_connected_workspace_only(api: Api) -> None:
    probed(api)
    assert api("POST", f"{BASE}/sync", caller=ADMIN).code == "not_syncable"
    stored = api.world.integrations.items[WORKSPACE]
    api.world.integrations.items[WORKSPACE] = stored.model_copy(update={"status": Status.CONNECTED})
    answer = api("POST", f"{BASE}/sync", caller=ADMIN)
    assert answer.status == 202 and api.world.workflows.syncs == [WORKSPACE]


def test_sync_history_lists_recent_attempts_newest_first(api: Api) -> None:
    start = dt.datetime(2026, 3, 9, 5, tzinfo=dt.UTC)
    api.world.attempts[WORKSPACE] = [
        SyncAttempt(kind="daily_sync", outcome="failed", started_at=start,
                    finished_at=start + dt.timedelta(minutes=2), day=dt.date(2026, 3, 8),
                    error="Mixpanel had a temporary problem (HTTP 503)."),
        SyncAttempt(kind="backfill", outcome="succeeded", started_at=start - dt.timedelta(days=1),
                    finished_at=start, counts={"days": 30}),
    ]  # fmt: skip
    body = api(
        "GET", f"{BASE}/sync-history", caller=principal(Role.MEMBER), query={"limit": "1"}
    ).body
    assert len(body["attempts"]) == 1
    assert body["attempts"][0]["outcome"] == "failed" and "503" in body["attempts"][0]["error"]


def test_disconnect_deletes_the_secret_and_the_integration_and_keeps_usage(api: Api) -> None:
    connect(api)
    answer = api("DELETE", BASE, caller=principal(Role.OWNER))
    assert answer.status == 200 and answer.body["usage"] == "kept"
    assert api.world.secrets.values == {} and WORKSPACE not in api.world.integrations.items
    assert api("GET", BASE, caller=ADMIN).code == "not_connected"


def test_accounts_are_upserted_in_bulk_and_replaced_by_id(api: Api) -> None:
    path = f"/v1/workspaces/{WORKSPACE}/accounts"
    first = api("PUT", path, {"accounts": ACCOUNTS}, caller=principal(Role.SERVICE))
    assert first.body == {"upserted": 3}
    renamed = {**ACCOUNTS[0], "name": "Acme Corp", "seat_count": 40}
    assert api("PUT", path, {"accounts": [renamed]}, caller=ADMIN).body == {"upserted": 1}
    stored = {a.id: a for a in api.world.accounts.list(WORKSPACE)}
    assert stored["acct_1"].name == "Acme Corp" and stored["acct_1"].seat_count == 40
    assert len(stored) == 3
