"""`--metrics-textfile D/world_timer.prom` as root into a folder others can write (issue 21): the
lock file, the textfile and the temporary file are never opened through a planted link, so a
dangling link can make root create no file anywhere; the times are still printed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.processes import run_world_timer


def _run(textfile: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_world_timer(["Tokyo", "--metrics-textfile", str(textfile)], tmp_path)


@pytest.mark.parametrize("planted", ["world_timer.prom.lock", "world_timer.prom"])
def test_a_dangling_link_makes_no_file_at_its_target(tmp_path: Path, planted: str) -> None:
    folder = tmp_path / "collector"
    folder.mkdir()
    target = tmp_path / "elsewhere" / "nologin"
    target.parent.mkdir()
    (folder / planted).symlink_to(target)
    done = _run(folder / "world_timer.prom", tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("Tokyo, Japan\t")
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"warning: cannot write the metrics file {folder / planted}: a symbolic link (refused)"
    ]
    assert not target.exists()
    assert (folder / planted).is_symlink()
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == (
        [planted] if not planted.endswith(".lock") else []
    )


def test_the_textfile_is_written_through_random_temporary_names(tmp_path: Path) -> None:
    """prometheus_client's write_to_textfile used `PATH.PID.THREAD`, a name another user can
    plant; links planted at every such name of the next pids are never followed."""
    folder = tmp_path / "collector"
    folder.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("root's file\n")
    for pid in range(os.getpid(), os.getpid() + 200):
        (folder / f"world_timer.prom.{pid}.tmp").symlink_to(victim)
    textfile = folder / "world_timer.prom"
    for _ in range(2):
        done = _run(textfile, tmp_path)
        assert done.returncode == 0 and done.stderr == "", done.stderr
    assert victim.read_text() == "root's file\n"
    text = textfile.read_text()
    assert 'world_timer_runs_total{result="success"} 2.0' in text  # the second run read the first
    assert oct((folder / "world_timer.prom.lock").stat().st_mode & 0o777) == "0o600"
    assert not [p for p in folder.iterdir() if p.name.startswith(".world_timer.prom")]
