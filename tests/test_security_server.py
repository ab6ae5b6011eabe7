"""`world-timer serve` under idle-connection attacks (issue 14, item 2), over real sockets.

Before: 1,100 connections that sent nothing held every one of Granian's default 1,024 connection
slots (backpressure = backlog / workers) for ever, and /healthz went unanswered. Now the soft
open-file limit is raised to the hard one, a worker serves as many connections as its descriptors
allow, and a connection that has not sent a complete request head after HEADER_SECONDS (from
its start, or from the end of its previous answer) is closed.
"""

from __future__ import annotations

import contextlib
import http.client
import resource
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import free_port, running
from world_timer.server.run import HEADER_SECONDS

WORLD_TIMER = str(Path(sys.executable).parent / "world-timer")
IDLE = 5000
LOW_SOFT_LIMIT = 1024  # what many systems give a program; the hard limit stays as it is


def _low_soft_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(LOW_SOFT_LIMIT, hard), hard))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`world-timer serve` started with a soft RLIMIT_NOFILE of 1,024, as from a login shell."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < IDLE + 500:
        pytest.skip(f"the hard open-file limit ({hard}) is below {IDLE} connections")
    # This test process holds the idle connections too: its own soft limit must allow them.
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    command = [WORLD_TIMER, "serve", "--port", str(port)]
    try:
        with running(command, f"http://127.0.0.1:{port}/healthz", log, preexec_fn=_low_soft_limit):
            yield port
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _get(port: int, path: str = "/healthz") -> tuple[int, float]:
    """(status, seconds) of one request on a new connection; fails after 10 s."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        answer.read()
        return answer.status, time.monotonic() - started
    finally:
        connection.close()


def _closed_after(sock: socket.socket, limit: float) -> float | None:
    """Seconds until the server closes `sock` (reading and dropping what it sends), None when it
    is still open after `limit` seconds."""
    started = time.monotonic()
    sock.settimeout(limit)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - started


def test_five_thousand_idle_connections_do_not_starve_a_request(server: int) -> None:
    idle = [socket.create_connection(("127.0.0.1", server), timeout=10) for _ in range(IDLE)]
    try:
        time.sleep(0.5)  # let the server accept them all
        answers = [_get(server) for _ in range(5)]
        # Functional, not a benchmark: before the fix this request was never answered. The
        # figure itself (about 1-2 ms on loopback) is measured by utils/bench_idle.py.
        assert [status for status, _ in answers] == [200] * 5
        assert max(seconds for _, seconds in answers) < 5
    finally:
        for sock in idle:
            sock.close()


def test_a_silent_connection_is_closed_after_the_header_timeout(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        closed = _closed_after(sock, HEADER_SECONDS + 5)
    assert closed is not None and HEADER_SECONDS - 1 <= closed <= HEADER_SECONDS + 2


def test_an_idle_keep_alive_connection_is_closed_after_the_header_timeout(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
        closed = _closed_after(sock, HEADER_SECONDS + 5)
    assert closed is not None and closed <= HEADER_SECONDS + 2


def test_a_trickled_request_head_is_cut_off(server: int) -> None:
    """Slowloris: one byte every 0.3 s never completes a head within HEADER_SECONDS."""
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100
    started = time.monotonic()
    # EPIPE or ECONNRESET once the server has closed it.
    with socket.create_connection(("127.0.0.1", server)) as sock, pytest.raises(OSError):
        for byte in head:
            sock.sendall(bytes([byte]))
            time.sleep(0.3)
    assert time.monotonic() - started <= HEADER_SECONDS + 3


def test_a_half_close_after_the_answer_was_sent_is_harmless(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        time.sleep(0.2)
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")


@pytest.mark.xfail(
    strict=True,
    reason="Granian 2.8.9 does not expose hyper's http1 half_close: an EOF read before the "
    "answer is written closes the connection (measured: 0 of 20 answered, before and after; "
    "uvicorn 0.55 and hypercorn 0.18 20 of 20); behind nginx: the test below",
)
def test_a_request_then_half_close_gets_its_answer(server: int) -> None:
    # 20 tries: whether Granian writes the answer before it reads the EOF is a race it
    # sometimes wins (once in CI), so one answered request proves nothing; all 20 would.
    answered = 0
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", server)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(5)
            with contextlib.suppress(OSError):
                answered += sock.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
    assert answered == 20, f"{answered} of 20 answered"


# --- /api/city/ misses (issue 14, item 3) -------------------------------------------------------
# Before: a miss cost ~30-80 ms of the event loop's CPU, so `wrk -c50 /api/city/Qzzqx` made
# /api/timezone/Asia/Tokyo wait 1.5 s (p99). Now misses are remembered and place searches run on
# a thread of their own (at most MAX_COSTLY_WAITING at once): `make bench-server` has the figures.


NGINX_CONF = """
daemon off; worker_processes 1; pid {dir}/nginx.pid; error_log {dir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off; client_body_temp_path {dir}; proxy_temp_path {dir};
    fastcgi_temp_path {dir}; uwsgi_temp_path {dir}; scgi_temp_path {dir};
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_http_version 1.1;
            proxy_read_timeout 5s;
            # A client that half-closes after its request is still answered (docs/security.md).
            proxy_ignore_client_abort on;
        }}
    }}
}}
"""


def test_a_half_closed_request_is_answered_behind_nginx(server: int, tmp_path: Path) -> None:
    """The documented way round Granian's half-close limit: nginx in front, with
    `proxy_ignore_client_abort on` (measured: 20 of 20 answered; 0 of 20 with nginx's default,
    0 of 20 straight to Granian; uvicorn and hypercorn answer 20 of 20 on their own)."""
    import os
    import shutil

    nginx = shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if nginx is None:
        pytest.skip("needs nginx (Debian: apt-get install nginx-light; .ci/run installs it)")
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=tmp_path, port=port, upstream=server), encoding="utf-8")
    command = [nginx, "-c", str(conf), "-p", str(tmp_path)]
    with running(command, f"http://127.0.0.1:{port}/healthz", tmp_path / "nginx.log"):
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                sock.shutdown(socket.SHUT_WR)
                sock.settimeout(5)
                assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")


def _distinct_misses(count: int) -> list[str]:
    letters = "bcdfghjklmnpqrstvwxz"
    return [f"Q{letters[i % 20]}{letters[i // 20 % 20]}zzqx" for i in range(count)]


def test_a_cheap_request_does_not_wait_behind_place_searches(server: int) -> None:
    """A time answer is not queued behind place searches. Misses cost ~1 ms each now (issue 11),
    so the flood is long: 24 clients asking 12 distinct misses each, one after another (~300
    searches on the search thread), and Tokyo asked once they have started."""
    from concurrent.futures import ThreadPoolExecutor

    finished: dict[str, float] = {}
    names = _distinct_misses(24 * 12)

    def ask(path: str) -> int:
        status, _ = _get(server, path)
        finished[path] = time.monotonic()
        return status

    def flood(client: int) -> list[int]:
        return [ask(f"/api/city/{name}") for name in names[client::24]]

    with ThreadPoolExecutor(25) as pool:
        searched = [pool.submit(flood, client) for client in range(24)]
        time.sleep(0.05)  # the searches are queued on the server
        tokyo = pool.submit(ask, "/api/timezone/Asia/Tokyo")
        assert tokyo.result(timeout=30) == 200
        statuses = [status for future in searched for status in future.result(timeout=120)]
    assert set(statuses) <= {404, 503} and 404 in statuses
    # Answered while the searches were still going on, not after the last of them.
    last_search = max(finished[f"/api/city/{name}"] for name in names)
    assert finished["/api/timezone/Asia/Tokyo"] < last_search


def test_a_miss_is_remembered_with_the_same_answer(server: int) -> None:
    def body(path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
        try:
            connection.request("GET", path)
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()

    first = body("/api/city/Qzzqxremembered")
    assert first[0] == 404 and b'"error":"unknown location"' in first[1]
    assert body("/api/city/Qzzqxremembered") == first
