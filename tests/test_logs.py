"""Log lines per place, the unwritable-folder and full-disk paths (real files, real errors)."""

from __future__ import annotations

import os
import re
from pathlib import Path

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (INFO|WARNING) ")


def test_one_line_per_place_with_the_resolved_zone_and_time(run, log_dir: Path) -> None:
    result = run(["Tokyo", "Nowhereville", "Valencia"])
    assert result.exit_code == 1
    lines = (log_dir / "world-timer.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert all(LINE.match(line) for line in lines)
    assert re.search(
        r" INFO run=[0-9a-f]{12} event=place query='Tokyo' place='Tokyo, Japan' geonameid=1850147 "
        r"zone='Asia/Tokyo' local='2026-11-30T22:05:00\+09:00' utc_offset='\+09:00' "
        r"source='embedded' latency_ms=[0-9.]+$",
        lines[0],
    )
    assert "WARNING" in lines[1] and "query='Nowhereville' error='not found'" in lines[1]
    assert "query='Valencia'" in lines[2] and "note=" in lines[2] and "Valencia, Spain" in lines[2]


def test_log_dir_option_beats_the_environment(run, tmp_path: Path, log_dir: Path) -> None:
    chosen = tmp_path / "chosen"
    run(["--log-dir", str(chosen), "Lima"])
    assert (chosen / "world-timer.log").exists()
    assert not (log_dir / "world-timer.log").exists()


def test_unwritable_log_dir_warns_once_and_still_prints(run, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    # A folder cannot be made under a regular file, whoever runs the test (root included).
    result = run(["--log-dir", str(blocker / "logs"), "--format", "plain", "Tokyo", "Qqqzzz"])
    assert result.exit_code == 1  # unchanged: it comes from the unresolved place, not the log
    assert result.stdout.startswith("Tokyo, Japan\t")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "cannot write logs" in warnings[0]
    assert "Traceback" not in result.stderr


def _file_size_limit() -> None:
    """In the child: every write past 100 bytes fails (EFBIG), as on a full disk (ENOSPC); SIGXFSZ
    ignored so the write fails instead of killing the process."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))


def test_a_failing_write_warns_once_and_still_prints(tmp_path: Path) -> None:
    """A write that fails (a file size limit here: /dev/full through a symlink, as this test once
    did, is now refused as a link) gives one warning, the times, exit 0."""
    import subprocess
    import sys

    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    (log_dir / "world-timer.log").write_bytes(b"x" * 100)  # already at the limit
    done = subprocess.run(
        [sys.executable, "-m", "world_timer", "--format", "plain", "Tokyo", "Lima"],
        env={**os.environ, "WORLD_TIMER_LOG_DIR": str(log_dir), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_file_size_limit,
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2
    assert (
        done.stderr
        == f"warning: cannot write the log file {log_dir / 'world-timer.log'}: File too large\n"
    )
