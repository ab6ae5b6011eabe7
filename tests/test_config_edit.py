"""`config add/remove/list`: saved places, labels, comments kept, atomic writes, no symlinks."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest
from clirun import run_cli
from conftest import PINNED

from world_timer.places.labels import split_label

COMMENTED = """\
# My places: the office first.   (a comment tomlkit must keep)
cities = [
    "Lima",  # home
]

# 12-hour clock, because the team asked
hour12 = true
"""


def _run(args: list[str], tmp_path: Path, config: Path):
    return run_cli(args, PINNED, tmp_path / "logs", WORLD_TIMER_CONFIG=str(config))


def test_add_list_remove_keep_every_comment(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(COMMENTED, encoding="utf-8")
    config.chmod(0o600)
    added = _run(["config", "add", "Tokyo", "Paris, TX", "lima"], tmp_path, config)
    assert added.exit_code == 0, added.output
    assert added.stdout == (
        f"added 'Tokyo' (Tokyo, Japan, Asia/Tokyo) to {config}\n"
        f"added 'Paris, TX' (Paris, Texas, United States, America/Chicago) to {config}\n"
    )
    assert added.stderr == "note: 'lima' is already saved\n"
    text = config.read_text(encoding="utf-8")
    assert "# My places: the office first.   (a comment tomlkit must keep)" in text
    assert '"Lima",  # home' in text
    assert text.endswith("# 12-hour clock, because the team asked\nhour12 = true\n")
    assert tomllib.loads(text) == {"cities": ["Lima", "Tokyo", "Paris, TX"], "hour12": True}
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    listed = _run(["config", "list"], tmp_path, config)
    assert listed.stdout == (
        "Lima\tLima, Peru\tAmerica/Lima\n"
        "Tokyo\tTokyo, Japan\tAsia/Tokyo\n"
        "Paris, TX\tParis, Texas, United States\tAmerica/Chicago\n"
    )
    removed = _run(["config", "remove", "paris, tx", "Lima"], tmp_path, config)
    assert removed.exit_code == 0, removed.output
    assert tomllib.loads(config.read_text())["cities"] == ["Tokyo"]
    assert "# 12-hour clock, because the team asked" in config.read_text()
    # no temporary left; the lock file stays (removing it would race with a waiting edit)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".config.toml.lock", "config.toml"]


def test_labels_are_saved_and_shown_in_the_table(tmp_path: Path) -> None:
    config = tmp_path / "new" / "config.toml"  # created, from the commented starter
    result = _run(["config", "add", "Tokyo office=Asia/Tokyo", "HQ=Paris, TX"], tmp_path, config)
    assert result.exit_code == 0, result.output
    assert config.read_text().startswith("# World Timer settings (TOML).")
    table = _run(["--format", "table"], tmp_path, config)
    assert table.stdout == (
        "Place                 Date            Time   UTC     Abbr  DST  vs local\n"
        "Tokyo office          Mon 2026-11-30  22:05  +09:00  JST        +9h\n"
        "HQ (America/Chicago)  Mon 2026-11-30  07:05  -06:00  CST        -6h\n"
    )
    removed = _run(["config", "remove", "Tokyo office"], tmp_path, config)
    assert removed.stdout == f"removed 'Tokyo office=Asia/Tokyo' from {config}\n"
    # On the command line too, and in JSON the place is still the gazetteer's.
    json_row = _run(["--format", "plain", "Home=Lima"], tmp_path, config)
    assert json_row.stdout.startswith("Home\tAmerica/Lima\tMon 2026-11-30\t08:05\t")


def test_a_place_not_found_saves_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(COMMENTED)
    result = _run(["config", "add", "Tokyo", "Lodnon"], tmp_path, config)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("error: 'Lodnon': not found; did you mean 'London")
    assert result.stderr.rstrip().endswith("; nothing saved")
    assert config.read_text() == COMMENTED


def test_remove_of_a_place_not_saved_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(COMMENTED)
    result = _run(["config", "remove", "Oslo"], tmp_path, config)
    assert result.exit_code == 1
    assert result.stderr == "error: 'Oslo' is not saved (see `world-timer config list`)\n"
    assert config.read_text() == COMMENTED


def test_never_through_a_symlink_or_into_a_non_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text(COMMENTED)
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    result = _run(["config", "add", "Tokyo"], tmp_path, link)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {link}: a symbolic link: not rewritten")
    assert target.read_text() == COMMENTED and link.is_symlink()
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    result = _run(["config", "add", "Tokyo"], tmp_path, fifo)
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_bad_config_file_is_reported_not_rewritten(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('cities = "Tokyo"\n')
    result = _run(["config", "add", "Lima"], tmp_path, config)
    assert result.exit_code == 2
    assert "'cities' must be a list of place names" in result.stderr
    assert config.read_text() == 'cities = "Tokyo"\n'


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Tokyo office=Asia/Tokyo", ("Tokyo office", "Asia/Tokyo")),
        ("  HQ = Paris, TX ", ("HQ", "Paris, TX")),
        ("Tokyo", (None, "Tokyo")),
        ("=Tokyo", (None, "Tokyo")),
    ],
)
def test_split_label(text: str, parts: tuple[str | None, str]) -> None:
    assert split_label(text) == parts
