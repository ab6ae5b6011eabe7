"""The live view: drawn in a real pseudo-terminal (pexpect), refreshed in place, quit on `q` or
Ctrl-C with the terminal restored; printed once when stdout is not a terminal."""

from __future__ import annotations

import io
import os
import re
import shlex
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect
import pytest
from clirun import run_cli

from world_timer.live import CLEAR_BELOW, HIDE_CURSOR, SHOW_CURSOR, run_live, screen_rows

TIMEOUT = 10
UTC_ROW = re.compile(r"UTC +Mon \d{4}-\d\d-\d\d +(\d\d:\d\d:\d\d)")


def _environ(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TZ": "Europe/London",
        "WORLD_TIMER_LOG_DIR": str(tmp_path),
        "NO_COLOR": "1",
    }


def _spawn(args: list[str], tmp_path: Path) -> pexpect.spawn:
    """Run world-timer ARGS in a pseudo-terminal, then print its exit code and `stty -a`."""
    command = shlex.join([sys.executable, "-m", "world_timer", *args])
    # The shell traps SIGINT (so Ctrl-C reaches only the CLI, which gets the default action back).
    script = f"trap : INT; {command}; echo EXIT=$?; stty -a"
    return pexpect.spawn(
        "/bin/sh",
        ["-c", script],
        env=_environ(tmp_path),
        dimensions=(24, 120),
        timeout=TIMEOUT,
        encoding="utf-8",
    )


def _frame_times(child: pexpect.spawn, count: int) -> list[str]:
    """The UTC row's time in the next `count` frames that differ from each other."""
    times: list[str] = []
    while len(times) < count:
        child.expect(r"UTC +\w{3} \d{4}-\d\d-\d\d +(\d\d:\d\d:\d\d)")
        if not times or child.match.group(1) != times[-1]:
            times.append(child.match.group(1))
    return times


def _assert_restored(child: pexpect.spawn, code: int) -> str:
    child.expect(r"EXIT=(\d+)")
    assert int(child.match.group(1)) == code
    child.expect(pexpect.EOF)
    settings = child.before
    # Canonical mode and echo are back on after the live view's cbreak mode.
    assert re.search(r"(?<!-)\bicanon\b", settings), settings
    assert re.search(r"(?<!-)\becho\b", settings), settings
    return settings


def test_watch_draws_refreshes_in_place_and_quits_on_q(tmp_path: Path) -> None:
    child = _spawn(["watch", "UTC", "Asia/Kathmandu"], tmp_path)
    first, second = _frame_times(child, 2)
    assert second > first or first.startswith("23:59")
    # The second frame was drawn over the first: cursor up 4 rows (header, 2 places, footer).
    assert f"\x1b[4F{CLEAR_BELOW}" in child.before + child.after
    child.expect(r"Kathmandu +\w{3} [-\d]+ +\d\d:\d\d:\d\d +\+05:45")
    child.expect("q or Ctrl-C to quit")
    child.send("q")
    child.expect_exact(SHOW_CURSOR)
    _assert_restored(child, 0)


def test_watch_quits_on_ctrl_c_with_130(tmp_path: Path) -> None:
    child = _spawn(["watch", "UTC"], tmp_path)
    _frame_times(child, 1)
    child.sendintr()
    child.expect("interrupted")
    _assert_restored(child, 130)


def test_now_watch_option_draws_and_quits(tmp_path: Path) -> None:
    child = _spawn(["--strict", "--watch", "-c", "UTC", "Lodnon"], tmp_path)
    child.expect("'Lodnon': not found")
    _frame_times(child, 2)
    child.send("q")
    _assert_restored(child, 1)  # a place was not resolved: still 1, as without --watch


def test_watch_prints_once_when_stdout_is_not_a_terminal(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "world_timer", "watch", "UTC", "Tokyo"],
        env=_environ(tmp_path),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == ["UTC", "Asia/Tokyo"]
    assert re.fullmatch(r"\d\d:\d\d:\d\d", lines[0].split("\t")[3])
    assert "\x1b" not in done.stdout


NOW = datetime(2026, 1, 15, 12, 0, 0, 250_000, tzinfo=UTC)


def test_cli_watch_not_a_terminal_and_usage(tmp_path: Path) -> None:
    result = run_cli(["watch", "UTC", "--format", "json"], NOW, tmp_path)
    assert result.exit_code == 0
    assert '"utc_datetime": "2026-01-15T12:00:00.250000+00:00"' in result.stdout
    result = run_cli(["--watch", "--at", "15:00 Tokyo", "UTC"], NOW, tmp_path)
    assert result.exit_code == 2
    assert "cannot be combined with --at" in result.stderr
    assert run_cli(["watch"], NOW, tmp_path).exit_code == 2


def test_run_live_redraws_on_the_second_with_an_injected_clock() -> None:
    clock = [NOW]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += timedelta(seconds=seconds)

    out = io.StringIO()
    run_live(lambda t: f"{t:%H:%M:%S}\nline two\n", lambda: clock[0], out, None, 3, sleep)
    assert out.getvalue() == (
        f"{HIDE_CURSOR}\r{CLEAR_BELOW}12:00:00\nline two\n"
        f"\x1b[2F{CLEAR_BELOW}12:00:01\nline two\n"
        f"\x1b[2F{CLEAR_BELOW}12:00:02\nline two\n{SHOW_CURSOR}"
    )
    assert waits == [pytest.approx(0.75), pytest.approx(1.0), pytest.approx(1.0)]


def test_screen_rows_counts_wrapped_lines_without_colour_codes() -> None:
    assert screen_rows("abc\n\n", 80) == 2
    assert screen_rows("x" * 81 + "\n", 80) == 2
    assert screen_rows("\x1b[2m" + "x" * 80 + "\x1b[0m\n", 80) == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_watch_restores_the_terminal_when_terminated(tmp_path: Path, signum: int) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "world_timer", "watch", "UTC"],
        env=_environ(tmp_path),
        dimensions=(24, 120),
        timeout=TIMEOUT,
        encoding="utf-8",
    )
    _frame_times(child, 1)
    echo_off = not child.getecho()  # cbreak mode: the live view turned echo off
    child.kill(signum)
    child.expect_exact(SHOW_CURSOR)
    child.expect(pexpect.EOF)
    child.close()
    assert echo_off
    assert child.exitstatus == 128 + signum
