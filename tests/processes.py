"""Real processes for the tests: `world-timer` run once (`run_world_timer`), and a server
process started, waited for until it answers, and always stopped (`running`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(command: list[str], ready_url: str, log: Path, **popen: object) -> Iterator[None]:
    """Run `command` (output to `log`) until `ready_url` answers 2xx; stop it with SIGTERM (then
    SIGKILL) when the block ends. The test fails with the log's tail if it never gets ready."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **popen)  # type: ignore[call-overload]
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(ready_url, timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        pytest.fail(f"{command[0]} did not start: {log.read_text()[-2000:]}")
                    time.sleep(0.05)
            yield
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


WORLD_TIMER = [sys.executable, "-m", "world_timer"]
"""`world-timer` as a real process of this interpreter."""


def run_world_timer(
    args: Sequence[str | bytes], tmp_path: Path, **environ: str
) -> subprocess.CompletedProcess[str]:
    """Run `world-timer ARGS` as a real process (logs under `tmp_path/logs`, `environ` added to
    this environment), bounded at 60 s; never raises for its exit code."""
    environment = {**os.environ, "WORLD_TIMER_LOG_DIR": str(tmp_path / "logs"), **environ}
    return subprocess.run(
        [*WORLD_TIMER, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
