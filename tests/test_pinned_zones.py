"""Pinned instants in the zones of the public bug reports we keep, read with `--at` through the
CLI: odd offsets, 30-minute DST, the date line, negative DST, and zones that dropped DST."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from clirun import run_cli

NOW = datetime(2026, 3, 7, 12, tzinfo=UTC)

PINNED = [
    # (zone, --at, local datetime, utc_offset, abbreviation, dst, dst_offset)
    ("Asia/Kathmandu", "2026-01-15T12:00:00Z", "2026-01-15T17:45:00", "+05:45", "+0545", False, 0),
    (
        "Australia/Lord_Howe",
        "2026-01-15T12:00:00Z",
        "2026-01-15T23:00:00",
        "+11:00",
        "+11",
        True,
        1800,
    ),
    (
        "Australia/Lord_Howe",
        "2026-07-15T12:00:00Z",
        "2026-07-15T22:30:00",
        "+10:30",
        "+1030",
        False,
        0,
    ),
    (
        "Pacific/Chatham",
        "2026-01-15T12:00:00Z",
        "2026-01-16T01:45:00",
        "+13:45",
        "+1345",
        True,
        3600,
    ),
    ("Pacific/Chatham", "2026-07-15T12:00:00Z", "2026-07-16T00:45:00", "+12:45", "+1245", False, 0),
    # The date line: Kiritimati and Pago Pago read the same instant 25 hours apart.
    (
        "Pacific/Kiritimati",
        "2026-01-15T10:30:00Z",
        "2026-01-16T00:30:00",
        "+14:00",
        "+14",
        False,
        0,
    ),
    ("Pacific/Pago_Pago", "2026-01-15T10:30:00Z", "2026-01-14T23:30:00", "-11:00", "SST", False, 0),
    # Ireland: summer IST is standard time; winter GMT is the tz database's negative DST.
    ("Europe/Dublin", "2026-07-15T12:00:00Z", "2026-07-15T13:00:00", "+01:00", "IST", False, 0),
    ("Europe/Dublin", "2026-01-15T12:00:00Z", "2026-01-15T12:00:00", "+00:00", "GMT", False, -3600),
    # Brazil dropped DST in 2019: January is -03 (it was -02 until 2019).
    ("America/Sao_Paulo", "2026-01-15T12:00:00Z", "2026-01-15T09:00:00", "-03:00", "-03", False, 0),
    (
        "America/Sao_Paulo",
        "2019-01-15T12:00:00Z",
        "2019-01-15T10:00:00",
        "-02:00",
        "-02",
        True,
        3600,
    ),
    # Mexico dropped DST in 2022: July is CST -06 (it was CDT -05 until 2022).
    (
        "America/Mexico_City",
        "2026-07-15T12:00:00Z",
        "2026-07-15T06:00:00",
        "-06:00",
        "CST",
        False,
        0,
    ),
    (
        "America/Mexico_City",
        "2022-07-15T12:00:00Z",
        "2022-07-15T07:00:00",
        "-05:00",
        "CDT",
        True,
        3600,
    ),
    # Kazakhstan unified on +05:00 on 2024-03-01 (Almaty was +06:00).
    ("Asia/Almaty", "2024-02-29T12:00:00Z", "2024-02-29T18:00:00", "+06:00", "+06", False, 0),
    ("Asia/Almaty", "2024-03-01T12:00:00Z", "2024-03-01T17:00:00", "+05:00", "+05", False, 0),
]


@pytest.mark.parametrize(
    ("zone", "when", "local", "offset", "abbreviation", "dst", "dst_offset"),
    PINNED,
    ids=[f"{row[0]}@{row[1][:10]}" for row in PINNED],
)
def test_pinned_instant(
    zone: str,
    when: str,
    local: str,
    offset: str,
    abbreviation: str,
    dst: bool,
    dst_offset: int,
    tmp_path: Path,
) -> None:
    result = run_cli(["--at", when, "--format", "json", zone], NOW, tmp_path)
    assert result.exit_code == 0, result.output
    [answer] = json.loads(result.stdout)
    assert answer["datetime"] == f"{local}.000000{offset}"
    assert (answer["utc_offset"], answer["abbreviation"]) == (offset, abbreviation)
    assert (answer["dst"], answer["dst_offset"]) == (dst, dst_offset)


def test_local_time_across_the_date_line(tmp_path: Path) -> None:
    # Friday 09:00 in Kiritimati is Thursday 08:00 in Pago Pago: 25 hours apart on the clock.
    result = run_cli(
        ["--at", "2026-01-16 09:00 Pacific/Kiritimati", "--format", "plain", "Pacific/Pago_Pago"],
        NOW,
        tmp_path,
    )
    assert result.stdout.split("\t")[2:4] == ["Thu 2026-01-15", "08:00"]


def test_lord_howe_half_hour_fold(tmp_path: Path) -> None:
    # 2026-04-05 02:00 +11 → 01:30 +10:30: 01:30-02:00 happens twice.
    args = ["--at", "2026-04-05 01:45 Australia/Lord_Howe", "--format", "json", "UTC"]
    first = run_cli(args, NOW, tmp_path)
    second = run_cli([*args, "--fold", "1"], NOW, tmp_path)
    assert json.loads(first.stdout)[0]["datetime"] == "2026-04-04T14:45:00.000000+00:00"
    assert json.loads(second.stdout)[0]["datetime"] == "2026-04-04T15:15:00.000000+00:00"
    assert "happens twice in Australia/Lord_Howe" in first.stderr


def test_almaty_repeated_evening(tmp_path: Path) -> None:
    # The 2024-03-01 change was at midnight: 23:00-24:00 on 29 February happened twice.
    result = run_cli(["--at", "2024-02-29 23:30 Asia/Almaty", "UTC"], NOW, tmp_path)
    assert result.exit_code == 0
    assert "using the first, 23:30 +06:00" in result.stderr
