"""Time words in `--at`: weekdays, noon/midnight, 12-hour times, offsets from now, ISO week dates.

The clock is pinned: NOW is Thursday 2026-12-03 07:39 UTC (16:39 Thursday in Tokyo, 02:39
Thursday in Lima), so "Friday" is tomorrow everywhere and "Thursday" today.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from clirun import run_cli

from world_timer.cli import CliEnv, main
from world_timer.errors import PlaceNotFoundError
from world_timer.reading.instants import parse_instant
from world_timer.timekeeping.instants import NonexistentTimeError
from world_timer.timekeeping.timewords import (
    FORMS,
    InstantSyntaxError,
    parse_clock,
    parse_date,
    parse_from_now,
)
from world_timer.timekeeping.zones import load_zone

NOW = datetime(2026, 12, 3, 7, 39, tzinfo=UTC)
LONDON = load_zone("Europe/London")


def at(text: str, now: datetime = NOW) -> str:
    return parse_instant(text, now, LONDON).when.isoformat()


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("Friday 15:00 Tokyo", "2026-12-04T15:00:00+09:00"),
        ("friday 3pm Tokyo", "2026-12-04T15:00:00+09:00"),
        ("Tokyo Friday 15:00", "2026-12-04T15:00:00+09:00"),
        ("Tokyo 15:00 Friday", "2026-12-04T15:00:00+09:00"),
        ("15:00 Friday in Tokyo", "2026-12-04T15:00:00+09:00"),
        ("fri 15:00 Tokyo", "2026-12-04T15:00:00+09:00"),
        ("Thursday 9:00 Tokyo", "2026-12-03T09:00:00+09:00"),  # today, though it is past
        ("next thursday 9:00 Tokyo", "2026-12-10T09:00:00+09:00"),
        ("last thursday 9:00 Tokyo", "2026-11-26T09:00:00+09:00"),
        ("next monday 9:00 Lima", "2026-12-07T09:00:00-05:00"),
        ("this monday 9:00 Lima", "2026-12-07T09:00:00-05:00"),
        ("Sun 10am", "2026-12-06T10:00:00+00:00"),
        ("15:00 Mon", "2026-12-07T15:00:00+00:00"),  # Monday here, not Mon in Nagaland
        ("noon Tokyo", "2026-12-03T12:00:00+09:00"),
        ("Tokyo midday", "2026-12-03T12:00:00+09:00"),
        ("midnight", "2026-12-03T00:00:00+00:00"),
        ("tomorrow midnight Lima", "2026-12-04T00:00:00-05:00"),
        ("Friday noon Tokyo", "2026-12-04T12:00:00+09:00"),
        ("tomorrow 9am", "2026-12-04T09:00:00+00:00"),
        ("9am tomorrow Lima", "2026-12-04T09:00:00-05:00"),
        ("3pm", "2026-12-03T15:00:00+00:00"),
        ("3 pm", "2026-12-03T15:00:00+00:00"),
        ("3:30 p.m.", "2026-12-03T15:30:00+00:00"),
        ("3:30p.m. Tokyo", "2026-12-03T15:30:00+09:00"),
        ("12:15 A.M. Lima", "2026-12-03T00:15:00-05:00"),
        ("2026-W49-5 15:00 Tokyo", "2026-12-04T15:00:00+09:00"),
        ("2026W495 15:00 Tokyo", "2026-12-04T15:00:00+09:00"),
        ("2026-W49-5T15:00 Tokyo", "2026-12-04T15:00:00+09:00"),
        ("2026-W49-5T15:00Z", "2026-12-04T15:00:00+00:00"),
        ("2020-W53-7 9:00", "2021-01-03T09:00:00+00:00"),  # ISO year 2020 has 53 weeks
        ("in 2 hours", "2026-12-03T09:39:00+00:00"),
        ("in 1 hour 30 minutes", "2026-12-03T09:09:00+00:00"),
        ("in 1h30m", "2026-12-03T09:09:00+00:00"),
        ("in 3 days", "2026-12-06T07:39:00+00:00"),
        ("90 minutes ago", "2026-12-03T06:09:00+00:00"),
        ("now", "2026-12-03T07:39:00+00:00"),
    ],
)
def test_time_words(text: str, local: str) -> None:
    assert at(text) == local


def test_a_weekday_is_counted_in_the_place_s_own_today() -> None:
    # 2026-12-03T12:00Z: already Friday 01:45 in Chatham, still Thursday in Pago Pago.
    late = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert at("friday 9:00 Pacific/Chatham", late) == "2026-12-04T09:00:00+13:45"
    assert at("next friday 9:00 Pacific/Chatham", late) == "2026-12-11T09:00:00+13:45"
    assert at("friday 9:00 Pacific/Pago_Pago", late) == "2026-12-04T09:00:00-11:00"


def test_a_weekday_that_starts_a_place_name_is_read_as_the_place_with_a_note() -> None:
    # Sun Valley, Nevada; "Valley" alone is The Valley, Anguilla: never Sunday in Anguilla.
    instant = parse_instant("15:00 Sun Valley", NOW, LONDON)
    assert instant.resolution is not None
    assert instant.resolution.zone_key == "America/Los_Angeles"
    assert instant.when.isoformat() == "2026-12-02T15:00:00-08:00"
    assert instant.notes == (
        "'Sun Valley' read as one place name; for Sun put the day first: 'Sun 15:00 Valley'",
    )
    assert at("Sun 15:00 Valley") == "2026-12-06T15:00:00-04:00"  # the day first: Anguilla
    # No place "Friday Tokyo": the day reading, without a note.
    tokyo = parse_instant("15:00 Friday Tokyo", NOW, LONDON)
    assert (tokyo.when.isoformat(), tokyo.notes) == ("2026-12-04T15:00:00+09:00", ())


def test_gaps_and_folds_keep_their_message_with_time_words() -> None:
    # Sunday 2027-03-14 is New York's spring-forward day; 2026-11-01 its fall-back day.
    sunday = datetime(2027, 3, 12, 12, 0, tzinfo=UTC)
    with pytest.raises(NonexistentTimeError, match="does not exist in America/New_York"):
        parse_instant("sunday 2:30am New York", sunday, LONDON)
    fold = parse_instant("sunday 1:30am New York", datetime(2026, 10, 30, tzinfo=UTC), LONDON)
    assert fold.when.isoformat() == "2026-11-01T01:30:00-04:00"
    assert "happens twice in America/New_York" in fold.notes[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("half past nine", "cannot read a time in 'half past nine'"),
        ("Friday Tokyo", "cannot read a time in 'Friday Tokyo'"),
        ("13:00 pm Tokyo", "with am/pm use 1 to 12"),
        ("0am", "with am/pm use 1 to 12"),
        ("2026-W49 15:00", "the ISO week date '2026-W49' needs its weekday"),
        ("2026-W54-1 15:00", "bad ISO week date '2026-W54-1'"),
        ("2026-W49-8 15:00", "bad ISO week date '2026-W49-8': Invalid day: 8"),
        ("in 3 fortnights", "unknown unit 'fortnights'"),
        ("in 2 hours Tokyo", "an offset from now is the same instant everywhere: leave out"),
        ("in 99999 weeks", "more than a hundred years from now"),
    ],
)
def test_bad_time_words(text: str, message: str) -> None:
    with pytest.raises(InstantSyntaxError, match=message) as caught:
        at(text)
    assert "\n" not in str(caught.value)
    # Text in no form gets every form as a hint; a precise message needs none.
    assert (caught.value.hint == FORMS) == message.startswith("cannot read a time")


def test_typo_in_the_place_after_a_weekday_suggests_the_place() -> None:
    with pytest.raises(PlaceNotFoundError, match="'Tokyoooo': not found; did you mean 'Tokyo"):
        at("Friday 15:00 Tokyoooo")


def test_the_words_one_by_one() -> None:
    assert parse_clock("noon").isoformat() == "12:00:00"
    assert parse_clock("MIDNIGHT").isoformat() == "00:00:00"
    thursday = date(2026, 12, 3)
    assert parse_date("friday", thursday) == date(2026, 12, 4)
    assert parse_date("thu", thursday) == thursday
    assert parse_date("next thu", thursday) == date(2026, 12, 10)
    assert parse_date("last fri", thursday) == date(2026, 11, 27)
    assert parse_date("2026-w01-1", thursday) == date(2025, 12, 29)  # ISO week 1 of 2026
    assert parse_from_now("in 45 s").total_seconds() == 45  # type: ignore[union-attr]
    assert parse_from_now("15:00 Tokyo") is None
    with pytest.raises(InstantSyntaxError) as caught:
        parse_date("someday", thursday)
    assert "next friday" in caught.value.hint


# Through the CLI, with `now` pinned.


def test_cli_friday_15_00_tokyo(tmp_path: Path) -> None:
    result = run_cli(
        ["--format", "json", "--at", "Friday 15:00 Tokyo", "Tokyo", "London"], NOW, tmp_path
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["datetime"] for r in rows] == [
        "2026-12-04T15:00:00.000000+09:00",
        "2026-12-04T06:00:00.000000+00:00",
    ]


def test_cli_noon_tokyo_in_the_table(tmp_path: Path) -> None:
    result = run_cli(["--format", "plain", "--at", "noon Tokyo", "London"], NOW, tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\t")[2:4] == ["Thu 2026-12-03", "03:00"]


def test_cli_syntax_error_lists_every_accepted_form_on_a_hint_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environ = {"TZ": "Europe/London", "WORLD_TIMER_LOG_DIR": str(tmp_path)}
    long_text = "half past nine " * 20
    with pytest.raises(SystemExit) as exit_:
        main(["--at", long_text, "Tokyo"], CliEnv(now=lambda: NOW, environ=environ))
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    first, hint = captured.err.splitlines()
    assert first.startswith("error: Invalid value for '--at': cannot read a time in 'half past")
    assert first.endswith("…' (see 'world-timer now --help')")
    assert hint == f"hint: {FORMS}"
    assert hint.endswith("'17:30' (your own zone)")  # never cut
