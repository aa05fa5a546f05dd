"""The secret never reaches a repr, an error message or a log line, whatever fails."""

from __future__ import annotations

import base64
import datetime as dt
import logging

import httpx
import pytest

from tests.unit.mixpanel.fakes import SECRET, export_body, gzip_response, make_client
from usage_analytics.mixpanel import NO_RETRY, MixpanelError, RetryPolicy

ENCODED = base64.b64encode(f"usage-analytics.sa:{SECRET}".encode()).decode()
DAY = dt.date(2024, 5, 19)


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 429, 500])
def test_given_an_error_body_echoing_the_credentials_then_nothing_leaks(
    status: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = f"Unable to authenticate request {SECRET} Authorization: Basic {ENCODED}"
    client, _, _ = make_client(lambda r: httpx.Response(status, text=echo), retry=NO_RETRY)
    with pytest.raises(MixpanelError) as caught:
        client.event_names()
    for text in (str(caught.value), repr(caught.value), caplog.text, repr(client)):
        assert SECRET not in text
        assert ENCODED not in text


def test_request_logs_carry_path_status_attempt_and_elapsed_but_no_header(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client, _, _ = make_client(
        lambda r: httpx.Response(503),
        lambda r: gzip_response(export_body(3)),
        retry=RetryPolicy(max_attempts=2, base_delay=0.1),
    )
    list(client.export(DAY, DAY))
    records = [r for r in caplog.records if r.name == "usage_analytics.mixpanel"]
    requests = [r for r in records if r.getMessage() == "mixpanel request"]
    assert [(r.path, r.status, r.attempt) for r in requests] == [  # type: ignore[attr-defined]
        ("/api/2.0/export", 503, 1),
        ("/api/2.0/export", 200, 2),
    ]
    assert all(isinstance(r.elapsed_ms, float) for r in requests)  # type: ignore[attr-defined]
    assert any(r.getMessage() == "mixpanel request will be retried" for r in records)
    everything = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert SECRET not in everything
    assert ENCODED not in everything
    assert "Authorization" not in everything
