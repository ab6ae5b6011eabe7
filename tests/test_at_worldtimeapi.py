"""`--at INSTANT --format json ZONE` against every recorded worldtimeapi.org answer.

The recorded file's header lists the service's quirks we do not copy; for those rows our
documented behaviour (world_timer/timekeeping/zonetime.py) is asserted instead.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from clirun import run_cli

from world_timer.timekeeping.zones import TZDATA_DIR, load_zone
from world_timer.timekeeping.zonetime import zone_time

DATA = Path(__file__).parent / "data" / "worldtimeapi-2025-10-01.tsv"
INTEGERS = {"unixtime", "dst_offset", "raw_offset", "day_of_week", "day_of_year", "week_number"}
NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)  # any other instant: --at must win over the clock

# Single-word legacy keys that are also a country or a place: the resolver takes the country or
# place first (world_timer/places/resolve.py), so through the CLI they name that place's zone.
COUNTRY_FIRST = {
    "Cuba": "America/Havana",
    "Eire": "Europe/Dublin",  # CLDR's name of Ireland in Irish (ga)
    "Egypt": "Africa/Cairo",
    "Hongkong": "Asia/Hong_Kong",
    "Israel": "Asia/Jerusalem",
    # the country, not Jamaica, Queens (216,000 people: a country 13x that beats it, with a note)
    "Jamaica": "America/Jamaica",
    "Japan": "Asia/Tokyo",
    "Libya": "Africa/Tripoli",
    "Poland": "Europe/Warsaw",
    "Singapore": "Asia/Singapore",
    "Turkey": "Europe/Istanbul",
}
PLACE_FIRST = {  # a namesake in another zone: (zone, label) the CLI answers with
    "Greenwich": ("Europe/London", "Greenwich, England, United Kingdom"),
}


def _value(field: str, text: str) -> Any:
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    return int(text) if field in INTEGERS else text


def _rows() -> list[dict[str, Any]]:
    lines = [line for line in DATA.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return [
        {field: _value(field, text) for field, text in row.items()}
        for row in csv.DictReader(lines, delimiter="\t")
    ]


ROWS = _rows()


def _expected(row: dict[str, Any]) -> dict[str, Any]:
    """The recorded answer with the header's quirks replaced by our documented behaviour."""
    expected = dict(row)
    if not row["dst"]:
        # Ours: no DST period in effect, so no DST transitions (the service repeats the
        # calendar year's dates, from > until in the southern hemisphere and for Dublin).
        expected["dst_from"] = expected["dst_until"] = None
    if row["timezone"] == "America/Asuncion":
        # Paraguay is on permanent -03 since October 2024 (tzdata 2025a); the service was stale.
        utc = datetime.fromisoformat(row["utc_datetime"])
        local = utc.astimezone(timezone(timedelta(hours=-3)))
        expected |= {
            "utc_offset": "-03:00",
            "abbreviation": "-03",
            "raw_offset": -10800,
            "datetime": local.isoformat(timespec="microseconds"),
        }
    return expected


def test_every_row_is_read() -> None:
    assert len(ROWS) == 447
    assert len({row["timezone"] for row in ROWS}) == 447


PLAIN_ROWS = [row for row in ROWS if row["timezone"] not in {*PLACE_FIRST, "Portugal"}]


@pytest.mark.parametrize("row", PLAIN_ROWS, ids=[row["timezone"] for row in PLAIN_ROWS])
def test_at_gives_the_recorded_answer(row: dict[str, Any], tmp_path: Path) -> None:
    expected = _expected(row)
    if row["timezone"] in COUNTRY_FIRST:
        # Same zone under its canonical key: the legacy key is a link to it (identical TZif).
        key = COUNTRY_FIRST[row["timezone"]]
        assert (TZDATA_DIR / key).read_bytes() == (TZDATA_DIR / row["timezone"]).read_bytes()
        expected["timezone"] = key
    result = run_cli(
        ["--at", row["utc_datetime"], "--format", "json", row["timezone"]], NOW, tmp_path
    )
    assert result.exit_code == 0, result.output
    [answer] = json.loads(result.stdout)
    assert {key: answer[key] for key in expected} == expected
    assert set(answer) - set(expected) == {
        *("query", "label", "place", "matched", "source", "notes"),
        *("relative_to", "offset_difference_seconds", "day_difference", "difference"),
    }

    # @UNIXTIME is the same instant floored to the second: only the microseconds differ.
    result = run_cli(
        ["--at", f"@{row['unixtime']}", "--format", "json", row["timezone"]], NOW, tmp_path
    )
    assert result.exit_code == 0, result.output
    [whole] = json.loads(result.stdout)
    for key in ("datetime", "utc_datetime"):
        assert whole[key] == expected[key][:19] + ".000000" + expected[key][26:]
    assert {k: v for k, v in whole.items() if "datetime" not in k} == {
        k: v for k, v in answer.items() if "datetime" not in k
    }


@pytest.mark.parametrize("name", sorted(PLACE_FIRST))
def test_legacy_key_that_is_a_place_answers_for_the_place(name: str, tmp_path: Path) -> None:
    [row] = [row for row in ROWS if row["timezone"] == name]
    zone, label = PLACE_FIRST[name]
    result = run_cli(["--at", row["utc_datetime"], "--format", "json", name], NOW, tmp_path)
    assert result.exit_code == 0, result.output
    [answer] = json.loads(result.stdout)
    assert (answer["timezone"], answer["label"]) == (zone, label)
    assert answer["utc_datetime"] == row["utc_datetime"]
    # The recorded answer for the zone key itself still holds, read through the library.
    ours = zone_time(load_zone(name), datetime.fromisoformat(row["utc_datetime"]))
    assert ours.to_worldtimeapi() == _expected(row)


def test_multi_zone_country_key_says_how_to_choose(tmp_path: Path) -> None:
    """`Portugal` (a tz link to Europe/Lisbon, and a country of 3 zones) is its capital's zone,
    noted; `--strict` asks for a city."""
    [row] = [row for row in ROWS if row["timezone"] == "Portugal"]
    at = ["--at", f"@{row['unixtime']}", "--format", "json", "Portugal"]
    result = run_cli(at, NOW, tmp_path)
    assert result.exit_code == 0
    shown = datetime.fromisoformat(json.loads(result.stdout)[0]["datetime"])
    assert shown == datetime.fromisoformat(row["datetime"]).replace(microsecond=0)
    assert "showing its capital Lisbon" in result.stderr
    strict = run_cli(["--strict", *at], NOW, tmp_path)
    assert strict.exit_code == 1
    assert "Portugal spans 3 zones" in strict.stderr
    ours = zone_time(load_zone("Portugal"), datetime.fromisoformat(row["utc_datetime"]))
    assert ours.to_worldtimeapi() == _expected(row)
