"""parse_instant and `--at`: the accepted forms, gaps and folds, through the library and the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from clirun import run_cli

from world_timer.errors import PlaceNotFoundError
from world_timer.reading.instants import parse_instant
from world_timer.timekeeping.instants import (
    InstantSyntaxError,
    NonexistentTimeError,
    parse_clock,
    parse_date,
)
from world_timer.timekeeping.zones import load_zone

NOW = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)  # Saturday; Tokyo 21:00, Lima 07:00
LONDON = load_zone("Europe/London")


def at(text: str, fold: int = 0, now: datetime = NOW) -> datetime:
    return parse_instant(text, now, LONDON, fold).when


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2025-10-01T10:42:40Z", "2025-10-01T10:42:40+00:00"),
        ("2025-10-01T10:42:40.406940z", "2025-10-01T10:42:40.406940+00:00"),
        ("2025-10-01T16:27:40+05:45", "2025-10-01T10:42:40+00:00"),
        ("2025-10-01 10:42:40-03:00", "2025-10-01T13:42:40+00:00"),
        ("@1759315360", "2025-10-01T10:42:40+00:00"),
        ("@1759315360.40694", "2025-10-01T10:42:40.406940+00:00"),
        ("@0", "1970-01-01T00:00:00+00:00"),
        ("@-1.5", "1969-12-31T23:59:58.500000+00:00"),
        ("15:00 Tokyo", "2026-03-07T06:00:00+00:00"),
        ("Tokyo 3pm", "2026-03-07T06:00:00+00:00"),
        ("3:30 pm in Tokyo", "2026-03-07T06:30:00+00:00"),
        ("tomorrow 9:00 Lima", "2026-03-08T14:00:00+00:00"),
        ("Lima yesterday 9:00", "2026-03-06T14:00:00+00:00"),
        ("2026-03-08 09:00 New York", "2026-03-08T13:00:00+00:00"),  # EDT from 07:00 UTC
        ("2026-03-08T01:59:59 America/New_York", "2026-03-08T06:59:59+00:00"),
        ("12:00 UTC+05:45", "2026-03-07T06:15:00+00:00"),
        ("17:30", "2026-03-07T17:30:00+00:00"),  # the user's own zone (GMT in March)
        ("2026-07-01 17:30", "2026-07-01T16:30:00+00:00"),  # BST
        ("12am", "2026-03-07T00:00:00+00:00"),
        ("12pm Kathmandu", "2026-03-07T06:15:00+00:00"),
    ],
)
def test_accepted_forms(text: str, utc: str) -> None:
    assert at(text).astimezone(UTC).isoformat() == utc


def test_today_is_the_place_s_today() -> None:
    # At 2026-03-07T12:00Z it is already Sunday 01:45 in Chatham (+13:45) but Friday in Pago Pago.
    late = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    assert at("today 9:00 Pacific/Chatham", now=late).date().isoformat() == "2026-03-08"
    assert at("today 9:00 Pacific/Pago_Pago", now=late).date().isoformat() == "2026-03-07"
    assert at("tomorrow 9:00 Pacific/Kiritimati", now=late).isoformat() == (
        "2026-03-09T09:00:00+14:00"
    )


def test_gap_names_the_transition_and_the_valid_times() -> None:
    with pytest.raises(NonexistentTimeError) as caught:
        at("2026-03-08 02:30 New York")
    error = caught.value
    assert str(error) == (
        "2026-03-08 02:30 does not exist in America/New_York: the clocks go forward 1 h from "
        "02:00 to 03:00; valid times either side: 01:59:59 -05:00 (EST) and 03:00:00 -04:00 (EDT)"
    )
    assert error.after.astimezone(UTC) - error.before.astimezone(UTC) == timedelta(seconds=1)
    assert error.after.astimezone(UTC).isoformat() == "2026-03-08T07:00:00+00:00"


def test_half_hour_gap_on_lord_howe() -> None:
    with pytest.raises(NonexistentTimeError, match="forward 30 min from 02:00 to 02:30"):
        at("2026-10-04 02:15 Australia/Lord_Howe")
    assert at("2026-10-04 02:30 Australia/Lord_Howe").isoformat() == "2026-10-04T02:30:00+11:00"


def test_fold_takes_the_first_unless_asked_and_always_says_so() -> None:
    first = parse_instant("2025-11-02 01:30 New York", NOW, LONDON)
    second = parse_instant("2025-11-02 01:30 New York", NOW, LONDON, fold=1)
    assert first.when.isoformat() == "2025-11-02T01:30:00-04:00"
    assert second.when.isoformat() == "2025-11-02T01:30:00-05:00"
    assert second.utc - first.utc == timedelta(hours=1)
    assert first.notes == (
        "2025-11-02 01:30 happens twice in America/New_York (the clocks go back): using the "
        "first, 01:30 -04:00 (EDT); --fold 1 for the second, 01:30 -05:00 (EST)",
    )
    assert "using the second, 01:30 -05:00 (EST)" in second.notes[0]


def test_dublin_fold_with_negative_dst() -> None:
    # Ireland's winter time is the tz database's negative DST; the fold is still the first hour.
    first = parse_instant("2025-10-26 01:30 Europe/Dublin", NOW, LONDON)
    assert first.when.isoformat() == "2025-10-26T01:30:00+01:00"
    assert "(IST)" in first.notes[0] and "(GMT)" in first.notes[0]


def test_unambiguous_times_have_no_note() -> None:
    assert parse_instant("2025-11-02 03:30 New York", NOW, LONDON).notes == ()
    assert parse_instant("@1759315360", NOW, LONDON).notes == ()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Tokyo",
        "25:00 Tokyo",
        "13pm",
        "9:61",
        "2026-02-30 10:00 Tokyo",
        "@12x",
        "2025-13-01T10:00Z",
        "@99999999999999",
        "tomorrow",
    ],
)
def test_bad_text_is_a_syntax_error(text: str) -> None:
    with pytest.raises(InstantSyntaxError):
        at(text)


def test_unknown_place_is_a_place_error() -> None:
    with pytest.raises(PlaceNotFoundError, match="Lodnonn"):
        at("9:00 Lodnonn")


def test_parse_clock_and_date() -> None:
    assert parse_clock("9:05").isoformat() == "09:05:00"
    assert parse_clock("23:59:59.25").isoformat() == "23:59:59.250000"
    assert parse_clock("12 a.m.").isoformat() == "00:00:00"
    d = datetime(2026, 12, 31).date()
    assert parse_date("tomorrow", d).isoformat() == "2027-01-01"
    assert parse_date("2024-02-29", d).isoformat() == "2024-02-29"
    with pytest.raises(InstantSyntaxError):
        parse_date("2025-02-29", d)


# Through the CLI.


def _json(args: list[str], tmp_path: Path, code: int = 0) -> list[dict[str, object]]:
    result = run_cli(["--format", "json", *args], NOW, tmp_path)
    assert result.exit_code == code, result.output
    return list(json.loads(result.stdout))


def test_cli_at_reads_every_place_at_that_instant(tmp_path: Path) -> None:
    rows = _json(["--at", "15:00 Tokyo", "Tokyo", "Lima", "Asia/Kathmandu"], tmp_path)
    assert [r["datetime"] for r in rows] == [
        "2026-03-07T15:00:00.000000+09:00",
        "2026-03-07T01:00:00.000000-05:00",
        "2026-03-07T11:45:00.000000+05:45",
    ]


def test_cli_gap_exits_1_with_one_line(tmp_path: Path) -> None:
    result = run_cli(["--at", "2026-03-08 02:30 New York", "Tokyo"], NOW, tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: --at: 2026-03-08 02:30 does not exist in America/")


def test_cli_fold_note_on_stderr_and_fold_1(tmp_path: Path) -> None:
    result = run_cli(["--at", "2025-11-02 01:30 New York", "UTC"], NOW, tmp_path)
    assert result.exit_code == 0
    assert "\tUTC\tSun 2025-11-02\t05:30\t" in result.stdout
    assert result.stderr.startswith("note: 2025-11-02 01:30 happens twice in America/New_York")
    result = run_cli(["--at", "2025-11-02 01:30 New York", "--fold", "1", "UTC"], NOW, tmp_path)
    assert "\tUTC\tSun 2025-11-02\t06:30\t" in result.stdout
    assert "using the second" in result.stderr


def test_cli_local_time_in_the_user_s_zone(tmp_path: Path) -> None:
    result = run_cli(["--at", "17:30", "--format", "json", "UTC"], NOW, tmp_path, tz="Asia/Tokyo")
    assert json.loads(result.stdout)[0]["utc_datetime"] == "2026-03-07T08:30:00.000000+00:00"


def test_cli_bad_when_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["--at", "half past nine", "Tokyo"], NOW, tmp_path)
    assert result.exit_code == 2
    assert "Invalid value for '--at'" in result.stderr


def test_cli_unknown_place_in_when_exits_1(tmp_path: Path) -> None:
    result = run_cli(["--strict", "--at", "9:00 Lodnon", "Tokyo"], NOW, tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: --at: 'Lodnon': not found; did you mean 'London")


def test_cli_fold_needs_at(tmp_path: Path) -> None:
    result = run_cli(["--fold", "1", "Tokyo"], NOW, tmp_path)
    assert result.exit_code == 2
    assert "--fold only applies with --at" in result.stderr


def test_cli_without_at_reads_the_injected_clock(tmp_path: Path) -> None:
    [row] = _json(["UTC"], tmp_path)
    assert row["utc_datetime"] == "2026-03-07T12:00:00.000000+00:00"


def test_the_time_model_alone_reads_times_but_names_no_places() -> None:
    """timekeeping.parse_instant takes no gazetteer: zone keys and offsets need no resolver."""
    from world_timer.timekeeping.instants import parse_instant as parse_without_places

    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    instant = parse_without_places("2026-12-09 15:00", now, load_zone("Asia/Tokyo"))
    assert instant.when.astimezone(UTC) == datetime(2026, 12, 9, 6, 0, tzinfo=UTC)
    with pytest.raises(PlaceNotFoundError, match="no place reader given"):
        parse_without_places("15:00 Tokyo", now, load_zone("UTC"))
