"""The probe: one day's events counted by name and by account value, stored for the wizard."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.unit.api.fakes import NOW, InMemoryIntegrations
from usage_analytics.clock import FixedClock
from usage_analytics.integration.model import IdentityMode, Integration, Status
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.mixpanel.errors import BadCredentials
from usage_analytics.probe.run import ProbeDeps, probe_day, run_probe
from usage_analytics.probe.sampler import add_profile_values, sample_day
from usage_analytics.secrets import InMemorySecretStore

WS = "ws-probe"


def line(event: str, **props: Any) -> bytes:
    props.setdefault("time", 1_773_000_000)
    props.setdefault("distinct_id", "u1")
    return json.dumps({"event": event, "properties": props}).encode()


DAY = [
    line("report_created", company_id="C-1"),
    line("report_created", company_id=["C-1", "C-2", "C-1"]),
    line("page_view", company_id=42),
    line("page_view", company_id="  "),
    line("$identify", company_id="C-1"),
    line(
        "$hotshard_events",
        distinct_id="",
        mp_original_event_name="export_csv",
        mp_original_distinct_id="bot",
        company_id="C-3",
    ),
    b"{not json",
]


def test_events_are_counted_by_name_and_value_skipping_bookkeeping_and_restoring_hot_shards() -> (
    None
):
    sample = sample_day(DAY, IdentityMode.GROUP, "company_id")
    assert sample.events == {"report_created": 2, "page_view": 2, "export_csv": 1}
    assert sample.values == {"C-1": 2, "C-2": 1, "42": 1, "C-3": 1}
    assert (sample.sampled, sample.malformed) == (5, 1)


def test_past_the_value_cap_new_values_are_dropped_and_the_sample_says_truncated() -> None:
    lines = [line("e", company_id=f"C-{i}") for i in range(10)]
    sample = sample_day(lines, IdentityMode.GROUP, "company_id", max_values=3)
    assert len(sample.values) == 3 and sample.values_truncated


def test_in_user_property_mode_users_without_the_property_take_their_profile_value() -> None:
    lines = [
        line("e", distinct_id="u1", company_domain="acme.com"),
        line("e", distinct_id="u2"),
        line("e", distinct_id="u2"),
        line("e", distinct_id="u3"),
    ]
    sample = sample_day(lines, IdentityMode.USER_PROPERTY, "company_domain")
    assert sample.pending == {"u2": 2, "u3": 1}
    add_profile_values(sample, [("u2", "globex.io"), ("u3", None)])
    assert sample.values == {"acme.com": 1, "globex.io": 2}


def test_the_probe_day_is_yesterday_in_both_utc_and_the_project_timezone() -> None:
    late_utc = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)
    tokyo = integration(project_timezone="Asia/Tokyo")  # already Mar 11 there
    assert probe_day(tokyo, late_utc) == dt.date(2026, 3, 9)
    la = integration(project_timezone="America/Los_Angeles")
    assert probe_day(la, dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)) == dt.date(2026, 3, 8)


def integration(**changes: Any) -> Integration:
    base = Integration(
        workspace_id=WS, status=Status.PROBING, project_id=1, secret_name="s/ws-probe",
        identity_mode=IdentityMode.GROUP, identity_key="company_id", probe_status="running",
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    return base.model_copy(update=changes)


class FakeClient:
    def __init__(self, lines: list[bytes], error: Exception | None = None) -> None:
        self.lines = lines
        self.error = error
        self.days: list[tuple[dt.date, dt.date]] = []

    @contextmanager
    def _stream(self) -> Iterator[Iterator[bytes]]:
        if self.error:
            raise self.error
        yield iter(self.lines)

    def export(self, day_from: dt.date, day_to: dt.date) -> Any:
        self.days.append((day_from, day_to))
        return self._stream()

    def engage_profiles(self, ids: Any, props: Any) -> Any:
        return []

    def close(self) -> None:
        pass


def deps(client: FakeClient) -> tuple[ProbeDeps, InMemoryIntegrations]:
    integrations = InMemoryIntegrations()
    integrations.items[WS] = integration(version=3)
    secrets = InMemorySecretStore()
    secrets.put("s/ws-probe", ServiceAccount(username="u", secret="s", project_id=1))
    return ProbeDeps(integrations, secrets, lambda account: client, FixedClock(NOW)), integrations


def test_a_finished_probe_is_stored_and_the_integration_is_ready_to_configure() -> None:
    client = FakeClient(DAY)
    probe_deps, integrations = deps(client)
    assert run_probe(probe_deps, WS, "company_id")["outcome"] == "done"
    stored = integrations.items[WS]
    assert (stored.status, stored.probe_status) == (Status.CONFIGURING, "done")
    assert stored.probe is not None and stored.probe.day == dt.date(2026, 3, 9)
    assert stored.probe.event_names[0] == ("page_view", 2) or stored.probe.event_names[0][1] == 2
    assert client.days == [(dt.date(2026, 3, 9), dt.date(2026, 3, 9))]


def test_a_failed_probe_stores_the_reason_for_the_wizard() -> None:
    probe_deps, integrations = deps(FakeClient([], BadCredentials("Mixpanel rejected the secret.")))
    assert run_probe(probe_deps, WS, "company_id")["outcome"] == "failed"
    stored = integrations.items[WS]
    assert (stored.probe_status, stored.probe_error) == ("failed", "Mixpanel rejected the secret.")


def test_a_probe_for_an_identity_changed_meanwhile_stores_nothing() -> None:
    probe_deps, integrations = deps(FakeClient(DAY))
    assert run_probe(probe_deps, WS, "org_id")["outcome"] == "superseded"
    assert integrations.items[WS].probe_status == "running"
