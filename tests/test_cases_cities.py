"""Every row of tests/data/cities.tsv (copied from the shared cases): what people type → zone."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PINNED, read_tsv
from world_timer.errors import PlaceNotFoundError
from world_timer.places.resolve import resolve

CITY_ROWS = [row for row in read_tsv("cities.tsv") if row]


@pytest.mark.parametrize(("query", "zones", "what"), CITY_ROWS, ids=[r[2] for r in CITY_ROWS])
def test_city_resolves_to_an_acceptable_zone(query: str, zones: str, what: str) -> None:
    assert resolve(query, PINNED).zone_key in zones.split(",")


@pytest.mark.parametrize(("query", "zones", "what"), CITY_ROWS, ids=[r[2] for r in CITY_ROWS])
def test_city_through_the_cli(run, query: str, zones: str, what: str) -> None:
    result = run(["--format", "json", query])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["timezone"] in zones.split(",")
    assert row["query"] == query


@pytest.mark.parametrize(
    ("query", "zone", "label"),
    [
        # the same kinds as the table, on other places
        ("SAO PAULO", "America/Sao_Paulo", "São Paulo, Brazil"),
        ("  são-paulo. ", "America/Sao_Paulo", "São Paulo, Brazil"),
        ("munchen", "Europe/Berlin", "Munich, Germany"),
        ("Peking", "Asia/Shanghai", "Beijing, China"),
        ("Calcutta", "Asia/Kolkata", "Kolkata, India"),
        ("Leningrad", "Europe/Moscow", "Saint Petersburg, Russia"),
        ("St Petersburg", "Europe/Moscow", "Saint Petersburg, Russia"),
        ("서울", "Asia/Seoul", "Seoul, South Korea"),
        ("القاهرة", "Africa/Cairo", "Cairo, Egypt"),
        ("Portland, OR", "America/Los_Angeles", "Portland, Oregon, United States"),
        ("Portland Maine", "America/New_York", "Portland, Maine, United States"),
        ("Paris France", "Europe/Paris", "Paris, France"),
        ("London, Ontario", "America/Toronto", "London, Ontario, Canada"),
        ("Perth, WA", "Australia/Perth", "Perth, Western Australia, Australia"),
        ("Valencia, Spain", "Europe/Madrid", "Valencia, Spain"),
        ("valencia,es", "Europe/Madrid", "Valencia, Spain"),
        ("Birmingham, UK", "Europe/London", "Birmingham, England, United Kingdom"),
        ("Birmingham, AL", "America/Chicago", "Birmingham, Alabama, United States"),
        ("Japan", "Asia/Tokyo", "Japan"),
        ("asia/calcutta", "Asia/Calcutta", "Asia/Calcutta"),
        ("Etc/GMT-14", "Etc/GMT-14", "Etc/GMT-14"),
        ("UTC+05:30", "UTC+05:30", "UTC+05:30"),
        ("+0545", "UTC+05:45", "UTC+05:45"),
        ("GMT-3", "UTC-03:00", "UTC-03:00"),
        # invisible format characters pasted inside a name: soft hyphen, zero-width space and
        # joiner, word joiner, a bidi mark, a variation selector
        ("Tok\u00adyo", "Asia/Tokyo", "Tokyo, Japan"),
        ("To\u200bkyo", "Asia/Tokyo", "Tokyo, Japan"),
        ("São\u200d Paulo", "America/Sao_Paulo", "São Paulo, Brazil"),
        ("Lima\u2060, Peru", "America/Lima", "Lima, Peru"),
        ("Zü\u200erich", "Europe/Zurich", "Zürich, Switzerland"),
        ("Tokyo\ufe0f", "Asia/Tokyo", "Tokyo, Japan"),
        # GeoNames' own names with a zero-width space (Lao `Jerusalem`), typed without it
        ("ເຢຣູຊາເລັມ", "Asia/Jerusalem", "Jerusalem, Israel"),
        # several qualifiers, all of which must hold, in any order
        ("Portland, Maine, USA", "America/New_York", "Portland, Maine, United States"),
        ("Portland, US, ME", "America/New_York", "Portland, Maine, United States"),
        ("Paris, Texas, USA", "America/Chicago", "Paris, Texas, United States"),
        ("Springfield, il, us", "America/Chicago", "Springfield, Illinois, United States"),
        ("London, ON, Canada", "America/Toronto", "London, Ontario, Canada"),
        ("Misato, Saitama, JP", "Asia/Tokyo", "Misato, Saitama, Japan"),
    ],
)
def test_the_whole_kind(query: str, zone: str, label: str) -> None:
    resolution = resolve(query, PINNED)
    assert (resolution.zone_key, resolution.label) == (zone, label)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Portland, Maine, Canada", "not found"),
        ("Portland, Xyzzy, USA", "unknown qualifier 'Xyzzy'"),
    ],
)
def test_several_qualifiers_that_do_not_all_hold(query: str, message: str) -> None:
    with pytest.raises(PlaceNotFoundError, match=message):
        resolve(query, PINNED)
