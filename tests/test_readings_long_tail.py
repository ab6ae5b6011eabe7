"""Readings issue 19 found wrong with exit 0: former abbreviations of living zones, HND, Georgia,
US state capitals and `Z` after a time of day."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from world_timer.places.resolve import resolve
from world_timer.reading.instants import parse_instant

PINNED = datetime(2026, 11, 30, 13, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "hours", "zone"),
    [
        ("ICT", 7, "Asia/Bangkok"),  # not Wichita's airport
        ("PHT", 8, "Asia/Manila"),
        ("AFT", 4.5, "Asia/Kabul"),
        ("NPT", 5.75, "Asia/Kathmandu"),  # not Newfoundland Peace Time (1942-1945)
        ("BDT", 6, "Asia/Dhaka"),  # not Bering Daylight Time (until 1983)
        ("MYT", 8, "Asia/Singapore"),  # CLDR en_MY; Asia/Kuala_Lumpur is a link to it in tzdata
    ],
)
def test_a_former_abbreviation_of_a_living_zone_beats_airports_and_history(
    typed: str, hours: float, zone: str
) -> None:
    resolution = resolve(typed, PINNED)
    offset = resolution.zone.utcoffset(PINNED)
    assert offset is not None and offset.total_seconds() == hours * 3600
    assert resolution.matched == "abbreviation"
    assert zone.rsplit("/", 1)[1].replace("_", " ") in " ".join(resolution.notes).replace("_", " ")


def test_hnd_is_tokyo_haneda_and_the_note_names_honduras() -> None:
    resolution = resolve("HND", PINNED)
    assert resolution.zone_key == "Asia/Tokyo"
    assert "Honduras" in " ".join(resolution.notes)


def test_georgia_is_the_country_and_names_the_us_state() -> None:
    country = resolve("Georgia", PINNED)
    assert country.zone_key == "Asia/Tbilisi"
    assert "Georgia, US" in " ".join(country.notes)
    state = resolve("Georgia, US", PINNED)
    assert state.zone_key == "America/New_York"


@pytest.mark.parametrize(
    ("typed", "zone", "region"),
    [
        ("Frankfort", "America/New_York", "Kentucky"),
        ("Pierre", "America/Chicago", "South Dakota"),
        ("Montpelier", "America/New_York", "Vermont"),
        ("Dover", "America/New_York", "Delaware"),
    ],
)
def test_a_us_state_capital_beats_a_namesake_elsewhere(typed: str, zone: str, region: str) -> None:
    resolution = resolve(typed, PINNED)
    assert resolution.zone_key == zone
    assert region in resolution.label


@pytest.mark.parametrize("typed", ["15:00Z", "15:00 Z", "2026-11-30 15:00Z"])
def test_z_after_a_time_of_day_is_utc(typed: str) -> None:
    instant = parse_instant(typed, PINNED, ZoneInfo("Asia/Tokyo"))  # Z wins over the local zone
    assert instant.utc == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
