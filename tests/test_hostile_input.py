"""Hostile input found by a session spent trying to break World Timer: each must give one line on
stderr, the documented exit code, no traceback, and leave nothing half-written or replaced."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.processes import WORLD_TIMER
from tests.processes import run_world_timer as run


def one_line(done: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and text in done.stderr, done.stderr


def test_a_fifo_or_device_is_never_read_or_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # reading it would block for ever; replacing it would break its reader
    done = run(["Tokyo", "--metrics-textfile", str(fifo)], tmp_path)
    one_line(done, 0, "not a regular file")
    assert done.stdout.startswith("Tokyo, Japan\t")
    assert fifo.is_fifo() and not Path(f"{fifo}.lock").exists()
    one_line(run(["--config", str(fifo), "Tokyo"], tmp_path), 2, "not a regular file")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a = " + "[" * 5000, "nested too deeply"),
        ('log_dir = "~nosuchuser0/x"\n', "whose ~ can be expanded"),
    ],
)
def test_config_files_that_once_gave_tracebacks(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    one_line(run(["--config", str(config), "Tokyo"], tmp_path), 2, message)


def test_environment_paths_with_an_unknown_user(tmp_path: Path) -> None:
    one_line(
        run(["Tokyo"], tmp_path, WORLD_TIMER_CONFIG="~nosuchuser0/c.toml"), 2, "WORLD_TIMER_CONFIG"
    )
    one_line(run(["--config", "", "config", "init"], tmp_path), 2, "an empty path")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("9999-12-31T23:59:59-14:00", "outside the instants supported"),
        ("@253402300799", "outside the instants supported"),
        ("0001-01-01 00:00 Tokyo", "outside the instants supported"),
        ("9999-06-01T00:00Z", "outside the instants supported"),
        ("13:00 pm", "with am/pm use 1 to 12"),
        ("0:00 am", "with am/pm use 1 to 12"),
    ],
)
def test_instants_out_of_range_or_impossible(tmp_path: Path, when: str, message: str) -> None:
    one_line(run(["--at", when, "London"], tmp_path), 2, message)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_plan_days_out_of_range(tmp_path: Path, day: str) -> None:
    one_line(run(["plan", "Tokyo", "--date", day], tmp_path), 2, "outside the days supported")


def test_output_that_cannot_be_written(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*WORLD_TIMER, "Tokyo"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**os.environ, "WORLD_TIMER_LOG_DIR": str(tmp_path)},
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == "error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("args", [["Tokyo"], ["zones", "Asia"], ["config", "show"]])
def test_output_closed_from_the_start(tmp_path: Path, args: list[str]) -> None:
    # `world-timer Tokyo >&-`: fd 1 is closed in the child, so Python has no sys.stdout at all.
    done = subprocess.run(
        [*WORLD_TIMER, *args],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        env={**os.environ, "WORLD_TIMER_LOG_DIR": str(tmp_path)},
        preexec_fn=lambda: os.close(1),
        check=False,
    )
    one_line(done, 1, "error: cannot write the output: standard output is closed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check-clock", "--max-skew", "nan"], "not a finite number"),
        (["--source", "api", "--timeout", "nan", "Tokyo"], "not a finite number"),
        (["serve", "--host", ""], "is not an IP address"),
        (["Tokyo", "--pushgateway", "file:///etc"], "is not an http:// or https:// URL"),
    ],
)
def test_option_values_that_were_accepted(tmp_path: Path, args: list[str], message: str) -> None:
    one_line(run(args, tmp_path), 2, message)


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("Paris, ../..", "unknown qualifier"),
        ("Paris, 🇫🇷", "unknown qualifier"),
        ("Paris, ../.., TX", "unknown qualifier '../..'"),
        ("+054", "not found"),
        ("Tokyo\udced\udca0\udc80", "not found"),
    ],
)
def test_places_that_resolved_by_accident(tmp_path: Path, query: str, detail: str) -> None:
    from world_timer.errors import PlaceNotFoundError
    from world_timer.places.resolve import resolve

    with pytest.raises(PlaceNotFoundError, match=detail):
        resolve(query)


def test_a_textfile_with_impossible_totals_starts_again(tmp_path: Path) -> None:
    prom = tmp_path / "wt.prom"
    prom.write_text('world_timer_runs_total{result="success"} 1e400\n', encoding="utf-8")
    done = run(["Tokyo", "--metrics-textfile", str(prom)], tmp_path)
    one_line(done, 0, "not in the Prometheus text format; counting from 0")
    assert 'world_timer_runs_total{result="success"} 1.0' in prom.read_text(encoding="utf-8")
