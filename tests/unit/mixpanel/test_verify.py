"""Connecting: prove the credentials reach the project and learn its timezone, with the
fallbacks and region detection the setup wizard needs."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.unit.mixpanel.fakes import (
    export_body,
    gzip_response,
    json_response,
    make_client,
    me_payload,
)
from usage_analytics.mixpanel import (
    NO_RETRY,
    REGION_HEADER,
    BadCredentials,
    ProjectForbidden,
    ProjectInfo,
    ProjectNotFound,
    Region,
    WrongRegion,
)


def test_given_the_project_is_visible_then_its_timezone_and_name_are_returned() -> None:
    client, mixpanel, _ = make_client(
        lambda r: json_response(me_payload((1, "Staging", "UTC"), (4242, "Prod", "US/Pacific")))
    )
    assert client.verify() == ProjectInfo(4242, timezone="US/Pacific", name="Prod")
    (request,) = mixpanel.requests
    assert (request.url.host, request.url.path) == ("mixpanel.com", "/api/app/me")
    assert request.url.params["project_id"] == "4242"


def test_given_the_project_is_not_among_the_visible_ones_then_project_not_found() -> None:
    client, _, _ = make_client(lambda r: json_response(me_payload((1, "Other", "UTC"))))
    with pytest.raises(ProjectNotFound, match="4242 is not among the projects"):
        client.verify()


def test_given_no_scope_for_app_me_then_a_one_row_export_of_yesterday_verifies() -> None:
    def mixpanel_without_me_scope(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/app/me":
            return json_response({"error": "missing scope"}, 403)
        return gzip_response(export_body(1))

    client, mixpanel, _ = make_client(mixpanel_without_me_scope)
    assert client.verify() == ProjectInfo(4242, timezone=None, verified_by="export")
    export = mixpanel.requests[-1]
    assert export.url.host == "data.mixpanel.com"
    assert dict(export.url.params) == {
        "project_id": "4242",
        "from_date": "2024-05-19",
        "to_date": "2024-05-19",
        "limit": "1",
    }


def test_given_no_permission_at_all_then_project_forbidden() -> None:
    client, mixpanel, _ = make_client(lambda r: json_response({"error": "forbidden"}, 403))
    with pytest.raises(ProjectForbidden):
        client.verify()
    assert [r.url.path for r in mixpanel.requests] == ["/api/app/me", "/api/2.0/export"]


def test_given_wrong_credentials_then_bad_credentials_saying_reconnect() -> None:
    client, _, _ = make_client(lambda r: json_response({"error": "Invalid credentials"}, 401))
    with pytest.raises(BadCredentials, match="Reconnect"):
        client.verify()


def _residency(home: str) -> Callable[[httpx.Request], httpx.Response]:
    """A Mixpanel-compatible server whose project lives in `home`: other regions say 401."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get(REGION_HEADER) != home:
            return json_response({"error": "Invalid credentials"}, 401)
        return json_response(me_payload((4242, "Prod", "Europe/Paris")))

    return handler


def test_detect_region_finds_the_region_that_accepts_the_credentials() -> None:
    client, mixpanel, _ = make_client(_residency("IN"), region="US", base_url="http://sim")
    assert client.detect_region() is Region.IN
    assert [r.headers[REGION_HEADER] for r in mixpanel.requests] == ["US", "EU", "IN"]


def test_verify_with_detection_names_the_right_region() -> None:
    client, _, _ = make_client(_residency("EU"), region="US", base_url="http://sim")
    with pytest.raises(WrongRegion, match="choose region EU") as caught:
        client.verify(detect_region=True)
    assert caught.value.detected == "EU"
    assert caught.value.code == "wrong_region"


def test_given_credentials_refused_everywhere_then_bad_credentials() -> None:
    client, mixpanel, _ = make_client(_residency("nowhere"), region="EU", base_url="http://sim")
    with pytest.raises(BadCredentials):
        client.verify(detect_region=True)
    assert [r.headers[REGION_HEADER] for r in mixpanel.requests] == ["EU", "US", "IN"]


def test_a_region_that_accepts_the_credentials_but_refuses_the_project_still_counts() -> None:
    """US refuses the credentials, EU cannot be reached, IN knows them (403 on the project):
    the credentials belong to IN; the project problem is for the next attempt to report."""

    def handler(request: httpx.Request) -> httpx.Response:
        region = request.headers[REGION_HEADER]
        if region == "EU":
            raise httpx.ConnectError("connection refused")
        if region == "IN":
            return json_response({"error": "no permission"}, 403)
        return json_response({"error": "Invalid credentials"}, 401)

    client, _, _ = make_client(handler, region="US", base_url="http://sim", retry=NO_RETRY)
    assert client.detect_region() is Region.IN
