"""Test doubles for the Mixpanel client: a scripted Mixpanel behind httpx.MockTransport,
a clock that only moves when told, a `sleep` that records instead of waiting."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import httpx
from pydantic import SecretStr

from usage_analytics.clock import FixedClock
from usage_analytics.mixpanel import (
    MixpanelClient,
    ProjectLimiter,
    Region,
    RetryPolicy,
    ServiceAccount,
)

SECRET = "sEcReT-7f3a9c-do-not-log"
TODAY = dt.date(2024, 5, 20)


def account(region: str = "US", project_id: int = 4242) -> ServiceAccount:
    return ServiceAccount(
        username="usage-analytics.sa",
        secret=SecretStr(SECRET),
        project_id=project_id,
        region=Region.parse(region),
    )


class FakeTime:
    """A monotonic clock plus a sleep that advances it and remembers every wait."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += max(0.0, seconds)


def unlimited() -> ProjectLimiter:
    """A limiter with a fake clock: client tests must not really wait on the rate gate."""
    fake = FakeTime()
    return ProjectLimiter(clock=fake.clock, sleep=fake.sleep)


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class ScriptedMixpanel:
    """Answers requests from a queue of handlers (the last one repeats); records requests."""

    script: list[Handler]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        handler = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return handler(request)


def make_client(
    *handlers: Handler,
    region: str = "US",
    base_url: str | None = None,
    retry: RetryPolicy | None = None,
    fake_time: FakeTime | None = None,
    **kwargs: object,
) -> tuple[MixpanelClient, ScriptedMixpanel, FakeTime]:
    mixpanel = ScriptedMixpanel(list(handlers))
    fake = fake_time or FakeTime()
    client = MixpanelClient(
        account(region),
        base_url=base_url,
        http=httpx.Client(transport=httpx.MockTransport(mixpanel)),
        limiter=unlimited(),
        retry=retry or RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=8.0),
        sleep=fake.sleep,
        rng=random.Random(7),
        clock=FixedClock(dt.datetime.combine(TODAY, dt.time(6), tzinfo=dt.UTC)),
        **kwargs,  # type: ignore[arg-type]
    )
    return client, mixpanel, fake


# ---- response builders -------------------------------------------------------------------


def event_line(i: int, event: str = "Report Viewed") -> bytes:
    return json.dumps(
        {
            "event": event,
            "properties": {
                "time": 1716163200 + i,
                "distinct_id": f"user-{i % 97}",
                "$insert_id": f"ins-{i:08d}",
                "company_id": f"acme-{i % 7}",
                "mp_processing_time_ms": 1716163200000 + i,
            },
        },
        separators=(",", ":"),
    ).encode()


def export_body(n: int) -> bytes:
    return b"".join(event_line(i) + b"\n" for i in range(n))


def gzip_response(body: bytes, status: int = 200) -> httpx.Response:
    return httpx.Response(status, headers={"Content-Encoding": "gzip"}, content=gzip.compress(body))


def chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


class RecordingStream(httpx.SyncByteStream):
    """A response body served chunk by chunk from an iterator, counting what was pulled and
    whether the client closed it."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self.pulled = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self.pulled += 1
            yield chunk

    def close(self) -> None:
        self.closed = True


def endless_gzip_export(lines_per_chunk: int = 200) -> Iterator[bytes]:
    """An export that never ends: gzip-compressed event lines, produced on demand."""
    compressor = zlib.compressobj(wbits=31)
    i = 0
    while True:
        raw = b"".join(event_line(i + k) + b"\n" for k in range(lines_per_chunk))
        i += lines_per_chunk
        out = compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH)
        yield out


def cut_after(chunks: Iterable[bytes], error: Exception) -> Iterator[bytes]:
    """The given chunks, then the connection breaks."""
    yield from chunks
    raise error


def json_response(payload: object, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=payload, headers=headers)


def me_payload(*projects: tuple[int, str, str]) -> dict[str, object]:
    """An /api/app/me answer listing (project id, name, timezone)."""
    return {
        "status": "ok",
        "results": {
            "user_id": 1,
            "organizations": {"77": {"id": 77, "name": "Acme Org"}},
            "projects": {
                str(pid): {"id": pid, "name": name, "timezone": tz, "organization_id": 77}
                for pid, name, tz in projects
            },
        },
    }
