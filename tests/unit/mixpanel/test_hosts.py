"""Hosts per data-residency region, and the base-URL override contract with the simulator."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.mixpanel.fakes import account, json_response, make_client, me_payload
from usage_analytics.mixpanel import REGION_HEADER, Region, hosts_for


@pytest.mark.parametrize(
    ("region", "export", "query"),
    [
        ("US", "https://data.mixpanel.com", "https://mixpanel.com"),
        ("EU", "https://data-eu.mixpanel.com", "https://eu.mixpanel.com"),
        ("IN", "https://data-in.mixpanel.com", "https://in.mixpanel.com"),
    ],
)
def test_given_a_region_then_its_real_hosts_are_used_without_a_region_header(
    region: str, export: str, query: str
) -> None:
    hosts = hosts_for(region)
    assert (hosts.export, hosts.query) == (export, query)
    assert REGION_HEADER not in hosts.headers
    assert not hosts.overridden


@pytest.mark.parametrize("region", ["US", "EU", "IN"])
def test_given_a_base_url_then_it_replaces_every_host_and_the_region_travels_in_a_header(
    region: str,
) -> None:
    hosts = hosts_for(region, "http://127.0.0.1:8765/")
    assert hosts.export == hosts.query == "http://127.0.0.1:8765"
    assert hosts.headers == {REGION_HEADER: region}


def test_region_names_are_case_insensitive_and_unknown_ones_are_refused_with_the_choices() -> None:
    assert Region.parse("eu") is Region.EU
    with pytest.raises(ValueError, match="US, EU, IN"):
        Region.parse("APAC")


def test_given_the_override_when_any_request_is_sent_then_it_carries_the_region_header() -> None:
    client, mixpanel, _ = make_client(
        lambda r: (
            json_response(me_payload((4242, "Prod", "UTC")))
            if r.url.path == "/api/app/me"
            else json_response(["a"])
        ),
        region="EU",
        base_url="http://sim.local:9000",
    )
    client.verify()
    client.event_names()
    list(client.export(dt.date(2024, 5, 1), dt.date(2024, 5, 1)))
    assert [r.url.host for r in mixpanel.requests] == ["sim.local"] * 3
    assert [r.headers.get(REGION_HEADER) for r in mixpanel.requests] == ["EU"] * 3


def test_given_real_hosts_when_requests_are_sent_then_no_region_header_and_the_eu_hosts() -> None:
    client, mixpanel, _ = make_client(
        lambda r: (
            json_response(me_payload((4242, "Prod", "UTC")))
            if r.url.path == "/api/app/me"
            else json_response(["a"])
        ),
        region="EU",
    )
    client.verify()
    list(client.export(dt.date(2024, 5, 1), dt.date(2024, 5, 1)))
    assert [str(r.url.copy_with(query=None)) for r in mixpanel.requests] == [
        "https://eu.mixpanel.com/api/app/me",
        "https://data-eu.mixpanel.com/api/2.0/export",
    ]
    assert all(REGION_HEADER not in r.headers for r in mixpanel.requests)


def test_from_settings_takes_the_base_url_timeout_and_pinned_today() -> None:
    from usage_analytics.mixpanel import MixpanelClient
    from usage_analytics.settings import load_settings

    settings = load_settings(
        {
            "MIXPANEL_BASE_URL": "http://127.0.0.1:8765/",
            "MIXPANEL_TIMEOUT_SECONDS": "120",
            "USAGE_ANALYTICS_TODAY": "2024-05-20",
        }
    )
    client = MixpanelClient.from_settings(account("IN"), settings)
    assert client.hosts.export == "http://127.0.0.1:8765"
    assert client.hosts.headers == {REGION_HEADER: "IN"}
    assert client._timeout == 120.0
    assert client._today() == dt.date(2024, 5, 20)
    client.close()
