"""Smoke tests of utils/: each script runs as the README shows and prints real values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UTILS = ROOT / "utils"


def _python(
    args: list[str], stdin: str = "", cwd: Path | None = None, **environ: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSTARTUP", "PYTHONBREAKPOINT")}
    env.update({"TZ": "UTC", "PYTHONIOENCODING": "utf-8", **environ})
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_python_startup_gives_repl_helpers_imported_on_first_use(tmp_path: Path) -> None:
    session = "\n".join(
        [
            "import sys",
            "print('loaded before use:', 'world_timer' in sys.modules)",
            'now("Tokyo", "Qzzqx")',
            'zones(country="NZ")',
            'place("Paris, TX").zone_key',
            'at("2026-03-09 15:00 Tokyo", "Kathmandu", "New York")',
            "wt.timekeeping.zonetime.__name__",
            "sorted(k for k in globals() if not k.startswith('_'))",
        ]
    )
    shown = _python(
        ["-i", "-q"],
        session + "\n",
        cwd=tmp_path,
        PYTHONSTARTUP=str(UTILS / "python_startup.py"),
        WORLD_TIMER_LOG_DIR=str(tmp_path / "logs"),
    )
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert out.startswith("world-timer helpers: now(*places), at(when, *places), zones(area)")
    assert "loaded before use: False" in out
    assert "Tokyo, Japan\tAsia/Tokyo\t" in out
    assert "error: 'Qzzqx': not found" in out
    assert "Pacific/Auckland" in out and "Pacific/Chatham" in out
    assert "'America/Chicago'" in out
    assert "Kathmandu, Nepal\tAsia/Kathmandu\tMon 2026-03-09\t11:45:00\t+05:45" in out
    assert (
        "New York City, New York, United States\tAmerica/New_York\tMon 2026-03-09\t02:00:00" in out
    )
    assert "'world_timer.timekeeping.zonetime'" in out
    assert "['at', 'now', 'place', 'sys', 'wt', 'zones']" in out  # sys: imported by the session
    assert "Traceback" not in shown.stderr


def test_pdb_example_takes_pdb_commands_on_stdin() -> None:
    commands = [
        "break _pick",
        "continue",
        "p [(c.place.name, c.place.country_code, c.place.population) for c in ranked[:2]]",
        "return",
        "p __return__.label",
        "continue",
        "where",
        "p text, best",
        "p suggest(text)",
        "quit",
    ]
    shown = _python([str(UTILS / "pdb_example.py")], "\n".join(commands) + "\n")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    out = shown.stdout
    assert "== 1. breakpoint: resolve('Valencia') ==" in out
    assert "Breakpoint 1 at " in out and "resolve.py" in out
    assert "_pick()\n-> chosen = ranked[0].place" in out
    assert "[('Valencia', 'VE', 1619470), ('Valencia', 'ES', 824340)]" in out
    assert "'Valencia, Venezuela'" in out
    assert "resolved: Valencia, Venezuela (America/Caracas)" in out
    assert "raised PlaceNotFoundError: 'Tokyoooo': not found" in out
    assert "-> raise PlaceNotFoundError(query, suggest(text))" in out
    assert "('Tokyoooo', None)" in out
    assert "('Tokyo, JP',)" in out


def test_pdb_example_replays_its_documented_session() -> None:
    shown = _python([str(UTILS / "pdb_example.py"), "--replay"])
    assert shown.returncode == 0, shown.stdout + shown.stderr
    out = shown.stdout
    for command in ("break _pick", "p __return__.label", "where", "p suggest(text)", "quit"):
        assert f"(Pdb) {command}\n" in out
    assert "('Tokyo, JP',)" in out
    # The documented session in the docstring is the one replayed.
    doc = (UTILS / "pdb_example.py").read_text(encoding="utf-8")
    assert (
        "(Pdb) p [(c.place.name, c.place.country_code, c.place.population) for c in ranked[:3]]"
        in doc
    )


def test_benchmark_runs_and_reports_each_measure(tmp_path: Path) -> None:
    shown = _python([str(UTILS / "benchmark.py"), "--repeat", "3"], cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    labels = [
        "python -c 'import click'",
        "world-timer -c Tokyo -c Lima",
        "  start-up ratio",
        "  floor: click -c + logging, sqlite3, zoneinfo",
        "  peak memory (max RSS)",
        "1,000 places in one call",
        "1,000 mixed queries in one call",
        "  a first miss in a fresh process",
        "miss with suggestions (strict)",
        "misspelling read as a near name",
        "embedded, sequential",
        "python -i (REPL start)",
        "  with utils/python_startup.py",
        "resolve, abbreviation",
        "resolve, ambiguous abbreviation",
        "resolve, airport code",
        "resolve, short form",
        "resolve, coordinates",
        "resolve, a plain name (for scale)",
        "first coordinates, a city's (tiles)",
        "first coordinates, on a boundary (tzfpy loads)",
    ]
    assert [line[: len(label)] for line, label in zip(lines, labels, strict=True)] == labels
    assert " µs ± " in lines[8] and lines[8].endswith("(goal <= 5 ms)")
    assert " µs ± " in lines[9] and lines[9].endswith("(goal <= 5 ms)")
    assert " µs ± " in lines[10] and lines[10].endswith("per call (one place)")
    # ratios, not timed here: the benchmark reports them, tests never judge speed
    assert lines[2].split()[2].endswith("x") and float(lines[2].split()[2][:-1]) > 0
    assert lines[3].endswith("x") and float(lines[3].split()[-1][:-1]) > 0
