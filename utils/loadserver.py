"""Start `world-timer serve` on a free loopback port for a load test, and stop it afterwards.

Shared by utils/load_test_*.py. The server gets SIGTERM at the end (clean shutdown) and is killed
if it has not stopped within 15 s.
"""

from __future__ import annotations

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

BIN = Path(sys.executable).parent
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
