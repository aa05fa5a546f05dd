"""Every Mixpanel failure maps to one error type with a stable code, a retryable flag and a
message a workspace admin can act on (and never the secret)."""

from __future__ import annotations

import datetime as dt
import email.utils

import httpx
import pytest

from tests.unit.mixpanel.fakes import SECRET, json_response, make_client
from usage_analytics.mixpanel import (
    NO_RETRY,
    BadCredentials,
    BadRequest,
    DateAfterToday,
    MixpanelError,
    PlanWithoutApiAccess,
    ProjectForbidden,
    ProjectNotFound,
    RateLimited,
    TransientError,
    UnexpectedResponse,
    Unreachable,
)
from usage_analytics.mixpanel.status import RequestContext, error_from_response, quote_detail

CTX = RequestContext(project_id=4242, region="EU", path="/api/2.0/export", secrets=(SECRET,))


@pytest.mark.parametrize(
    ("status", "body", "error_type", "code", "retryable", "advice"),
    [
        (
            401,
            '{"error": "Invalid credentials"}',
            BadCredentials,
            "bad_credentials",
            False,
            "Reconnect",
        ),
        (
            400,
            '{"error": "Unable to authenticate request"}',
            BadCredentials,
            "bad_credentials",
            False,
            "Reconnect",
        ),
        (402, "Payment required", PlanWithoutApiAccess, "plan_without_api_access", False, "plan"),
        (
            403,
            '{"error": "Permission denied"}',
            ProjectForbidden,
            "project_forbidden",
            False,
            "add the service account",
        ),
        (404, "Not found", ProjectNotFound, "project_not_found", False, "project ID"),
        (429, "Query rate limit exceeded", RateLimited, "rate_limited", True, "retried"),
        (500, "Internal error", TransientError, "transient", True, "retried"),
        (503, "", TransientError, "transient", True, "retried"),
        (
            400,
            "to_date cannot be later than today",
            DateAfterToday,
            "bad_request",
            False,
            "timezone",
        ),
        (
            400,
            '{"error": "invalid where clause"}',
            BadRequest,
            "bad_request",
            False,
            "invalid where clause",
        ),
    ],
)
def test_each_status_maps_to_its_error_with_code_retryability_and_advice(
    status: int,
    body: str,
    error_type: type[MixpanelError],
    code: str,
    retryable: bool,
    advice: str,
) -> None:
    error = error_from_response(status, body, {}, CTX)
    assert type(error) is error_type
    assert isinstance(error, MixpanelError)
    assert (error.code, error.retryable, error.status) == (code, retryable, status)
    assert advice.lower() in str(error).lower()
    assert "project 4242 (EU region)" in str(error)


def test_given_a_server_that_echoes_the_secret_then_the_message_does_not() -> None:
    error = error_from_response(401, f'{{"error": "bad secret {SECRET}"}}', {}, CTX)
    assert SECRET not in str(error)
    assert SECRET not in repr(error)
    assert "bad secret ***" in str(error)


def test_mixpanels_text_is_quoted_on_one_line_and_bounded() -> None:
    assert quote_detail("line one\n  line two") == "line one line two"
    assert len(quote_detail("x" * 5000)) == 300


def test_given_429_with_retry_after_seconds_then_the_error_carries_them() -> None:
    error = error_from_response(429, "", {"retry-after": "17"}, CTX)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 17.0
    assert "in 17 s" in str(error)


def test_given_429_with_an_http_date_then_retry_after_is_the_seconds_until_it() -> None:
    header = email.utils.formatdate(1_000_030.0, usegmt=True)
    error = error_from_response(429, "", {"retry-after": header}, CTX, now=lambda: 1_000_000.0)
    assert isinstance(error, RateLimited)
    assert error.retry_after == pytest.approx(30.0)


def test_given_429_without_retry_after_then_retry_after_is_unknown() -> None:
    error = error_from_response(429, "", {}, CTX)
    assert isinstance(error, RateLimited)
    assert error.retry_after is None


# ---- through the client: transport failures ---------------------------------------------


def _raise(exc: Exception) -> object:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


@pytest.mark.parametrize(
    ("exc", "error_type"),
    [
        (httpx.ConnectError("Name or service not known"), Unreachable),
        (httpx.ConnectTimeout("connect timed out"), Unreachable),
        (httpx.ReadTimeout("read timed out"), TransientError),
        (httpx.RemoteProtocolError("peer closed connection"), TransientError),
    ],
)
def test_given_a_transport_failure_then_it_becomes_unreachable_or_transient(
    exc: Exception, error_type: type[MixpanelError]
) -> None:
    client, _, _ = make_client(_raise(exc), retry=NO_RETRY)  # type: ignore[arg-type]
    with pytest.raises(error_type) as caught:
        client.event_names()
    assert caught.value.retryable
    assert "project 4242" in str(caught.value)


def test_given_a_2xx_that_is_not_json_then_unexpected_response() -> None:
    client, _, _ = make_client(lambda r: httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(UnexpectedResponse):
        client.event_names()


def test_given_an_error_status_on_export_then_the_mapped_error_is_raised_at_first_next() -> None:
    client, mixpanel, _ = make_client(lambda r: json_response({"error": "nope"}, 402))
    rows = client.export(dt.date(2024, 5, 1), dt.date(2024, 5, 1))
    assert mixpanel.requests == []  # lazy: nothing sent before iteration
    with pytest.raises(PlanWithoutApiAccess):
        next(rows)
