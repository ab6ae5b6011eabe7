"""The time API over real sockets on 127.0.0.1: the app in a server thread, and `world-timer serve`
as a real process with two workers, stopped with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from tests.processes import free_port
from world_timer.server.app import make_app

PINNED = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)
WORLD_TIMER = Path(sys.executable).parent / "world-timer"


def get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def threaded_server() -> Iterator[tuple[str, CollectorRegistry]]:
    """The app on uvicorn in a daemon thread, on a port the OS picks (ASGI face)."""
    import uvicorn

    registry = CollectorRegistry()
    app = make_app(registry=registry, now=lambda: PINNED)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}", registry
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def test_through_a_real_socket(threaded_server: tuple[str, CollectorRegistry]) -> None:
    base, registry = threaded_server
    status, headers, body = get(base + "/api/timezone/Asia/Tokyo")
    assert status == 200 and headers["cache-control"] == "no-store"
    answer = json.loads(body)
    assert (answer["datetime"], answer["client_ip"]) == (
        "2026-11-30T22:05:00.000000+09:00",
        "127.0.0.1",
    )
    status, _headers, body = get(base + "/api/timezone/Asia/Tokyo", method="DELETE")
    assert (status, json.loads(body)["error"]) == (405, "method not allowed")
    route = {"route": "/api/timezone/{area}/{location}", "method": "GET", "status": "200"}
    assert registry.get_sample_value("world_timer_http_requests_total", route) == 1


def wait_ready(base: str, process: subprocess.Popen[Any], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "world-timer serve exited early"
        try:
            if get(base + "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("world-timer serve did not answer in time")


def test_serve_two_workers_sigterm(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # the metrics folder is made under it
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [str(WORLD_TIMER), "serve", "--port", str(port), "--workers", "2"]
    command += ["--log-dir", str(tmp_path / "logs"), "--default-zone", "asia/tokyo"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_ready(base, process)
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: get(base + "/api/ip")[0], range(60)))
        assert statuses == [200] * 60
        body = json.loads(get(base + "/api/ip")[2])
        assert body["timezone"] == "Asia/Tokyo"
        # Each worker writes its own files to the one folder that /metrics adds up.
        (metrics_dir,) = tmp_path.glob("world-timer-metrics-*")
        pids = {p.stem.rsplit("_", 1)[1] for p in metrics_dir.glob("gauge_max_*.db")}
        assert len(pids) == 2
        metrics = get(base + "/metrics")[2].decode()
        line = 'world_timer_http_requests_total{method="GET",route="/api/ip",status="200"} 61.0'
        assert line in metrics
        assert "world_timer_build_info{" in metrics
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err and out == b""
    assert not list(tmp_path.glob("world-timer-metrics-*"))  # cleaned at shutdown
    log = (tmp_path / "logs" / "world-timer.log").read_text(encoding="utf-8")
    assert f"serving http://127.0.0.1:{port} workers=2" in log and "stopped" in log


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(WORLD_TIMER), "serve", "--port", str(port), "--log-dir", str(tmp_path)],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in result.stderr


def test_serve_bad_options(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(WORLD_TIMER), "serve", "--default-zone", "Mars/Base", "--log-dir", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "not an IANA zone key" in result.stderr


def _raw_head(port: int, path: str) -> bytes:
    """Everything the server sends to a HEAD request (closing the connection after it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(f"HEAD {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := conn.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks)


def test_serve_through_granian_with_non_ascii_and_malformed_paths(tmp_path: Path) -> None:
    """Granian's RSGI face gets the path percent-decoded: names in any script still resolve, bad
    UTF-8 is a JSON 400, and an encoded `%` stays a `%` (never a 500)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(WORLD_TIMER), "serve", "--port", str(port), "--log-dir", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_ready(base, process)
        moscow = get(base + "/api/city/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0")
        assert moscow[0] == 200 and json.loads(moscow[2])["time"]["timezone"] == "Europe/Moscow"
        cordoba = get(base + "/api/city/C%C3%B3rdoba%2C%20Spain")
        assert cordoba[0] == 200 and json.loads(cordoba[2])["place"]["country_code"] == "ES"
        for path, status in [
            ("/api/timezone/%ff", 400),
            ("/api/%ff", 400),
            ("/api/city/%25ff", 404),
            ("/api/timezone/Asia%2FTokyo", 200),
        ]:
            answer = get(base + path)
            assert answer[0] == status, (path, answer)
            assert json.loads(answer[2])
        # HEAD: the GET's status, one Content-Length of the GET's body, no body
        for path in ("/api/ip", "/api/timezone/Europe/Dublin.txt", "/nowhere"):
            got, head = get(base + path), _raw_head(port, path)
            assert head.startswith(f"HTTP/1.1 {got[0]} ".encode()), (path, head)
            lengths = [
                line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
            ]
            assert lengths == [f"content-length: {len(got[2])}".encode()], (path, head)
            assert head.endswith(b"\r\n\r\n")
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=20)
    assert b"Traceback" not in err
