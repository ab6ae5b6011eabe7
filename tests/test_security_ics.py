"""`plan --ics` under hostile titles and missing places (issue 21, part 3, item 4)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import icalendar

from tests.processes import run_world_timer

PLAN = ["plan", "Tokyo", "London", "--date", "2026-12-09", "--no-local"]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_world_timer(args, tmp_path, TZ="UTC")


def test_control_characters_in_the_title_never_reach_the_calendar_file(tmp_path: Path) -> None:
    """Before: a bare CR and control bytes of --title went into the .ics raw."""
    ics = tmp_path / "t.ics"
    title = "A\rB\x01C\x7fD\x85E\tF;G,H\\I\r\nJ\nK " + "é" * 40
    done = _run([*PLAN, "--title", title, "--ics", str(ics)], tmp_path)
    assert done.returncode == 0, done.stderr
    raw = ics.read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\r" not in line and b"\n" not in line for line in lines)
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # folded between characters, never inside one
        assert not any((byte < 0x20 and byte != 0x09) or byte == 0x7F for byte in line), line
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "A\nBCDE\tF;G,H\\I\nJ\nK " + "é" * 40
    assert b"SUMMARY:A\\nBCDE\tF\\;G\\,H\\\\I\\nJ\\nK " in raw


def test_a_plan_with_a_place_not_found_writes_no_calendar_file(tmp_path: Path) -> None:
    ics = tmp_path / "t.ics"
    done = _run([*PLAN, "Qzxqv Wqpt 99", "--ics", str(ics)], tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == f"error: {ics}: not written: a place was not found"
    assert not ics.exists() and not list(tmp_path.glob("*ics*"))
