"""A worldtimeapi-compatible HTTP server on 127.0.0.1 with injectable faults (tests, benchmarks).

Answers `GET /api/timezone/{zone key}` with `ZoneTime.to_worldtimeapi()` (plus `client_ip`) at the
server's clock (`now`, injectable), and 404 `{"error": "unknown location"}` for a key the pinned
tzdata does not have. A `Fault` set for a zone (or for every zone, key `"*"`) replaces the answer:
a status (503, 429...) with `Retry-After`, a connection reset, truncated JSON, an HTML page, another
zone's answer, a hang, a trickle of bytes. The server counts requests per zone and the most it had
in flight at once. It binds 127.0.0.1 on port 0 and runs in a daemon thread; `stop()` (or leaving
the `with` block) releases hanging and trickling handlers.

Usage:
    with FakeWorldTimeApi(latency=0.1) as api:
        api.faults["Asia/Tokyo"] = Fault("status", status=503, times=2, retry_after="1")
        requests.get(api.base_url + "/timezone/Asia/Tokyo")
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from world_timer.timekeeping.zones import UnknownZoneError, canonical_key, load_zone
from world_timer.timekeeping.zonetime import zone_time

FAULT_KINDS = (
    "status",  # answer `status` (with Retry-After when set) instead of the zone
    "reset",  # read the request, then reset the connection (RST): no answer at all
    "truncated",  # a JSON answer cut in half, with a Content-Length that matches the cut
    "html",  # 200 with an HTML page
    "wrong_zone",  # the answer of `zone` instead of the asked one
    "hang",  # never answer (until the server stops)
    "trickle",  # the right answer, one byte every `interval` seconds
    "unknown",  # 404 {"error": "unknown location"}, as a server with an older tzdata would say
)


@dataclass
class Fault:
    """What the server does instead of answering; `times` faulty answers, then normal ones
    (None: forever)."""

    kind: str
    times: int | None = None
    status: int = 503
    retry_after: str | None = None
    zone: str = "Europe/Paris"
    interval: float = 0.05
    served: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {', '.join(FAULT_KINDS)}")


class FakeWorldTimeApi:
    """The server; see the module docstring. `latency` seconds are waited before every answer."""

    def __init__(
        self, now: Callable[[], datetime] | None = None, latency: float = 0.0, port: int = 0
    ) -> None:
        self.now = now or (lambda: datetime.now(UTC))
        self.latency = latency
        self.faults: dict[str, Fault] = {}
        self.requests: Counter[str] = Counter()
        self.arrivals: list[tuple[str, float]] = []
        """(zone, time.monotonic()) of every request, in arrival order."""
        self.in_flight = 0
        self.max_in_flight = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.api = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """The TCP port the server listens on (127.0.0.1)."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The protocol's base URL, e.g. `http://127.0.0.1:40123/api`."""
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> FakeWorldTimeApi:
        """Start serving in a daemon thread; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hanging handlers, stop serving and close the socket (within ~0.1 s)."""
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeWorldTimeApi:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def fault_for(self, zone: str) -> Fault | None:
        """The fault to apply to this request of `zone` (counting it), or None."""
        with self._lock:
            fault = self.faults.get(zone) or self.faults.get("*")
            if fault is None or (fault.times is not None and fault.served >= fault.times):
                return None
            fault.served += 1
            return fault

    def enter(self, zone: str) -> None:
        """Count a request arriving."""
        with self._lock:
            self.requests[zone] += 1
            self.arrivals.append((zone, time.monotonic()))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        """Count a request done."""
        with self._lock:
            self.in_flight -= 1

    def answer(self, zone: str, client_ip: str) -> dict[str, Any] | None:
        """The worldtimeapi object of `zone` now, or None when tzdata has no such key."""
        key = canonical_key(zone)
        if key is None or key != zone:
            return None
        try:
            time_there = zone_time(load_zone(key), self.now())
        except UnknownZoneError:
            return None
        return {**time_there.to_worldtimeapi(), "client_ip": client_ip}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # socketserver's 5 would drop connections of a burst of 20
    api: FakeWorldTimeApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is normal here: no traceback on stderr."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as worldtimeapi.org does
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as separate writes: without TCP_NODELAY, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read counters, not an access log."""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        prefix = "/api/timezone/"
        if not path.startswith(prefix):
            self._send(404, {"error": "unknown location"})
            return
        zone = unquote(path[len(prefix) :])
        api = self.server.api
        api.enter(zone)
        try:
            if api.latency:
                api.stopping.wait(api.latency)
            self._serve(zone, api)
        finally:
            api.leave()

    def _serve(self, zone: str, api: FakeWorldTimeApi) -> None:
        fault = api.fault_for(zone)
        answer = api.answer(zone, self.client_address[0])
        kind = fault.kind if fault else None
        if kind == "status" and fault is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self._send(fault.status, {"error": f"HTTP {fault.status}"}, headers)
        elif kind == "reset":
            # SO_LINGER 0 + close sends RST: the client sees "connection reset by peer".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif kind == "hang":
            api.stopping.wait(60)
            self.close_connection = True
        elif answer is None or kind == "unknown":
            self._send(404, {"error": "unknown location"})
        elif kind == "truncated":
            body = json.dumps(answer).encode()
            self._send_bytes(200, "application/json; charset=utf-8", body[: len(body) // 2])
        elif kind == "html":
            page = b"<!doctype html><html><body><h1>Maintenance</h1></body></html>"
            self._send_bytes(200, "text/html; charset=utf-8", page)
        elif kind == "wrong_zone" and fault is not None:
            self._send(200, api.answer(fault.zone, self.client_address[0]))
        elif kind == "trickle" and fault is not None:
            self._trickle(json.dumps(answer).encode(), fault.interval, api.stopping)
        else:
            self._send(200, answer)

    def _send(self, status: int, data: object, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self._send_bytes(status, "application/json; charset=utf-8", body, headers)

    def _send_bytes(
        self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, body: bytes, interval: float, stopping: threading.Event) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        for byte in body:
            if stopping.wait(interval):
                break
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                break  # the client gave up: that is the point of the test
        self.close_connection = True


def main() -> int:
    """Serve from the command line (benchmarks run it as a separate process, as a real server is).

    Prints `http://127.0.0.1:PORT/api` on stdout once listening; stops after --seconds, or when
    stdin closes (its parent went away), whichever comes first.
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="A worldtimeapi-compatible loopback server.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--seconds", type=float, default=120.0, help="serve at most this long")
    parser.add_argument("--clock-offset", type=float, default=0.0, help="seconds added to now")
    options = parser.parse_args()
    shift = timedelta(seconds=options.clock_offset)
    now = lambda: datetime.now(UTC) + shift  # noqa: E731 (a one-line clock)
    with FakeWorldTimeApi(now, latency=options.latency, port=options.port) as api:
        print(api.base_url, flush=True)
        stdin_closed = threading.Event()

        def watch_stdin() -> None:
            sys.stdin.read()
            stdin_closed.set()

        threading.Thread(target=watch_stdin, daemon=True).start()
        stdin_closed.wait(options.seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
