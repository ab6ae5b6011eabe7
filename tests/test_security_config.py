"""The config file under attack (issue 21, part 3): concurrent edits, links planted at the names
`config init` writes, a config grown past its own size limit."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from world_timer.ops.config import MAX_CONFIG_BYTES

WORLD_TIMER = [sys.executable, "-m", "world_timer"]


def _environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "WORLD_TIMER_LOG_DIR": str(tmp_path / "logs"), "TZ": "UTC"}


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*WORLD_TIMER, *args],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _concurrently(commands: list[list[str]], tmp_path: Path) -> list[tuple[int, str, str]]:
    processes = [
        subprocess.Popen(
            [*WORLD_TIMER, *args],
            env=_environment(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        outcomes.append((process.returncode, out, err))
    return outcomes


def test_twenty_concurrent_adds_keep_twenty_entries_and_removes_remove_them(
    tmp_path: Path,
) -> None:
    """Before: 7, 3 and 4 of 20 entries kept while all 20 said `added` (no lock)."""
    config = tmp_path / "config.toml"
    labels = [f"L{i}=UTC" for i in range(20)]
    outcomes = _concurrently(
        [["--config", str(config), "config", "add", x] for x in labels], tmp_path
    )
    assert all(code == 0 and out.startswith("added ") for code, out, _ in outcomes), outcomes
    assert sorted(tomllib.loads(config.read_text())["cities"]) == sorted(labels)
    gone = labels[:10]
    outcomes = _concurrently(
        [["--config", str(config), "config", "remove", x] for x in gone], tmp_path
    )
    assert all(code == 0 and out.startswith("removed ") for code, out, _ in outcomes), outcomes
    assert sorted(tomllib.loads(config.read_text())["cities"]) == sorted(labels[10:])
    assert oct((tmp_path / ".config.toml.lock").stat().st_mode & 0o777) == "0o600"


def test_a_link_planted_at_the_lock_name_is_refused_and_not_followed(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('cities = ["Lima"]\n', encoding="utf-8")
    victim = tmp_path / "victim"
    (tmp_path / ".config.toml.lock").symlink_to(victim)
    done = _run(["--config", str(config), "config", "add", "Tokyo"], tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        done.stderr
        == f"error: cannot write {tmp_path}/.config.toml.lock: a symbolic link (refused)\n"
    )
    assert not victim.exists() and config.read_text() == 'cities = ["Lima"]\n'


def test_config_init_never_writes_through_links_at_the_target_or_the_old_temporary_name(
    tmp_path: Path,
) -> None:
    """Before: `config init` wrote `.config.toml.<pid>.tmp` with Path.write_text, following a
    link planted there. The child learns its pid before it execs world-timer (same pid)."""
    victim = tmp_path / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    starter = (
        "import os, sys; sys.stdin.readline(); "
        f"os.execv(sys.executable, [sys.executable, '-m', 'world_timer', '--config', {str(config)!r},"
        " 'config', 'init'])"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", starter],
        env=_environment(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    planted = tmp_path / f".config.toml.{child.pid}.tmp"
    planted.symlink_to(victim)
    out, err = child.communicate("go\n", timeout=60)
    assert (child.returncode, out, err) == (0, f"{config}\n", "")
    assert victim.read_text(encoding="utf-8") == "precious\n" and planted.is_symlink()
    assert tomllib.loads(config.read_text(encoding="utf-8")) == {}  # the starter, all comments
    # A link at the target itself: refused with --force, followed never.
    config.unlink()
    config.symlink_to(victim)
    done = _run(["--config", str(config), "config", "init", "--force"], tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"error: cannot write {config}: a symbolic link: not replaced\n"
    assert victim.read_text(encoding="utf-8") == "precious\n" and config.is_symlink()


def test_an_add_that_would_pass_the_size_limit_is_refused_and_remove_still_works(
    tmp_path: Path,
) -> None:
    """Before: labels grew the file past 256 KiB, after which even `config remove` refused it."""
    config = tmp_path / "config.toml"
    big = "x" * 60_000
    for n in range(4):
        done = _run(["--config", str(config), "config", "add", f"{big}{n}=UTC"], tmp_path)
        assert done.returncode == 0, done.stderr
    before = config.read_bytes()
    done = _run(["--config", str(config), "config", "add", f"{big}4=UTC"], tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"error: {config}: saving that would make it ")
    assert done.stderr.endswith("over the 256 KiB a config file may hold: nothing saved\n")
    assert config.read_bytes() == before and len(before) <= MAX_CONFIG_BYTES
    # A file over the limit (hand-made, or by an earlier release) can still be shrunk.
    config.write_text(
        "cities = [" + ", ".join(f'"{big}{n}=UTC"' for n in range(6)) + "]\n", encoding="utf-8"
    )
    assert config.stat().st_size > MAX_CONFIG_BYTES
    assert _run(["--config", str(config), "config", "list"], tmp_path).returncode == 2
    done = _run(
        ["--config", str(config), "config", "remove", f"{big}5=UTC", f"{big}4=UTC"], tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert config.stat().st_size <= MAX_CONFIG_BYTES
    assert len(tomllib.loads(config.read_text())["cities"]) == 4
