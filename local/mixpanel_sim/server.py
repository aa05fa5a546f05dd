"""The simulator on a loopback socket: stdlib ThreadingHTTPServer, HTTP/1.1, streamed exports.

    with start_simulator(SimConfig(project=ProjectSpec(today=...))) as sim:
        httpx.get(sim.base_url + "/api/2.0/export", params=..., auth=sim.auth)

Export bodies go out with chunked transfer encoding (gzip-compressed on the fly when the
client sends `Accept-Encoding: gzip`), so a day of a million events never sits in memory.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from local.mixpanel_sim.config import Limits, SimConfig
from local.mixpanel_sim.messages import CutConnection, SimRequest, SimResponse, error
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.simulator import Simulator

_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], simulator: Simulator) -> None:
        self.simulator = simulator
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MixpanelSimulator/1.0"
    server: _Server
    error_content_type = "application/json"
    error_message_format = '{"error": "%(message)s", "status": "error"}'

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request stderr lines; the request log has them."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        request = self._read_request()
        try:
            response = self.server.simulator.handle(request)
        except Exception as exc:  # a simulator bug must still answer, like a real 500
            response = error(500, f"simulator error: {type(exc).__name__}")
        try:
            if response.delay_seconds > 0:
                time.sleep(response.delay_seconds)
            if response.stream is None:
                self._send_whole(response)
            else:
                self._send_stream(response)
        except _CLIENT_GONE:
            self.close_connection = True
        finally:
            response.close()

    def _read_request(self) -> SimRequest:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        form: dict[str, str] = {}
        content_type = (self.headers.get("Content-Type") or "").lower()
        if body and content_type.startswith("application/x-www-form-urlencoded"):
            form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        return SimRequest(self.command, parts.path, query, form, headers, body)

    def _send_whole(self, response: SimResponse) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def _send_stream(self, response: SimResponse) -> None:
        config = self.server.simulator.config
        assert response.stream is not None
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        if response.gzip:
            self.send_header("Content-Encoding", "gzip")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        compressor = (
            zlib.compressobj(config.gzip_level, zlib.DEFLATED, 31) if response.gzip else None
        )
        buffer: list[bytes] = []
        size = 0
        try:
            for line in response.stream:
                buffer.append(line)
                size += len(line)
                if size >= config.chunk_bytes:
                    self._chunk(b"".join(buffer), compressor)
                    buffer, size = [], 0
        except CutConnection:
            self._chunk(b"".join(buffer), compressor, flush=zlib.Z_SYNC_FLUSH)
            self._abort()
            return
        self._chunk(b"".join(buffer), compressor, flush=zlib.Z_FINISH)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _chunk(self, data: bytes, compressor: Any, flush: int | None = None) -> None:
        if compressor is not None:
            data = compressor.compress(data)
            if flush is not None:
                data += compressor.flush(flush)
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def _abort(self) -> None:
        """Drop the connection without the last chunk: the client sees a broken body."""
        self.wfile.flush()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class SimulatorHandle:
    """A running simulator: `base_url`, `auth`, the `simulator` state, and `stop()`."""

    def __init__(self, server: _Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.host = str(host)
        self.port = int(port)
        self.base_url = f"http://{self.host}:{self.port}"

    @property
    def simulator(self) -> Simulator:
        return self._server.simulator

    @property
    def project(self) -> SyntheticProject:
        return self.simulator.project

    @property
    def config(self) -> SimConfig:
        return self.simulator.config

    @property
    def auth(self) -> tuple[str, str]:
        """(username, secret) of the main service account, for an HTTP client's Basic auth."""
        return self.config.username, self.config.secret

    def add_fault(self, kind: str, **params: object) -> dict[str, object]:
        return self.simulator.faults.add({"kind": kind, **params}).to_json()

    def clear_faults(self) -> None:
        self.simulator.faults.clear()

    def set_faults(self, faults: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
        """Replace every armed fault with these (each `{"kind": ..., ...}`)."""
        self.simulator.faults.clear()
        return [self.simulator.faults.add(f).to_json() for f in faults]

    def set_limits(self, *, export: Limits | None = None, query: Limits | None = None) -> None:
        """Change rate limits at runtime (`UNLIMITED` switches them off)."""
        if export is not None:
            self.simulator.limiters["export"].set_limits(export)
        if query is not None:
            self.simulator.limiters["query"].set_limits(query)

    def reset(self) -> None:
        """Clear faults, the request log, rate-limit windows and Engage sessions."""
        self.simulator.reset()

    def requests(self, path: str | None = None) -> list[dict[str, object]]:
        return self.simulator.log.entries(path)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SimulatorHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"SimulatorHandle(base_url={self.base_url!r})"


def start_simulator(
    config: SimConfig | None = None, *, project: SyntheticProject | None = None
) -> SimulatorHandle:
    """Start a simulator on a background thread and return once it accepts connections.

    Pass an already built `project` to share one (e.g. a big one) between simulators.
    """
    config = config or SimConfig()
    server = _Server((config.host, config.port), Simulator(config, project))
    thread = threading.Thread(target=server.serve_forever, name="mixpanel-sim", daemon=True)
    thread.start()
    return SimulatorHandle(server, thread)
