"""Log lines per place, the unwritable-folder and full-disk paths (real files, real errors)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from world_timer.cli import CliEnv

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


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_full_disk_warns_once_and_still_prints(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from world_timer.cli import cli

    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    (log_dir / "world-timer.log").symlink_to("/dev/full")  # every write fails with ENOSPC
    env = CliEnv(environ={"WORLD_TIMER_LOG_DIR": str(log_dir)})
    result = CliRunner().invoke(cli, ["--format", "plain", "Tokyo", "Lima"], obj=env)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "No space left on device" in warnings[0]
