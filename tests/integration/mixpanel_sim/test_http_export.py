"""The export over HTTP: chunked, gzip on the wire when asked, broken the ways Mixpanel
breaks."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest

from local.mixpanel_sim.server import SimulatorHandle
from tests.integration.mixpanel_sim.conftest import SPEC, YESTERDAY, export_params

pytestmark = pytest.mark.integration
EXPORT = "/api/2.0/export"


def test_the_export_is_chunked_and_equals_the_generated_day(
    sim: SimulatorHandle, client: httpx.Client
) -> None:
    response = client.get(
        EXPORT, params=export_params(YESTERDAY), headers={"Accept-Encoding": "identity"}
    )
    assert response.status_code == 200
    assert response.headers["transfer-encoding"] == "chunked"
    assert "content-encoding" not in response.headers
    assert response.content == sim.project.day_export_bytes(YESTERDAY)


def test_given_accept_encoding_gzip_then_the_wire_bytes_are_gzip(
    sim: SimulatorHandle, client: httpx.Client
) -> None:
    with client.stream(
        "GET", EXPORT, params=export_params(YESTERDAY), headers={"Accept-Encoding": "gzip"}
    ) as response:
        assert response.headers["content-encoding"] == "gzip"
        raw = b"".join(response.iter_raw())
    assert raw[:2] == b"\x1f\x8b"
    assert gzip.decompress(raw) == sim.project.day_export_bytes(YESTERDAY)
    assert len(raw) < len(sim.project.day_export_bytes(YESTERDAY)) / 4


def test_terminated_early_arrives_as_the_last_line_of_a_200(
    sim: SimulatorHandle, client: httpx.Client
) -> None:
    sim.add_fault("terminated_early", after_lines=100, day=YESTERDAY.isoformat())
    response = client.get(EXPORT, params=export_params(YESTERDAY))
    assert response.status_code == 200
    lines = response.content.splitlines()
    assert lines[-1] == b"terminated early"
    assert len(lines) == 101
    assert all(json.loads(line)["event"] for line in lines[:-1])


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_cut_connection_breaks_the_body_mid_stream(
    sim: SimulatorHandle, client: httpx.Client, encoding: str
) -> None:
    sim.add_fault("cut_connection", after_lines=2_000)
    received: list[bytes] = []
    with (
        pytest.raises(httpx.TransportError),
        client.stream(
            "GET", EXPORT, params=export_params(YESTERDAY), headers={"Accept-Encoding": encoding}
        ) as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            received.append(line.encode())
    assert 0 < len(received) <= 2_000
    assert sim.requests(EXPORT)[-1]["outcome"] == "cut"
    # the server is still fine afterwards
    again = client.get(EXPORT, params=export_params(YESTERDAY, limit=1))
    assert again.status_code == 200 and again.content.count(b"\n") == 1


def test_slow_and_stalled_responses_still_complete(
    sim: SimulatorHandle, client: httpx.Client
) -> None:
    sim.add_fault("slow", delay_seconds=0.2, stall_seconds=0.2, after_lines=50)
    response = client.get(EXPORT, params=export_params(YESTERDAY))
    assert response.content == sim.project.day_export_bytes(YESTERDAY)
    assert sim.requests(EXPORT)[-1]["fault"] == "slow"


def test_plain_text_basic_credentials_are_accepted_and_errors_are_json(
    sim: SimulatorHandle,
) -> None:
    username, secret = sim.auth
    plain = httpx.get(
        f"{sim.base_url}{EXPORT}",
        params=export_params(YESTERDAY, limit=2),
        headers={"Authorization": f"Basic {username}:{secret}"},
    )
    assert plain.status_code == 200 and plain.content.count(b"\n") == 2
    wrong = httpx.get(
        f"{sim.base_url}{EXPORT}", params=export_params(YESTERDAY), auth=(username, "not-it")
    )
    assert wrong.status_code == 401
    assert wrong.json() == {"error": "Unable to authenticate request", "status": "error"}


def test_one_connection_serves_several_requests_after_a_stream(
    client: httpx.Client,
) -> None:
    for _ in range(3):
        response = client.get(EXPORT, params=export_params(YESTERDAY, limit=10))
        assert response.content.count(b"\n") == 10
    me = client.get("/api/app/me")
    assert str(SPEC.project_id) in me.json()["results"]["projects"]
