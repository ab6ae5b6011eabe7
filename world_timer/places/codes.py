"""Queries that are codes or points, read before any name: coordinates, time-zone abbreviations,
short forms of city names and IATA airport codes (the one hook `resolve` calls first).

The order, and why:

1. **Coordinates** (`35.68,139.76`): two numbers are never a name.
2. **Time-zone abbreviations** (`JST`, `CEST`, `IST`; places/abbreviations.py): typed in capitals
   they win over everything after them (`JST` is not Johnstown, `IST` not Istanbul Airport); typed
   in lower case (`jst`) only where no place has that as its own name. An abbreviation that is
   also a tz zone key stays the zone (`EST`, `UTC`; `CET`, `EET`, `WET`, which keep summer time as
   tzdata and worldtimeapi define them), with a note giving the fixed offset for `CET`.
3. **Generic time names** (`ET`, `PT`, `AET`; places/generic_names.py), in capitals: a zone with
   its DST (`9am ET` is New York's clock), over the ISO code they share (`ET` Ethiopia), noted.
4. **Short forms** (`LA`, `NYC`, `CDMX`; places/short_forms.py), in any case: curated, so they win
   over ISO country codes (`LA` is Los Angeles, not Laos) and alternate names.
5. **IATA airport codes** (`LHR`; places/airports.py): three capitals that are not an ISO 3166
   country code (`AUS` stays Australia, `CAN` Canada), not a zone key (`UTC`), and not the own
   name of a place bigger than the one the airport serves (`HUE` is Huế, `MAN` Manchester Airport).

Anything else returns None and `resolve` goes on with zone keys, offsets and names.
"""

from __future__ import annotations

from datetime import timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from world_timer.errors import PlaceNotFoundError
from world_timer.places.gazetteer import Place, gazetteer
from world_timer.places.normalize import normalize
from world_timer.timekeeping.zones import canonical_key, format_offset, load_zone

if TYPE_CHECKING:
    from world_timer.places.abbreviations import Reading
    from world_timer.places.coordinates import Point

NEAR_DEGREES = 1.0
"""How far (degrees of latitude and longitude) to look for the place that labels a point."""
_MAX_CODE = 6


class CodeMatch(NamedTuple):
    """What a code or a point resolved to: the fields `resolve` puts in a Resolution."""

    zone: tzinfo
    place: Place | None = None
    notes: tuple[str, ...] = ()
    name: str | None = None
    matched: str = "coordinates"
    """How the text was read: a MATCHED kind of world_timer.places.resolve."""


def resolve_code(query: str, text: str) -> CodeMatch | None:
    """Resolve `text` (the stripped query) as a point, an abbreviation, a generic time name, a
    short form or an airport.

    Returns None when it is none of those. Raises PlaceNotFoundError for coordinates out of
    range or a point whose zone the pinned tzdata lacks.
    """
    if any(ch.isdigit() for ch in text) or _maybe_non_finite_pair(text):
        return _point(query, text)
    if not (2 <= len(text) <= _MAX_CODE and text.isascii() and text.isalpha()):
        return None
    kinds = _kinds(text)
    if not kinds:  # most names (`Tokyo`): one indexed query, and no module imported
        return None
    return (
        ("abbreviation" in kinds and _abbreviation(query, text))
        or ("generic" in kinds and _generic(query, text))
        or ("short form" in kinds and _short_form(query, text))
        or ("airport" in kinds and _airport(query, text))
        or None
    )


def _maybe_non_finite_pair(text: str) -> bool:
    """True for text that may be a pair with NaN or an infinity (`NaN,NaN`), which parse_point
    refuses; cheap, so that most names import nothing."""
    low = text.lower()
    return ("nan" in low or "inf" in low) and any(sep in text for sep in ", ;")


def _kinds(text: str) -> set[str]:
    """Which code tables hold `text`: {"abbreviation", "generic", "short form", "airport"} or
    fewer."""
    rows = gazetteer().connection.execute(
        "SELECT 'abbreviation' FROM abbreviations WHERE key = ? AND rank = 0"
        " UNION ALL SELECT 'generic' FROM generic_names WHERE key = ?"
        " UNION ALL SELECT 'short form' FROM short_forms WHERE key = ?"
        " UNION ALL SELECT 'airport' FROM airports WHERE code = ?",
        (text.upper(), text, normalize(text), text),
    )
    return {str(kind) for (kind,) in rows}


def _abbreviation(query: str, text: str) -> CodeMatch | None:
    from world_timer.places.abbreviations import find_readings, reading_note

    readings = find_readings(gazetteer().connection, text)
    if not readings:
        return None
    zone_key = canonical_key(text)
    if zone_key:  # `CET`, `EET`, `WET`: zone keys first (they keep summer time)
        notes = (zone_key_note(query, zone_key, readings),)
        return CodeMatch(load_zone(zone_key), notes=notes, matched="abbreviation")
    # as written (`JST`, `ChST`), or as a word (`jst`) that is no place's own name
    if not (text.isupper() or any(r.abbreviation == text for r in readings)) and _own_name(text):
        return None
    pick = readings[0]
    offset = timedelta(seconds=pick.utc_offset)
    zone = timezone(offset, "UTC" + format_offset(offset))
    notes = (reading_note(query, readings),)
    return CodeMatch(zone, notes=notes, name=pick.abbreviation, matched="abbreviation")


def _generic(query: str, text: str) -> CodeMatch | None:
    from world_timer.places.generic_names import find_generic, generic_note

    found = find_generic(gazetteer().connection, text)
    if found is None:
        return None
    code = gazetteer().iso_country(text) if len(text) == 2 else None
    country = (gazetteer().country_name(code) or code) if code else None
    name = f"{found.name} ({found.description})"
    notes = (generic_note(query, found, country),)
    return CodeMatch(load_zone(found.zone), notes=notes, name=name, matched="generic")


def _short_form(query: str, text: str) -> CodeMatch | None:
    from world_timer.places.short_forms import find_short_form

    short = find_short_form(gazetteer().connection, text)
    place = gazetteer().by_id(short[0]) if short else None
    if not (short and place):
        return None
    note = f"'{query.strip()}' read as {place.label}: {short[1]}"
    return CodeMatch(load_zone(place.timezone), place, (note,), matched="short-form")


def _airport(query: str, text: str) -> CodeMatch | None:
    if len(text) != 3 or not text.isupper() or _is_country_code(text) or canonical_key(text):
        return None
    from world_timer.places.airports import find_airport

    airport = find_airport(gazetteer().connection, text)
    if airport is None:
        return None
    own = gazetteer().by_name(normalize(text), official_only=True)
    if own and own[0].population > airport.served:
        return None  # `HUE` is Huế (1.4 million), not Humera Airport
    name = f"{airport.code} ({airport.name})"
    notes = (airport.note(query),)
    return CodeMatch(load_zone(airport.timezone), notes=notes, name=name, matched="airport")


def zone_key_note(query: str, key: str, readings: list[Reading]) -> str:
    """`'CET' is the tz zone key CET, which keeps summer time (CEST, UTC+02:00); the abbreviation
    CET alone is UTC+01:00 all year: type UTC+01:00 for that`."""
    pick = readings[0]
    offset = format_offset(timedelta(seconds=pick.utc_offset))
    return (
        f"'{query.strip()}' is the tz zone key {key}, which keeps summer time; as an "
        f"abbreviation {pick.abbreviation} ({pick.description}) is UTC{offset} all year: "
        f"type UTC{offset} for that"
    )


def _own_name(text: str) -> bool:
    return bool(gazetteer().by_name(normalize(text), official_only=True))


def _is_country_code(text: str) -> bool:
    """True for an ISO 3166-1 alpha-2 or alpha-3 code (`AUS`, `CAN`, `FR`), from the gazetteer's
    `countries` table (GeoNames). Only codes count: `MAN` is also the Isle of Man's name in some
    CLDR locales (a qualifier), and stays Manchester Airport."""
    return gazetteer().iso_country(text) is not None


def _point(query: str, text: str) -> CodeMatch | None:
    from world_timer.places.coordinates import (  # tzfpy: imported there, only if needed
        Point,
        distance_km,
        parse_point,
        zone_at,
    )

    try:
        point = parse_point(text)
    except ValueError as exc:
        raise PlaceNotFoundError(query, detail=str(exc)) from None
    if point is None:
        return None
    key = zone_at(point, tiles=gazetteer().connection)
    if canonical_key(key) != key:
        raise PlaceNotFoundError(
            query, detail=f"the zone at {point.text}, {key!r}, is not in the pinned tz database"
        )
    nearby = gazetteer().near(point.latitude, point.longitude, NEAR_DEGREES)
    closest = min(nearby, key=lambda row: distance_km(point, Point(row[1], row[2])), default=None)
    nearest = gazetteer().by_id(closest[0]) if closest else None
    how = (
        f"'{query.strip()}' read as latitude, longitude {point.text}: zone {key} "
        f"(tz boundaries {gazetteer().meta()['boundaries']})"
    )
    if nearest is None:
        note = how + "; no gazetteer place within 1°"
        return CodeMatch(load_zone(key), notes=(note,), matched="coordinates")
    km = distance_km(point, _at(nearest))
    note = f"{how}; nearest gazetteer place {nearest.label}, {km:.0f} km"
    if nearest.timezone != key:
        note += f", whose zone is {nearest.timezone}"
    name = f"near {nearest.label} ({point.text})"
    return CodeMatch(load_zone(key), notes=(note,), name=name, matched="coordinates")


def _at(place: Place) -> Point:
    from world_timer.places.coordinates import Point

    return Point(place.latitude, place.longitude)
