"""The operational surface under hostile conditions (config files, log folders, time input, API
answers), found by a session spent trying to break it: each must give one line on stderr, the
documented exit code, no traceback, and leave nothing replaced that should not be."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

WORLD_TIMER = [sys.executable, "-m", "world_timer"]


def run(
    args: Sequence[str | bytes],
    tmp_path: Path,
    prefix: Sequence[str] = (),
    cwd: Path | None = None,
    **environ: str,
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "WORLD_TIMER_LOG_DIR": str(tmp_path / "logs"), **environ}
    return subprocess.run(
        [*prefix, *WORLD_TIMER, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
    )


def one_line(done: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and text in done.stderr, done.stderr


# --- Config files that cannot be looked at ------------------------------------------------------


@pytest.fixture
def unsearchable(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A config folder with mode 000 holding config.toml, and the command prefix under which its
    mode applies (root reads anything with CAP_DAC_OVERRIDE: setpriv drops it for the child)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file modes do not apply")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    folder = tmp_path / "config" / "world-timer"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('cities = ["Lima"]\n', encoding="utf-8")
    folder.chmod(0)
    try:
        probe = [sys.executable, "-c", "import os, sys; os.stat(sys.argv[1])"]
        target = str(folder / "config.toml")
        probed = subprocess.run(
            [*prefix, *probe, target], capture_output=True, timeout=30, check=False
        )
        if probed.returncode == 0:
            pytest.skip("a mode-000 folder can still be searched here")
        yield folder, prefix
    finally:
        folder.chmod(0o700)


def test_a_config_folder_that_cannot_be_searched(
    tmp_path: Path, unsearchable: tuple[Path, list[str]]
) -> None:
    folder, prefix = unsearchable
    home = str(folder.parent)
    done = run(["Tokyo"], tmp_path, prefix, XDG_CONFIG_HOME=home)
    one_line(done, 2, f"error: {folder / 'config.toml'}: cannot read the config file: Permission")
    assert done.stdout == ""
    explicit = run(["--config", str(folder / "config.toml"), "Tokyo"], tmp_path, prefix)
    one_line(explicit, 2, "cannot read the config file: Permission denied")
    path = run(["config", "path"], tmp_path, prefix, XDG_CONFIG_HOME=home)
    assert path.returncode == 0 and path.stdout == f"{folder / 'config.toml'}\n"
    assert "Traceback" not in path.stderr and "Permission denied" in path.stderr


def test_a_config_path_too_long_for_the_file_system(tmp_path: Path) -> None:
    name = str(tmp_path / ("a" * 300))
    one_line(run(["--config", name, "Tokyo"], tmp_path), 2, "File name too long")
    one_line(run(["Tokyo"], tmp_path, WORLD_TIMER_CONFIG=name), 2, "File name too long")


def test_a_config_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b'\xef\xbb\xbfcities = ["Lima"]\n')  # as Windows Notepad saves UTF-8
    done = run(["--config", str(config), "--format", "plain"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Lima, Peru\tAmerica/Lima\t")


def test_a_relative_log_dir_in_a_config_file_is_beside_the_file(tmp_path: Path) -> None:
    folder, elsewhere = tmp_path / "conf", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / "config.toml").write_text('log_dir = "logs"\n', encoding="utf-8")
    environ = {"WORLD_TIMER_CONFIG": str(folder / "config.toml")}
    environment = {k: v for k, v in os.environ.items() if k != "WORLD_TIMER_LOG_DIR"}
    done = subprocess.run(
        [*WORLD_TIMER, "Tokyo"],
        env={**environment, **environ},
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (folder / "logs" / "world-timer.log").is_file()
    assert not (elsewhere / "logs").exists()


# --- `config init --force` never replaces what is not a regular file -----------------------------


def test_config_init_force_never_replaces_a_fifo_or_a_symlink(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    one_line(run(["--config", str(fifo), "config", "init", "--force"], tmp_path), 1, "not replaced")
    assert fifo.is_fifo()
    target = tmp_path / "dotfiles" / "config.toml"
    target.parent.mkdir()
    target.write_text('cities = ["Lima"]\n', encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    one_line(run(["--config", str(link), "config", "init", "--force"], tmp_path), 1, "not replaced")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == 'cities = ["Lima"]\n'
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "nowhere.toml")
    one_line(run(["--config", str(dangling), "config", "init"], tmp_path), 1, "exists")
    assert dangling.is_symlink() and not (tmp_path / "nowhere.toml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "config.toml",
        "dangling.toml",
        "dotfiles",
        "fifo.toml",
    ]


# --- Logs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["Lima", b"Tok\xffyo"],
        ["--format", "json", b"\xff"],
        ["config", "add", b"\xff\xfe=UTC"],
        [
            "plan",
            "Tokyo",
            "London",
            "--date",
            "2026-12-09",
            "--no-local",
            "--title",
            b"T\xff",
            "--ics",
            "t.ics",
        ],
        ["search", b"S\xe3o"],  # Latin-1, not UTF-8
        ["--log-dir", b"logs-\xff", "Tokyo"],
        ["Tokyo", "--metrics-textfile", b"m\xff.prom"],
        ["schedule", "show", "--at", b"07:00\xff"],
    ],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error_and_writes_nothing(
    tmp_path: Path, args: list[str | bytes]
) -> None:
    """Python keeps undecodable bytes as lone surrogates, which every UTF-8 writer (the config,
    the .ics folding, the logs) refused mid-write with a traceback (issue 21)."""
    config = tmp_path / "config.toml"
    done = run(args, tmp_path, cwd=tmp_path, WORLD_TIMER_CONFIG=str(config))
    shown = repr(next(a for a in args if isinstance(a, bytes)))[1:]
    one_line(done, 2, f"error: an argument is not valid UTF-8: {shown}")
    assert done.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no log, config, .ics or textfile


@pytest.mark.parametrize("how", ["--log-dir", "WORLD_TIMER_LOG_DIR"])
def test_a_log_dir_that_is_a_file_warns_and_still_prints(tmp_path: Path, how: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    if how == "--log-dir":
        done = run(["--log-dir", str(blocker), "--format", "plain", "Tokyo"], tmp_path)
    else:
        done = run(["--format", "plain", "Tokyo"], tmp_path, WORLD_TIMER_LOG_DIR=str(blocker))
    one_line(done, 0, f"warning: cannot write logs to {blocker}: not a folder")
    assert done.stdout.startswith("Tokyo, Japan\t")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


# --- Instants at the ends of the supported range --------------------------------------------------


def test_years_before_1000_keep_four_digits(tmp_path: Path) -> None:
    done = run(["--at", "@-62104060800", "--format", "plain", "UTC"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\t")[2] == "Tue 0002-01-01"
    plan = run(["plan", "UTC", "--no-local", "--date", "0002-01-02"], tmp_path, TZ="UTC")
    assert plan.returncode == 0, plan.stderr
    assert plan.stdout.startswith("Wed 0002-01-02 in UTC (24 h)")


def test_plan_days_out_of_range_name_the_days_that_are_in_range(tmp_path: Path) -> None:
    done = run(["plan", "Tokyo", "--date", "0002-01-01"], tmp_path)
    one_line(done, 2, "outside the days supported, 0002-01-02 to 9998-12-30")
