"""Daily logs across processes: real processes, real files, an injected clock crossing midnight."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ZONE = "America/New_York"
WRITER = textwrap.dedent(
    """
    import logging, sys
    from pathlib import Path
    from world_timer.ops.logs import configure_logging, log_event

    log_dir, worker, start, count, backups = (
        Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    ticks = iter(start + i + worker / 1000 for i in range(count))
    configure_logging(log_dir, backups=backups, clock=lambda: next(ticks))
    for i in range(count):
        log_event("line", worker=worker, index=i)
    """
)


def _spawn(log_dir: Path, worker: int, start: float, count: int, backups: int = 30):
    environment = {**os.environ, "TZ": ZONE}
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            WRITER,
            str(log_dir),
            str(worker),
            str(start),
            str(count),
            str(backups),
        ],
        env=environment,
    )


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _midnight(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(ZONE)).timestamp()


def test_twenty_processes_across_a_rollover_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    start = (
        _midnight("2026-06-15") - 100
    )  # each process writes 100 lines before midnight, 100 after
    workers = [_spawn(tmp_path, w, start, 200) for w in range(20)]
    assert all(worker.wait(timeout=120) == 0 for worker in workers)
    before = _lines(tmp_path / "world-timer.log.2026-06-14")
    after = _lines(tmp_path / "world-timer.log")
    assert len(before) + len(after) == 4000
    keys = [(line.split(" worker=")[1]) for line in before + after]
    assert len(set(keys)) == 4000, "no line lost or written twice"
    assert all(line.startswith("2026-06-14T23:") for line in before)
    assert all(line.startswith("2026-06-15T00:") for line in after)
    assert len(before) == len(after) == 2000


def test_short_lived_runs_rotate_at_midnight_and_across_dst(tmp_path: Path) -> None:
    # One process per run, as from a scheduler, on the US spring-forward day (a 23-hour day).
    stamps = [
        _midnight("2026-03-07") + 3600 * 23,  # Sat 23:00 EST
        _midnight("2026-03-08") + 60,  # Sun 00:01 EST
        _midnight("2026-03-08") + 3600 * 22.5,  # Sun 23:30 EDT (only 22.5 h of clock later)
        _midnight("2026-03-09") + 300,  # Mon 00:05 EDT
    ]
    for worker, stamp in enumerate(stamps):
        assert _spawn(tmp_path, worker, stamp, 1).wait(timeout=60) == 0
    assert [len(_lines(tmp_path / f"world-timer.log.2026-03-0{d}")) for d in (7, 8)] == [1, 2]
    assert _lines(tmp_path / "world-timer.log")[0].startswith("2026-03-09T00:05:00.003-04:00 ")


def test_retention_keeps_exactly_the_backups_and_never_other_files(tmp_path: Path) -> None:
    others = [
        "world-timer.log.bak",
        "world-timer.log.2026-01-01.gz",
        "other.log.2026-01-01",
        "world-timer.log.2026-1-1",
        "notes.txt",
    ]
    for name in others:
        (tmp_path / name).write_text("not ours to delete\n", encoding="utf-8")
    for day in range(1, 11):  # ten old dated logs
        (tmp_path / f"world-timer.log.2026-02-{day:02d}").write_text("old\n", encoding="utf-8")
    assert _spawn(tmp_path, 0, _midnight("2026-02-20") + 60, 1, backups=3).wait(timeout=60) == 0
    assert _spawn(tmp_path, 1, _midnight("2026-02-21") + 60, 1, backups=3).wait(timeout=60) == 0
    dated = sorted(p.name for p in tmp_path.glob("world-timer.log.2026-02-*"))
    assert dated == [
        "world-timer.log.2026-02-09",
        "world-timer.log.2026-02-10",
        "world-timer.log.2026-02-20",
    ]
    assert all(
        (tmp_path / name).read_text(encoding="utf-8") == "not ours to delete\n" for name in others
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_line_per_place_with_run_id_and_latency(tmp_path: Path, fmt: str, run, env) -> None:
    env.environ = {
        **env.environ,
        "WORLD_TIMER_LOG_FORMAT": fmt,
        "WORLD_TIMER_LOG_DIR": str(tmp_path),
    }
    assert run(["Tokyo", "Qqqzzz"]).exit_code == 1
    lines = _lines(tmp_path / "world-timer.log")
    assert len(lines) == 2
    if fmt == "json":
        import json

        first, second = (json.loads(line) for line in lines)
        assert first["run"] == second["run"] and len(first["run"]) == 12
        assert (first["event"], first["query"], first["zone"], first["source"]) == (
            "place",
            "Tokyo",
            "Asia/Tokyo",
            "embedded",
        )
        assert first["local"] == "2026-11-30T22:05:00+09:00" and first["latency_ms"] >= 0
        assert (second["level"], second["error"]) == ("WARNING", "not found")
    else:
        assert " INFO run=" in lines[0] and " event=place query='Tokyo' " in lines[0]
        assert " zone='Asia/Tokyo' local='2026-11-30T22:05:00+09:00' " in lines[0]
        assert " WARNING run=" in lines[1] and "error='not found'" in lines[1]
