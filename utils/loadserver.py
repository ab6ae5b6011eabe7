"""Start `world-timer serve` on a free loopback port for a load test, and stop it afterwards.

Shared by utils/load_test_*.py and the server benches (bench_server.py, bench_hostile.py: the
path they load, the CPUs they pin, wrk's output, stopping what they started). The server gets
SIGTERM at the end (clean shutdown) and is killed if it has not stopped within 15 s.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
PATH = "/api/timezone/Asia/Tokyo"
"""The request the server benches load."""
SERVER_CPU, LOAD_CPU = "0", "1"
"""The CPUs the benches pin the server and the load generator to (taskset)."""
SUMMARY_FORMAT = (
    "{tool}: requests={requests} failures={failures} req/s={rps:.0f}"
    " p50={p50:.2f}ms p99={p99:.2f}ms"
)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(workers: int = 1, ready_seconds: float = 20) -> Iterator[str]:
    """Yield the base URL (`http://127.0.0.1:PORT`) of a `world-timer serve` started for the
    duration of the block. Raises RuntimeError when it does not answer within `ready_seconds`."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="wt-load-") as logs:
        command = [str(BIN / "world-timer"), "serve", "--port", str(port)]
        command += ["--workers", str(workers), "--log-dir", logs]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + ready_seconds
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"world-timer serve did not start on port {port}")
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            yield base
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def summary(tool: str, requests: int, failures: int, rps: float, p50: float, p99: float) -> str:
    """One line: requests, failures, requests/s and p50/p99 latency in milliseconds."""
    return SUMMARY_FORMAT.format(
        tool=tool, requests=requests, failures=failures, rps=rps, p50=p50, p99=p99
    )


def wait_ready(port: int, timeout: float = 15.0) -> None:
    """Wait until GET PATH answers 200; raise RuntimeError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{PATH}", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not answer within {timeout} s")


def parse_wrk(text: str) -> dict[str, float]:
    """Requests/s, p50/p99 (ms), requests, errors (socket errors + non-2xx) from `wrk --latency`."""

    def ms(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not match:
            return float("nan")
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": float(rps[1]) if rps else 0.0,
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "requests": float(total[1]) if total else 0.0,
        "errors": float(errors + (int(non2xx[1]) if non2xx else 0)),
    }


def stop_process(process: subprocess.Popen[Any]) -> None:
    """SIGTERM, then SIGKILL after 15 s: every process a bench starts ends with it."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
