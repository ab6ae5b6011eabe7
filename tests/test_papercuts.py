"""Papercuts of a newcomer's first hour: a mistyped command, a $TZ that is not a zone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import PINNED

from world_timer.cli import CliEnv, main
from world_timer.errors import ExitCode


def _main(args: list[str], env: CliEnv, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(args, env)
    captured = capsys.readouterr()
    return int(exit_.value.code or 0), captured.out, captured.err


@pytest.mark.parametrize(
    ("word", "command"), [("serach", "search"), ("zone", "zones"), ("plna", "plan")]
)
def test_a_mistyped_command_says_did_you_mean(
    env: CliEnv, capsys: pytest.CaptureFixture[str], word: str, command: str
) -> None:
    code, out, err = _main([word, "Tokyo"], env, capsys)
    assert (code, out) == (ExitCode.USAGE, "")
    assert err == (
        f"error: {word!r} is neither a command nor a place; did you mean `{command}`? "
        "(see 'world-timer --help')\n"
    )


def test_a_place_close_to_a_command_is_still_a_place(
    env: CliEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _main(["--format", "plain", "Plano"], env, capsys)  # Plano, Texas ~ plan
    assert code == 0 and err == ""
    assert out.startswith("Plano, Texas, United States\tAmerica/Chicago\t")


def _env_with(log_dir: Path, tz: str, localtime: Path) -> CliEnv:
    env = CliEnv(now=lambda: PINNED, environ={"TZ": tz, "WORLD_TIMER_LOG_DIR": str(log_dir)})
    env.localtime = localtime
    return env


def test_tz_that_is_not_a_zone_warns_once_and_uses_etc_localtime(
    log_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "localtime"
    os.symlink("/usr/share/zoneinfo/Asia/Kolkata", link)  # only the link's text is read
    env = _env_with(log_dir, "garbage", link)
    code, out, err = _main(["--format", "plain", "--at", "12:00", "Tokyo"], env, capsys)
    assert code == 0
    # 12:00 in Kolkata is 15:30 in Tokyo, +3h30m ahead of the zone used instead.
    assert out.split("\t")[3:] == ["15:30", "+09:00", "JST", "", "+3h30m\n"]
    assert err == (
        "warning: $TZ is 'garbage', not a tz database zone: \"vs local\" and --at times without "
        f"a place use Asia/Kolkata (from {link}); set TZ to a zone key such as Europe/Paris\n"
    )


def test_tz_that_is_not_a_zone_without_etc_localtime_says_utc(
    log_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = _env_with(log_dir, "JST-9", tmp_path / "missing")
    code, out, err = _main(["--format", "plain", "Tokyo"], env, capsys)
    assert code == 0 and out.rstrip("\n").endswith("\t+9h")
    assert err.count("\n") == 1
    assert '"vs local" and --at times without a place use UTC;' in err


@pytest.mark.parametrize("tz", ["Asia/Tokyo", ":Asia/Tokyo", "asia/tokyo", ""])
def test_a_zone_key_or_no_tz_gives_no_warning(
    log_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], tz: str
) -> None:
    env = _env_with(log_dir, tz, tmp_path / "missing")
    code, _out, err = _main(["--format", "plain", "Tokyo"], env, capsys)
    assert (code, err) == (0, "")


def test_zones_table_has_a_header_and_aligned_columns(run) -> None:
    # PINNED is NZ summer: NZDT (4 letters) and Chatham's numeric +1345 (5) line up.
    result = run(["zones", "--country", "NZ", "--format", "table"])
    assert result.stdout == (
        "Zone              UTC     Abbr   DST\n"
        "Pacific/Auckland  +13:00  NZDT   DST\n"
        "Pacific/Chatham   +13:45  +1345  DST\n"
    )
    piped = run(["zones", "--country", "NZ"])  # no header when piped, like search
    assert piped.stdout.splitlines()[0] == "Pacific/Auckland\t+13:00\tNZDT\tDST"


def test_json_rows_carry_the_notes_and_the_difference_to_the_local_zone(run) -> None:
    result = run(["--format", "json", "Valencia", "Etc/GMT+5", "Tokyo"])
    assert result.exit_code == 0, result.output
    valencia, gmt5, tokyo = json.loads(result.stdout)
    assert valencia["notes"] == [
        "'Valencia' is Valencia, Venezuela; also Valencia, ES: use 'Valencia, Spain'"
    ]
    assert valencia["notes"][0] in result.stderr  # what a person sees, a script sees
    assert len(gmt5["notes"]) == 1 and "POSIX" in gmt5["notes"][0]
    assert tokyo["notes"] == []
    # The user is in Europe/Berlin (CET, +01:00); Tokyo is +09:00.
    assert {k: tokyo[k] for k in KEYS} == {
        "relative_to": "Europe/Berlin",
        "offset_difference_seconds": 8 * 3600,
        "day_difference": 0,
        "difference": "+8h",
    }


KEYS = ("relative_to", "offset_difference_seconds", "day_difference", "difference")


def test_relative_to_a_place(run) -> None:
    table = run(["--format", "table", "Tokyo", "Lima", "--relative-to", "New York"])
    assert table.exit_code == 0, table.output
    assert table.stdout == (
        "Place         Date            Time   UTC     Abbr  DST  vs New York City\n"
        "Tokyo, Japan  Mon 2026-11-30  22:05  +09:00  JST        +14h\n"
        "Lima, Peru    Mon 2026-11-30  08:05  -05:00  -05        0h\n"
    )
    rows = json.loads(run(["--format", "json", "Auckland", "--relative-to", "Lima"]).stdout)
    # 13:05Z: Tuesday 02:05 in Auckland (+13:00), Monday 08:05 in Lima (-05:00).
    assert {k: rows[0][k] for k in KEYS} == {
        "relative_to": "America/Lima",
        "offset_difference_seconds": 18 * 3600,
        "day_difference": 1,
        "difference": "+18h, tomorrow",
    }
    plain = run(["--format", "plain", "UTC", "--relative-to", "Asia/Kathmandu"])
    assert plain.stdout.rstrip("\n").endswith("\t-5h45m")


def test_relative_to_an_unknown_place_exits_1_with_one_line(run) -> None:
    result = run(["--strict", "Tokyo", "--relative-to", "Lodnon"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("error: --relative-to: 'Lodnon': not found; did you mean")
    assert result.stderr.count("\n") == 1
