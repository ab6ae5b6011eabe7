"""Codes and points read before names (places/codes.py): time-zone abbreviations, IATA airport
codes, short forms and coordinates. The rows of tests/data/names.tsv of those kinds, then each kind
as a whole, against the pinned tzdata, CLDR (babel) and airportsdata themselves."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest

from tests.conftest import PINNED, read_tsv
from world_timer.errors import PlaceNotFoundError, RegionError
from world_timer.places.airports import find_airport
from world_timer.places.gazetteer import gazetteer
from world_timer.places.resolve import resolve
from world_timer.places.short_forms import SHORT_FORMS
from world_timer.timekeeping.transitions import zone_transitions
from world_timer.timekeeping.zones import TZDATA_DIR, format_offset, load_zone

KINDS = ("abbreviation", "airport code", "short form", "coordinates")
CODE_ROWS = [row for row in read_tsv("names.tsv") if row and any(k in row[2] for k in KINDS)]
YEAR = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=7 * week) for week in range(53)]


@cache
def offsets_all_year(zone_key: str) -> tuple[timedelta | None, ...]:
    """The zone's UTC offset every week of 2026 (a fixed offset `UTC+09:00` too)."""
    zone = resolve(zone_key, PINNED).zone if zone_key.startswith("UTC") else load_zone(zone_key)
    return tuple(instant.astimezone(zone).utcoffset() for instant in YEAR)


def acceptable(zone_key: str, accepted: str) -> bool:
    """names.tsv's rule: one of the listed zones, or a zone with the same offsets all year."""
    keys = accepted.split()
    return zone_key in keys or any(offsets_all_year(zone_key) == offsets_all_year(k) for k in keys)


def test_the_rows_of_these_kinds_are_all_there() -> None:
    assert len(CODE_ROWS) == 11


@pytest.mark.parametrize(("query", "zones", "what"), CODE_ROWS, ids=[r[0] for r in CODE_ROWS])
def test_row_resolves(query: str, zones: str, what: str) -> None:
    resolution = resolve(query, PINNED)
    assert acceptable(resolution.zone_key, zones), resolution
    assert resolution.notes  # each of these kinds says how it was read


@pytest.mark.parametrize(("query", "zones", "what"), CODE_ROWS, ids=[r[0] for r in CODE_ROWS])
def test_row_through_the_cli(run, query: str, zones: str, what: str) -> None:
    result = run(["--format", "json", "--", query])  # `--`: `-33.87, 151.21` is not an option
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert acceptable(row["timezone"], zones)
    assert "note: " in result.stderr


# --- Time-zone abbreviations ---------------------------------------------------------------------


@cache
def tzdata_abbreviations() -> dict[str, set[int]]:
    """Every alphabetic abbreviation in the pinned tzdata's zones (zone.tab), with every offset
    (seconds) it was used with, past and present; LMT (local mean time) left out."""
    text = (TZDATA_DIR / "zone.tab").read_text(encoding="utf-8")
    zones = [line.split("\t")[2] for line in text.splitlines() if line and line[0] != "#"]
    found: dict[str, set[int]] = {}
    for zone in zones:
        transitions = zone_transitions(zone)
        names = [(p.abbreviation, p.utc_offset) for p in transitions.periods]
        rule = transitions.rule
        if rule is not None:
            names.append((rule.std_name, rule.std_offset))
            if rule.dst_name and rule.dst_offset is not None:
                names.append((rule.dst_name, rule.dst_offset))
        for name, offset in names:
            if re.fullmatch(r"[A-Z][A-Za-z]{2,5}", name) and name != "LMT":
                found.setdefault(name, set()).add(offset)
    return found


def test_every_tzdata_abbreviation_names_an_offset_it_really_has() -> None:
    """Each resolves to an offset tzdata used it with, or, where tzdata's uses all ended before
    2020, to the offset CLDR names by it today (`MMT`: Myanmar Time, not a mean time of 1900) or
    that a living zone used it for before tzdata 2017a (`NPT`: Nepal Time, not Newfoundland Peace
    Time of 1942-1945; places/build/former_abbreviations.py)."""
    from world_timer.places.build.former_abbreviations import FORMER, SOURCE

    former = {abbr for abbr, _name, _zones in FORMER}
    from world_timer.places.abbreviations import find_readings

    found = tzdata_abbreviations()
    assert {"JST", "IST", "MSK", "SAST", "WIB", "NZDT", "AEST", "PST", "CEST"} <= found.keys()
    by_cldr = {}
    for abbr, offsets in found.items():
        offset = resolve(abbr, PINNED).zone.utcoffset(PINNED)
        assert offset is not None
        if int(offset.total_seconds()) not in offsets:
            pick, *others = find_readings(gazetteer().connection, abbr)
            origins = ("CLDR", SOURCE) if abbr in former else ("CLDR",)
            assert pick.until is None and pick.sources.startswith(origins), abbr
            assert "tzdata" not in pick.sources.replace(SOURCE, ""), abbr  # today's tzdata
            assert all(o.until is not None for o in others if "tzdata" in o.sources), abbr
            by_cldr[abbr] = pick.description
    assert len(found) > 100
    assert by_cldr == {
        "AMT": "Amazon Standard Time",
        "BDT": "Bangladesh Time",
        "NPT": "Nepal Time",
        "GST": "Gulf Standard Time",
        "MMT": "Myanmar Time",
        "TMT": "Turkmenistan Standard Time",
    }


def test_every_english_cldr_short_name_is_the_offset_of_its_metazone() -> None:
    """CLDR's English short names (en and every en_* locale: PST, AEST, SAST, NZDT, ...) resolve
    to the standard (or daylight) offset of a zone of their metazone today."""
    from babel import Locale, localedata
    from babel.core import get_global

    zones_of: dict[str, list[str]] = {}
    for zone, metazone in get_global("meta_zones").items():
        zones_of.setdefault(metazone, []).append(zone)
    checked = 0
    ambiguous = set()
    for identifier in localedata.locale_identifiers():
        if identifier.split("_")[0] != "en":
            continue
        for metazone, names in Locale.parse(identifier).meta_zones.items():
            for kind, abbr in (names.get("short") or {}).items():
                if kind == "generic" or not re.fullmatch(r"[A-Z][A-Za-z]{2,5}", abbr):
                    continue  # a generic name (`PT`) names no one offset; `∅∅∅` is no name
                if abbr in ("GMT", "UTC"):
                    continue
                zone_offsets = set()
                for zone in zones_of[metazone]:
                    year = {instant.astimezone(load_zone(zone)).utcoffset() for instant in YEAR}
                    if kind == "standard" or len(year) > 1:
                        zone_offsets.add(min(year) if kind == "standard" else max(year))
                if not zone_offsets:
                    continue  # a summer time no zone keeps today (`WAST`): tzdata's past use
                resolution = resolve(abbr, PINNED)
                offset = resolution.zone.utcoffset(PINNED)
                if offset not in zone_offsets:  # an ambiguous one (`IST` in en_IE): in the note
                    named = {f"UTC{format_offset(o)} all year" for o in zone_offsets}
                    assert any(n in resolution.notes[0] for n in named), (identifier, abbr)
                    ambiguous.add(abbr)
                checked += 1
    assert checked > 400
    assert ambiguous == {"IST"}


@pytest.mark.parametrize(
    ("typed", "when", "offset", "name"),
    [
        # the offset an abbreviation names, whatever the season
        ("PST", "2026-07-15T12:00:00Z", "-08:00", "Pacific Standard Time"),
        ("PDT", "2026-01-15T12:00:00Z", "-07:00", "Pacific Daylight Time"),
        ("CEST", "2026-01-15T12:00:00Z", "+02:00", "Central European Summer Time"),
        ("AEDT", "2026-07-15T12:00:00Z", "+11:00", "Australian Eastern Daylight Time"),
        ("NZDT", "2026-07-15T12:00:00Z", "+13:00", "New Zealand Daylight Time"),
        ("MSK", "2026-07-15T12:00:00Z", "+03:00", "Moscow Standard Time"),
        ("SAST", "2026-07-15T12:00:00Z", "+02:00", "South Africa Standard Time"),
        ("WIB", "2026-07-15T12:00:00Z", "+07:00", "Western Indonesia Time"),
        ("KST", "2026-07-15T12:00:00Z", "+09:00", "Korean Standard Time"),
        ("ChST", "2026-07-15T12:00:00Z", "+10:00", "Chamorro Standard Time"),
        ("jst", "2026-07-15T12:00:00Z", "+09:00", "Japan Standard Time"),  # no place is `Jst`
    ],
)
def test_an_abbreviation_is_the_fixed_offset_it_names(
    run, typed: str, when: str, offset: str, name: str
) -> None:
    result = run(["--at", when, "--format", "json", typed])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["utc_offset"], row["timezone"], row["label"]) == (
        offset,
        f"UTC{offset}",
        typed if typed != "jst" else "JST",
    )
    assert f"note: '{typed}' read as a time-zone abbreviation: {name}, UTC{offset}" in result.stderr


@pytest.mark.parametrize(
    ("typed", "offset", "others"),
    [
        ("IST", "+05:30", ["Israel Standard Time, UTC+02:00", "Irish Standard Time, UTC+01:00"]),
        ("CST", "-06:00", ["China Standard Time, UTC+08:00", "Cuba Standard Time, UTC-05:00"]),
        ("PST", "-08:00", ["Philippine Standard Time, UTC+08:00"]),
        # Zones most people first: Nome (3,806 people in GeoNames) before Adak (a tz city, 0).
        ("BST", "+01:00", ["UTC-11:00 (America/Nome, America/Adak, until 1983)"]),
        ("AST", "-04:00", []),
    ],
)
def test_an_ambiguous_abbreviation_has_its_pick_and_names_the_others(
    typed: str, offset: str, others: list[str]
) -> None:
    resolution = resolve(typed, PINNED)
    assert resolution.zone_key == f"UTC{offset}"
    [note] = resolution.notes
    for other in others:
        assert other in note


@pytest.mark.parametrize(
    ("typed", "abbreviation"),
    [
        ("CAT", True),  # Central Africa Time, as written
        ("cat", False),  # Çat, Turkey has it as its own name: a word, not an abbreviation
        ("pst", True),  # no place is called `Pst`
        ("ist", True),
    ],
)
def test_an_abbreviation_in_lower_case_only_where_no_place_has_that_name(
    typed: str, abbreviation: bool
) -> None:
    resolution = resolve(typed, PINNED)
    assert resolution.zone_key.startswith("UTC") == abbreviation
    assert any("time-zone abbreviation" in n for n in resolution.notes) == abbreviation


def test_zone_keys_that_keep_summer_time_stay_zones_with_a_note(run) -> None:
    result = run(["--at", "2026-07-15T12:00:00Z", "--format", "json", "CET", "EET", "WET"])
    assert result.exit_code == 0, result.output
    assert [(r["timezone"], r["utc_offset"]) for r in json.loads(result.stdout)] == [
        ("CET", "+02:00"),
        ("EET", "+03:00"),
        ("WET", "+01:00"),
    ]
    assert (
        "note: 'CET' is the tz zone key CET, which keeps summer time; as an abbreviation CET "
        "(Central European Standard Time) is UTC+01:00 all year: type UTC+01:00 for that"
    ) in result.stderr


def test_zone_keys_with_one_offset_stay_zone_keys() -> None:
    # UTC, GMT, EST, MST and HST are also abbreviations; their zone keys answer the same offset
    assert [resolve(k, PINNED).zone_key for k in ("UTC", "GMT", "EST", "MST", "HST")] == [
        "UTC",
        "GMT",
        "EST",
        "MST",
        "HST",
    ]


def test_at_reads_an_abbreviation(run) -> None:
    result = run(["--at", "2026-07-01 15:00 JST", "--format", "json", "UTC", "Europe/London"])
    assert result.exit_code == 0, result.output
    utc, london = json.loads(result.stdout)
    assert utc["datetime"].startswith("2026-07-01T06:00:00")
    assert london["datetime"].startswith("2026-07-01T07:00:00")  # BST in July
    assert "note: 'JST' read as a time-zone abbreviation: Japan Standard Time" in result.stderr


def test_plan_takes_an_abbreviation(run) -> None:
    result = run(["plan", "JST", "CEST", "--no-local", "--date", "2026-07-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    text = json.dumps(plan)
    assert "UTC+09:00" in text and "UTC+02:00" in text


# --- IATA airport codes ----------------------------------------------------------------------------


def test_a_sample_of_airports_resolves_to_the_airport_zone() -> None:
    """Every 20th airportsdata code: the airport's zone, unless the code is a time-zone
    abbreviation (they win: `IST`) or an ISO 3166 country code (`AUS`, `CAN`, `PER`)."""
    import airportsdata

    airports = sorted(airportsdata.load("IATA").items())
    db = gazetteer()
    checked = others = 0

    def bigger_own_name(code: str) -> bool:
        served = find_airport(db.connection, code)
        own = db.by_name(code.casefold(), official_only=True)
        return bool(served and own and own[0].population > served.served)

    for code, airport in airports[::20]:
        country = (  # ISO 3166-1 alpha-3 (GeoNames); a country's name in some locale is not one
            db.connection.execute("SELECT 1 FROM countries WHERE iso3 = ?", (code,)).fetchone()
            is not None
        )
        try:
            resolution = resolve(code, PINNED)
        except RegionError:
            assert country, code  # a country of several zones
            continue
        if resolution.zone_key.startswith("UTC"):  # an abbreviation
            assert "time-zone abbreviation" in resolution.notes[0], code
        elif country or bigger_own_name(code):  # the country, or a bigger place of that name
            assert not any("IATA" in note for note in resolution.notes), code
            others += 1
        else:
            assert acceptable(resolution.zone_key, airport["tz"]), (code, resolution)
            assert airport["name"] in resolution.notes[0]
            checked += 1
    assert checked > 350 and others < 20


@pytest.mark.parametrize(
    ("typed", "zone", "note"),
    [
        ("LHR", "Europe/London", "the IATA code of London Heathrow Airport (London, GB)"),
        ("NRT", "Asia/Tokyo", "the IATA code of Narita International Airport (Tokyo, JP)"),
        ("SFO", "America/Los_Angeles", "San Francisco International Airport"),
        ("IST", "UTC+05:30", "time-zone abbreviation"),  # not Istanbul Airport
        ("JST", "UTC+09:00", "time-zone abbreviation"),  # not Johnstown's airport
    ],
)
def test_airport_codes_and_what_beats_them(typed: str, zone: str, note: str) -> None:
    resolution = resolve(typed, PINNED)
    assert resolution.zone_key == zone
    assert note in resolution.notes[0]


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("HUE", "Asia/Ho_Chi_Minh"),  # Huế, 1.4 million, not Humera Airport
        ("ABA", "Africa/Lagos"),  # Aba, Nigeria, not Abakan
        ("MAN", "Europe/London"),  # Manchester Airport, not Man, Côte d'Ivoire
        ("SAN", "America/Los_Angeles"),  # San Diego's airport, not San, Mali
        ("UFA", "Asia/Yekaterinburg"),  # the airport of Ufa, Ufa itself
    ],
)
def test_an_airport_code_against_a_place_of_that_name(typed: str, zone: str) -> None:
    assert acceptable(resolve(typed, PINNED).zone_key, zone)


def test_a_country_code_beats_an_airport() -> None:
    assert resolve("FRA", PINNED).name == "France"  # not Frankfurt Airport
    australia = resolve("AUS", PINNED)  # not Austin-Bergstrom
    assert (australia.name, australia.matched) == ("Australia", "country-capital")
    with pytest.raises(PlaceNotFoundError):
        resolve("lhr", PINNED)  # an airport code is written in capitals


# --- Short forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", SHORT_FORMS, ids=[e.typed for e in SHORT_FORMS])
def test_every_short_form_is_its_city(entry) -> None:
    for typed in (entry.typed, entry.typed.lower(), entry.typed.upper()):
        resolution = resolve(typed, PINNED)
        assert resolution.place is not None
        assert (resolution.place.name, resolution.place.country_code) == (
            entry.name,
            entry.country_code,
        )
        assert entry.reason in resolution.notes[0]


def test_iso_codes_without_a_short_form_stay_countries() -> None:
    assert resolve("LA", PINNED).zone_key == "America/Los_Angeles"
    assert resolve("Laos", PINNED).zone_key == "Asia/Vientiane"
    for code, zone in [("JP", "Asia/Tokyo"), ("FR", "Europe/Paris"), ("SG", "Asia/Singapore")]:
        resolution = resolve(code, PINNED)
        assert (resolution.zone_key, resolution.place) == (zone, None)


# --- Coordinates -----------------------------------------------------------------------------------

# tzfpy (timezone-boundary-builder) puts Xinjiang in Asia/Shanghai, Beijing time, the official
# time there; GeoNames gives its cities Asia/Urumqi (UTC+06:00, the local time also in use).
XINJIANG = "Asia/Urumqi"


def test_big_places_by_their_coordinates_get_their_own_offsets() -> None:
    rows = gazetteer().connection.execute(
        "SELECT name, timezone, latitude, longitude FROM places WHERE population >= 1000000"
    )
    checked = 0
    for name, zone, latitude, longitude in rows:
        resolution = resolve(f"{latitude},{longitude}", PINNED)
        if zone != XINJIANG:
            assert acceptable(resolution.zone_key, zone), (name, resolution.zone_key)
            assert resolution.label.startswith("near ")
            checked += 1
    assert checked > 300


@pytest.mark.parametrize(
    ("typed", "zone", "near"),
    [
        ("35.6895,139.6917", "Asia/Tokyo", "near Tokyo, Japan"),
        ("-33.87, 151.21", "Australia/Sydney", "near Sydney"),
        ("40.7128° N, 74.0060° W", "America/New_York", "near "),
        ("51.5;-0.12", "Europe/London", "near "),
        ("-18.14 178.44", "Pacific/Fiji", "near Suva, "),
        ("-21.2, -175.2", "Pacific/Tongatapu", "near "),  # the nearest place across ±180°
    ],
)
def test_coordinates(typed: str, zone: str, near: str) -> None:
    resolution = resolve(typed, PINNED)
    assert resolution.zone_key == zone
    assert resolution.label.startswith(near)
    assert "read as latitude, longitude" in resolution.notes[0]


def test_the_open_sea_is_nautical_time_explained() -> None:
    resolution = resolve("0,-150", PINNED)
    assert resolution.zone_key == "Etc/GMT+10"
    assert "no gazetteer place within" in resolution.notes[0]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("91,0", "latitude 91 is outside −90…90"),
        ("0,181", "longitude 181 is outside −180…180"),
        ("-10S,5", "bad coordinate '-10': a sign or NS, not both"),
    ],
)
def test_coordinates_out_of_range_are_not_found(run, typed: str, message: str) -> None:
    with pytest.raises(PlaceNotFoundError, match=message):
        resolve(typed, PINNED)
    result = run(["--", typed])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(f"({message})")


def test_the_offline_path_imports_no_data_package_and_tzfpy_only_for_a_point() -> None:
    code = (
        "import sys; from world_timer.places.resolve import resolve;"
        "[resolve(q) for q in ('JST', 'LHR', 'LA', 'Tokyo')];"
        "print(sorted(m for m in ('babel', 'airportsdata', 'tzfpy') if m in sys.modules));"
        "resolve('35.68,139.76'); print('tzfpy' in sys.modules);"
        "resolve('47.58409,7.58572'); print('tzfpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # A city's point comes from the zone tiles; only a point on a boundary loads tzfpy.
    assert out.stdout.split("\n")[:3] == ["[]", "False", "True"]


def test_the_server_city_route_reads_codes_and_points() -> None:
    from prometheus_client import CollectorRegistry

    from tests.server_client import call
    from world_timer.server.app import make_app

    app = make_app(registry=CollectorRegistry(), now=lambda: PINNED)
    jst = call(app, "GET", "/api/city/JST").json()
    assert (jst["label"], jst["time"]["utc_offset"], jst["place"]) == ("JST", "+09:00", None)
    assert jst["notes"][0].startswith("'JST' read as a time-zone abbreviation")
    point = call(app, "GET", "/api/city/35.68%2C139.76").json()
    assert point["time"]["timezone"] == "Asia/Tokyo" and point["label"].startswith("near ")
    bad = call(app, "GET", "/api/city/91%2C0")
    assert bad.status == 404 and "latitude 91" in bad.json()["detail"]


@pytest.mark.parametrize(
    ("typed", "zone", "country"),
    [
        ("ET", "America/New_York", "Ethiopia"),
        ("CT", "America/Chicago", None),  # US English (CLDR `en`), not Mexico City
        ("MT", "America/Denver", "Malta"),
        ("PT", "America/Los_Angeles", "Portugal"),
        ("AT", "America/Halifax", "Austria"),  # en_CA's territory has the zone, not en's (US)
        ("AET", "Australia/Sydney", None),
        ("NZT", "Pacific/Auckland", None),
    ],
)
def test_a_generic_time_name_is_a_zone_with_its_dst(
    typed: str, zone: str, country: str | None
) -> None:
    """`--at "9am ET"` was Ethiopia's 9am. CLDR's generic short names (English locales) are
    zones, so they follow DST; a two-letter one names the ISO country it hides."""
    found = resolve(typed, PINNED)
    assert found.zone_key == zone
    assert "with its daylight saving time" in found.notes[0]
    assert (f"for {country} type '{country}'" in found.notes[0]) == (country is not None)


def test_a_generic_name_in_lower_case_is_not_one() -> None:
    assert resolve("et", PINNED).zone_key == "Africa/Addis_Ababa"  # Ethiopia's ISO code


def test_nine_am_et_in_july_is_new_yorks_nine_am() -> None:
    from world_timer.reading.instants import parse_instant

    instant = parse_instant("2026-07-01 9am ET", PINNED, UTC)
    assert instant.when == datetime(2026, 7, 1, 13, 0, tzinfo=UTC)  # EDT, UTC−04:00
