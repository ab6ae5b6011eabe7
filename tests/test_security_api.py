"""The API client against hostile servers (issue 14, item 4): real loopback servers in threads.

Each once went wrong: `check-clock --timeout 2` against a server trickling its headers took 89 s;
a `302` with a malformed Location printed a traceback and no row at all, not even `Lima`; a
redirect to another host was followed and shown as `source: api`; a 5,000-digit integer was
reported as "not UTF-8 text".
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

WORLD_TIMER = [sys.executable, "-m", "world_timer"]
MARGIN = 1.5
"""Seconds allowed past a deadline for starting Python and thread scheduling on a loaded machine."""
Handler = Callable[[socket.socket, bytes, int], None]


class RawServer:
    """A TCP server on 127.0.0.1 that reads one request head per connection and lets `handler`
    (socket, request head, own port) write whatever bytes it likes; stops at the end of the block."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.heads: list[bytes] = []

    def __enter__(self) -> RawServer:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.sock.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            conn.settimeout(10)
            try:
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                self.heads.append(head)
                self.handler(conn, head, self.port)
            except OSError:
                return


def _answer(zone: str, extra: str = "") -> bytes:
    """A worldtimeapi answer for `zone` now (from our own model), optionally with raw JSON
    `extra` fields spliced in."""
    from datetime import UTC, datetime

    from world_timer.timekeeping.zones import load_zone
    from world_timer.timekeeping.zonetime import zone_time

    data = zone_time(load_zone(zone), datetime.now(UTC)).to_worldtimeapi()
    body = json.dumps(data)
    if extra:
        body = body[:-1] + ", " + extra + "}"
    return body.encode()


def _respond(conn: socket.socket, status: str, headers: bytes, body: bytes = b"") -> None:
    conn.sendall(
        f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n".encode()
        + headers
        + b"\r\n"
        + body
    )


def _zone(head: bytes) -> str:
    return head.split(b" ")[1].decode().split("/timezone/", 1)[1]


def run(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run world-timer ARGS as a process (logs into a fresh temporary folder); (result, seconds)."""
    logs = tempfile.mkdtemp(prefix="wt-api-logs-")
    started = time.monotonic()
    done = subprocess.run(
        [*WORLD_TIMER, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TZ": "UTC", "WORLD_TIMER_LOG_DIR": logs},
    )
    seconds = time.monotonic() - started
    shutil.rmtree(logs, ignore_errors=True)
    return done, seconds


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


# --- One deadline for the whole call -------------------------------------------------------------


def _trickle(conn: socket.socket, _head: bytes, _port: int) -> None:
    """Headers one byte every 0.25 s, for ever (each byte arrives well within a read timeout)."""
    for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 10_000:
        conn.sendall(bytes([byte]))
        time.sleep(0.25)


@pytest.fixture
def trickling() -> Iterator[RawServer]:
    with RawServer(_trickle) as server:
        yield server


def test_check_clock_ends_by_its_timeout_against_trickled_headers(trickling: RawServer) -> None:
    done, seconds = run("check-clock", "--api-url", trickling.url, "--timeout", "2")
    no_traceback(done)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == "error: clock check failed: timeout: no complete answer within 2 s\n"
    assert seconds < 2 + MARGIN


def test_the_check_clock_option_ends_by_its_timeout_too(trickling: RawServer) -> None:
    args = ["--source", "api", "--api-url", trickling.url, "--timeout", "2", "--check-clock"]
    done, seconds = run(*args, "--format", "plain", "Tokyo")
    no_traceback(done)
    assert done.returncode == 0 and done.stdout.startswith("Tokyo, Japan\tAsia/Tokyo\t")
    assert "warning: clock check failed: timeout: no complete answer within 2 s" in done.stderr
    # The times (one deadline), then the clock check (its own): two deadlines in all.
    assert seconds < 2 * 2 + MARGIN


# --- Redirects -----------------------------------------------------------------------------------


def _redirect_to(location: bytes) -> Handler:
    def handler(conn: socket.socket, head: bytes, port: int) -> None:
        if b"/moved/" in head.split(b"\r\n", 1)[0]:
            zone = _zone(head)
            _respond(conn, "200 OK", b"Content-Type: application/json\r\n", _answer(zone))
            return
        target = location.replace(b"{port}", str(port).encode()).replace(
            b"{zone}", _zone(head).encode()
        )
        _respond(conn, "302 Found", b"Location: " + target + b"\r\n")

    return handler


def _rows(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    return {row["query"]: row for row in json.loads(done.stdout)}


@pytest.mark.parametrize(
    "location",
    [b"http://[::1", b"//[x]/", b"http://127.0.0.1:{port}/api/\xff\xfe/{zone}", b"http://:99999/"],
    ids=["unclosed-ipv6", "bad-authority", "not-utf8", "bad-port"],
)
def test_a_malformed_redirect_is_a_failed_request_with_fallback(location: bytes) -> None:
    with RawServer(_redirect_to(location)) as server:
        args = ["--source", "api", "--api-url", server.url, "--timeout", "3", "--format", "json"]
        done, _ = run(*args, "Tokyo", "Lima", "+05:30")
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    found = _rows(done)
    assert list(found) == ["Tokyo", "Lima", "+05:30"]  # every row, the API's or not
    assert found["Tokyo"]["source"] == found["Lima"]["source"] == "embedded"
    assert "malformed redirect" in str(found["Tokyo"]["fallback_reason"])
    assert found["+05:30"]["utc_offset"] == "+05:30"
    assert done.stderr.count("\n") == 1 and "malformed redirect" in done.stderr


def test_a_redirect_to_another_origin_is_not_followed() -> None:
    location = b"http://127.0.0.2:{port}/moved/timezone/{zone}"
    with RawServer(_redirect_to(location)) as server:
        args = ["--source", "api", "--api-url", server.url, "--timeout", "3", "--format", "json"]
        done, _ = run(*args, "Tokyo")
        heads = list(server.heads)
    no_traceback(done)
    row = _rows(done)["Tokyo"]
    assert row["source"] == "embedded"
    reason = str(row["fallback_reason"])
    assert (
        reason
        == "redirect to another origin not followed (http://127.0.0.2:" + str(server.port) + ")"
    )
    assert len(heads) == 1  # nothing asked of 127.0.0.2


def test_a_redirect_within_the_origin_is_followed() -> None:
    with RawServer(_redirect_to(b"/api/moved/timezone/{zone}")) as server:
        args = ["--source", "api", "--api-url", server.url, "--timeout", "3", "--format", "json"]
        done, _ = run(*args, "Tokyo")
    no_traceback(done)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert _rows(done)["Tokyo"]["source"] == "api"


def test_a_redirect_loop_ends() -> None:
    with RawServer(_redirect_to(b"/api/timezone/{zone}")) as server:
        args = ["--source", "api", "--api-url", server.url, "--timeout", "3", "--format", "json"]
        done, _ = run(*args, "Tokyo")
    no_traceback(done)
    assert _rows(done)["Tokyo"]["fallback_reason"] == "too many redirects (more than 3)"


# --- Bodies --------------------------------------------------------------------------------------


def test_a_five_thousand_digit_integer_names_the_real_reason() -> None:
    def handler(conn: socket.socket, head: bytes, _port: int) -> None:
        body = _answer(_zone(head), '"huge": ' + "9" * 5000)
        _respond(conn, "200 OK", b"Content-Type: application/json\r\n", body)

    with RawServer(handler) as server:
        args = ["--source", "api", "--api-url", server.url, "--timeout", "3", "--format", "json"]
        done, _ = run(*args, "Tokyo")
    no_traceback(done)
    reason = str(_rows(done)["Tokyo"]["fallback_reason"])
    assert reason == "bad JSON: an integer of more than 4300 digits"


def test_invalid_utf8_is_still_reported_as_such(tmp_path: Path) -> None:
    def handler(conn: socket.socket, _head: bytes, _port: int) -> None:
        _respond(conn, "200 OK", b"Content-Type: application/json\r\n", b'{"a": "\xff"}')

    with RawServer(handler) as server:
        args = ["--source", "api", "--api-url", server.url, "--timeout", "3", "--format", "json"]
        done, _ = run(*args, "Tokyo")
    assert str(_rows(done)["Tokyo"]["fallback_reason"]) == "bad JSON: not UTF-8 text"
