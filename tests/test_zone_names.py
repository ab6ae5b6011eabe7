"""Time-zone names spelt out (issue 19): CLDR metazone names in every locale, Windows IDs,
CLDR "X time" forms, and `Eastern` / `Central` alone. Facts from babel's CLDR at test time."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from babel import Locale
from babel.core import get_global

from world_timer.places.gazetteer import gazetteer
from world_timer.places.resolve import resolve
from world_timer.places.zone_names import location_parts

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "zone", "locale"),
    [
        ("Central Time", "America/Chicago", "en"),
        ("Eastern Time", "America/New_York", "en"),
        ("Pacific Time", "America/Los_Angeles", "en"),
        ("Central European Summer Time", "Europe/Berlin", "en"),
        ("Mitteleuropäische Zeit", "Europe/Berlin", "de"),
        ("mitteleuropaische zeit", "Europe/Berlin", "de"),
        ("heure normale du Japon", "Asia/Tokyo", "fr"),
        ("heure de l’Est nord-américain", "America/New_York", "fr"),
        ("日本標準時", "Asia/Tokyo", "ja"),
        ("Moscow Standard Time", "Europe/Moscow", "en"),
        ("Hora de Brasília", "America/Sao_Paulo", "pt"),
        ("British Summer Time", "Europe/London", "en"),
    ],
)
def test_a_cldr_zone_name_is_its_zone(typed: str, zone: str, locale: str) -> None:
    found = resolve(typed, WINTER)
    assert (found.zone_key, found.matched) == (zone, "metazone")
    assert "the zone's own clock" in found.notes[0]


def test_a_daylight_name_still_follows_dst() -> None:
    """`Pacific Daylight Time` in January is −08:00: the zone, not a fixed offset."""
    found = resolve("Pacific Daylight Time", WINTER)
    offset = WINTER.astimezone(found.zone).utcoffset()
    assert offset is not None and offset.total_seconds() == -8 * 3600
    assert "a daylight name" in found.notes[0]


@pytest.mark.parametrize(("windows_id", "zone"), sorted(get_global("windows_zone_mapping").items()))
def test_every_windows_id_has_its_zones_offsets(windows_id: str, zone: str) -> None:
    """All 142 CLDR windowsZones IDs: the zone's offsets in winter and summer."""
    if windows_id in ("UTC", "Coordinated Universal Time") or zone.startswith("Etc/"):
        return  # `UTC-11` is read as a UTC offset, `UTC` as the zone key
    from world_timer.timekeeping.zones import load_zone

    found = resolve(windows_id, WINTER)
    for instant in (WINTER, SUMMER):
        assert (
            instant.astimezone(found.zone).utcoffset()
            == instant.astimezone(load_zone(zone)).utcoffset()
        ), windows_id


def test_a_windows_id_that_is_also_a_cldr_name_says_both() -> None:
    found = resolve("Arabian Standard Time", WINTER)
    assert (found.zone_key, found.matched) == ("Asia/Dubai", "windows")
    assert "Asia/" in found.notes[0].split("that name is")[1]


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Eastern", "America/New_York"),
        ("Central", "America/Chicago"),
        ("Mountain", "America/Denver"),
        ("eastern", "America/New_York"),
    ],
)
def test_eastern_and_central_alone_are_north_american(typed: str, zone: str) -> None:
    assert resolve(typed, WINTER).zone_key == zone  # not Uganda's Central Region


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("India Time", "Asia/Kolkata"),
        ("Ora din India", "Asia/Kolkata"),
        ("Hora de: Regne Unit", "Europe/London"),
        ("インド時間", "Asia/Kolkata"),
        ("Tokyo Time", "Asia/Tokyo"),
        ("London time", "Europe/London"),
    ],
)
def test_an_x_time_form_is_its_places_zone(typed: str, zone: str) -> None:
    found = resolve(typed, WINTER)
    assert (found.zone_key, found.matched) == (zone, "location-format")


def test_an_x_time_form_needs_a_word_boundary() -> None:
    """`hora delhi` is not Catalan `Hora de: ` + `lhi`."""
    assert all(inner != "lhi" for inner, _ in location_parts(gazetteer().connection, "hora delhi"))


def test_a_place_name_wins_over_a_zone_name() -> None:
    """Keys that are a place's name are left out at build time."""
    db = gazetteer().connection
    clash = db.execute(
        "SELECT COUNT(*) FROM zone_names z JOIN names n ON n.key = z.key WHERE z.form != 'bare'"
    ).fetchone()[0]
    assert clash == 0


def test_every_locales_generic_names_resolve_in_a_sample_of_languages() -> None:
    """German, French, Japanese, Spanish, Russian generic names of 20 metazones each."""
    from world_timer.timekeeping.zones import load_zone

    zones_of: dict[str, list[str]] = {}
    for zone, metazone in get_global("meta_zones").items():
        zones_of.setdefault(metazone, []).append(zone)
    wrong = []
    for language in ("de", "fr", "ja", "es", "ru"):
        names = Locale.parse(language).meta_zones
        for metazone in sorted(names)[:: max(1, len(names) // 20)]:
            name = names[metazone].get("long", {}).get("generic")
            if not name or metazone not in zones_of:
                continue
            try:
                found = resolve(name, WINTER)
            except Exception as exc:  # counted, then reported
                wrong.append(f"{language} {name}: {exc}")
                continue
            expected = {WINTER.astimezone(load_zone(z)).utcoffset() for z in zones_of[metazone]}
            if WINTER.astimezone(found.zone).utcoffset() not in expected:
                wrong.append(f"{language} {name}: {found.zone_key}")
    assert not wrong


def test_the_json_row_says_metazone(run) -> None:
    result = run(["--format", "json", "W. Europe Standard Time", "Central Time"])
    rows = json.loads(result.stdout)
    assert [(r["timezone"], r["matched"]) for r in rows] == [
        ("Europe/Berlin", "windows"),
        ("America/Chicago", "metazone"),
    ]
