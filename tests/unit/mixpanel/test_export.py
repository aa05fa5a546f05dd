"""The raw export as a lazy stream of JSON lines: gzip decoded on the fly, lines rejoined
across chunks, failures mapped, and retried only while the consumer has seen nothing."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json

import httpx
import pytest

from tests.unit.mixpanel.fakes import (
    SECRET,
    RecordingStream,
    chunked,
    cut_after,
    endless_gzip_export,
    event_line,
    export_body,
    gzip_response,
    json_response,
    make_client,
)
from usage_analytics.mixpanel import RateLimited, RetryPolicy, TransientError

DAY = dt.date(2024, 5, 19)


def streamed(body: bytes, chunk_size: int, *, gzipped: bool = True) -> httpx.Response:
    data = gzip.compress(body) if gzipped else body
    headers = {"Content-Encoding": "gzip"} if gzipped else {}
    return httpx.Response(200, headers=headers, stream=RecordingStream(chunked(data, chunk_size)))


def test_the_request_asks_for_gzip_one_day_with_basic_auth_and_the_project_id() -> None:
    client, mixpanel, _ = make_client(lambda r: gzip_response(export_body(3)))
    list(client.export(DAY, DAY, events=["Report Viewed", "Export Clicked"], limit=500))
    (request,) = mixpanel.requests
    assert request.method == "GET"
    assert request.url.path == "/api/2.0/export"
    assert dict(request.url.params) == {
        "project_id": "4242",
        "from_date": "2024-05-19",
        "to_date": "2024-05-19",
        "event": '["Report Viewed", "Export Clicked"]',
        "limit": "500",
    }
    assert request.headers["Accept-Encoding"] == "gzip"
    expected = base64.b64encode(f"usage-analytics.sa:{SECRET}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"


def test_a_gzipped_body_in_small_chunks_yields_every_event_line_without_newlines() -> None:
    body = export_body(500)
    client, _, _ = make_client(lambda r: streamed(body, chunk_size=97))
    lines = list(client.export(DAY, DAY))
    assert lines == body.splitlines()
    assert all(json.loads(line)["event"] == "Report Viewed" for line in lines)


def test_an_uncompressed_body_works_too() -> None:
    body = export_body(20)
    client, _, _ = make_client(lambda r: streamed(body, chunk_size=13, gzipped=False))
    assert list(client.export(DAY, DAY)) == body.splitlines()


def test_an_empty_day_yields_nothing() -> None:
    client, _, _ = make_client(lambda r: httpx.Response(200, content=b""))
    assert list(client.export(DAY, DAY)) == []


def test_given_an_endless_body_when_the_consumer_stops_early_then_the_rest_is_never_read() -> None:
    stream = RecordingStream(endless_gzip_export(lines_per_chunk=200))
    client, _, _ = make_client(
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=stream)
    )
    with client.export(DAY, DAY) as rows:
        first = [next(rows) for _ in range(250)]
    assert first[0] == event_line(0) and first[-1] == event_line(249)
    assert stream.pulled <= 3
    assert stream.closed


def test_given_a_consumer_that_fails_midway_then_the_with_block_closes_the_stream() -> None:
    stream = RecordingStream(endless_gzip_export())
    client, _, _ = make_client(
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=stream)
    )
    with pytest.raises(KeyError), client.export(DAY, DAY) as rows:
        for line in rows:
            json.loads(line)["no such key"]
    assert stream.closed


def test_the_stream_is_closed_when_the_consumer_finishes() -> None:
    stream = RecordingStream(chunked(gzip.compress(export_body(10)), 50))
    client, _, _ = make_client(
        lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=stream)
    )
    assert len(list(client.export(DAY, DAY))) == 10
    assert stream.closed


def test_given_terminated_early_before_any_line_then_the_export_is_retried() -> None:
    client, mixpanel, fake = make_client(
        lambda r: httpx.Response(200, content=b"terminated early\n"),
        lambda r: gzip_response(export_body(5)),
    )
    assert len(list(client.export(DAY, DAY))) == 5
    assert len(mixpanel.requests) == 2
    assert len(fake.waits) == 1


def test_given_terminated_early_after_lines_then_a_transient_error_and_no_retry() -> None:
    body = export_body(5) + b"terminated early\n"
    client, mixpanel, _ = make_client(lambda r: gzip_response(body))
    received = []
    with pytest.raises(TransientError) as caught:
        for line in client.export(DAY, DAY):
            received.append(line)
    assert len(received) == 5
    assert len(mixpanel.requests) == 1
    assert "terminated early" in str(caught.value)
    assert "re-run the whole day" in str(caught.value)
    assert caught.value.retryable


def test_given_a_connection_cut_mid_stream_then_a_transient_error_after_the_lines_read() -> None:
    data = gzip.compress(export_body(1000))
    broken = cut_after(chunked(data[: len(data) // 2], 512), httpx.RemoteProtocolError("cut"))
    client, mixpanel, _ = make_client(
        lambda r: httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, stream=RecordingStream(broken)
        )
    )
    received = 0
    with pytest.raises(TransientError) as caught:
        for _ in client.export(DAY, DAY):
            received += 1
    assert 0 < received < 1000
    assert len(mixpanel.requests) == 1
    assert "RemoteProtocolError" in str(caught.value)


def test_given_a_connection_cut_before_any_line_then_the_stream_is_restarted() -> None:
    def cut_at_once(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, stream=RecordingStream(cut_after([b'{"ev'], httpx.ReadError("reset")))
        )

    client, mixpanel, _ = make_client(cut_at_once, lambda r: gzip_response(export_body(3)))
    assert len(list(client.export(DAY, DAY))) == 3
    assert len(mixpanel.requests) == 2


def test_given_a_read_timeout_on_every_attempt_then_transient_after_the_bounded_attempts() -> None:
    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no bytes for 300 s")

    client, mixpanel, fake = make_client(stall, retry=RetryPolicy(max_attempts=3, base_delay=1))
    with pytest.raises(TransientError):
        list(client.export(DAY, DAY))
    assert len(mixpanel.requests) == 3
    assert len(fake.waits) == 2


def test_given_429_with_retry_after_then_the_client_waits_that_long_and_retries() -> None:
    client, mixpanel, fake = make_client(
        lambda r: httpx.Response(
            429, text="Query rate limit exceeded", headers={"Retry-After": "7"}
        ),
        lambda r: httpx.Response(
            429, text="Query rate limit exceeded", headers={"Retry-After": "11"}
        ),
        lambda r: gzip_response(export_body(2)),
    )
    assert len(list(client.export(DAY, DAY))) == 2
    assert len(mixpanel.requests) == 3
    assert fake.waits[0] >= 7 and fake.waits[1] >= 11


def test_given_5xx_then_exponential_backoff_with_jitter_between_attempts() -> None:
    client, mixpanel, fake = make_client(
        lambda r: httpx.Response(502),
        lambda r: httpx.Response(503),
        lambda r: httpx.Response(500),
        lambda r: gzip_response(export_body(1)),
        retry=RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=60.0),
    )
    assert len(list(client.export(DAY, DAY))) == 1
    assert len(mixpanel.requests) == 4
    first, second, third = fake.waits
    assert 0.5 <= first <= 1 and 1 <= second <= 2 and 2 <= third <= 4


def test_given_a_retry_after_of_an_hour_then_rate_limited_is_raised_at_once() -> None:
    client, mixpanel, fake = make_client(
        lambda r: httpx.Response(429, headers={"Retry-After": "3600"})
    )
    with pytest.raises(RateLimited) as caught:
        list(client.export(DAY, DAY))
    assert caught.value.retry_after == 3600
    assert len(mixpanel.requests) == 1 and fake.waits == []


def test_invalid_arguments_are_refused_before_any_request() -> None:
    client, mixpanel, _ = make_client(lambda r: json_response([]))
    with pytest.raises(ValueError, match="before"):
        client.export(DAY, DAY - dt.timedelta(days=1))
    with pytest.raises(ValueError, match="100000"):
        client.export(DAY, DAY, limit=100_001)
    assert mixpanel.requests == []
