"""Any local user could hang root's logged runs and stop `serve` from starting (issue 21): the
log lock file was made 0644 and flock works on a read-only descriptor, so another user held
LOCK_EX on `.world-timer.log.lock` and every run waited forever. Now the lock is 0600 and a
write waits LOCK_WAIT_SECONDS, then gives the one warning; the run and the server go on."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.processes import free_port, running
from world_timer.ops.logs import LOCK_FILE_NAME, LOCK_WAIT_SECONDS

WORLD_TIMER = str(Path(sys.executable).with_name("world-timer"))
HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)  # read-only: all another user needs
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@contextmanager
def lock_held(path: Path, seconds: float = 60) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait(timeout=5)


def _env(tmp_path: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WORLD_TIMER_")}
    return {**environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "TZ": "UTC"}


def test_a_held_lock_costs_a_run_one_warning_not_a_hang(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    lock = logs / LOCK_FILE_NAME
    lock.touch(mode=0o644)
    lock.chmod(0o644)  # as earlier releases made it
    with lock_held(lock):
        started = time.monotonic()
        result = subprocess.run(
            [WORLD_TIMER, "--log-dir", str(logs), "Tokyo"],
            capture_output=True,
            text=True,
            timeout=30,
            env=_env(tmp_path),
            check=False,
        )
        took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "Asia/Tokyo" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "held by another process" in warnings[0], result.stderr
    assert str(lock) in warnings[0]
    assert took < LOCK_WAIT_SECONDS + 20  # bounded: before the fix it never returned
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600  # narrowed: no longer 0644


def test_a_new_lock_file_is_0600(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    subprocess.run(
        [WORLD_TIMER, "--log-dir", str(logs), "Lima"],
        capture_output=True,
        timeout=30,
        env=_env(tmp_path),
        check=True,
    )
    assert stat.S_IMODE((logs / LOCK_FILE_NAME).stat().st_mode) == 0o600


def test_serve_starts_and_stops_with_the_lock_held(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    lock = logs / LOCK_FILE_NAME
    lock.touch(mode=0o600)
    port = free_port()
    command = [WORLD_TIMER, "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-dir", str(logs)]
    with (
        lock_held(lock),
        running(
            command,
            f"http://127.0.0.1:{port}/api/timezone/Asia/Tokyo",
            tmp_path / "serve.log",
            env=_env(tmp_path),
            start_new_session=True,
        ),
    ):
        pass  # it answered while another process held the lock; `running` stops it (SIGTERM)
