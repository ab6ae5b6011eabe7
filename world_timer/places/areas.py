"""Countries and first-level regions typed alone: `Japan`, `Japon`, `England`, `Bavaria`, `Texas`.

A country with one zone resolves to it; one with several to its capital's zone, with a note naming
the other offsets (places/guess.py: RegionError saying how to choose in strict mode).
A region (admin1: state, province, nation) resolves to the zone where most of the gazetteer's
people in it live, with a note when it spans several (`Texas` → America/Chicago; also
America/Denver). Names come from CLDR (countries, every locale) and ISO 3166-2 / GeoNames
(regions), built into the `qualifiers` table.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from world_timer.places.gazetteer import Place, gazetteer

MINOR_ZONE_SHARE = 0.01
"""A region's other zone is named in the note when it holds at least this share of its people."""


class Area(NamedTuple):
    """A region typed alone: label (`Texas, United States`), IANA zone, people, notes."""

    label: str
    zone: str
    population: int
    notes: tuple[str, ...]
    country_code: str = ""
    admin1_code: str = ""
    capital: bool = False
    """A country of several UTC offsets read as its capital's zone (a guess, noted)."""


def country_zone(
    query: str,
    key: str,
    min_population: float = 0,
    unless: Place | None = None,
    now: datetime | None = None,
) -> Area | None:
    """Return the Area (country name, IANA zone, notes) of the country named `key`, else None.

    With `min_population` (a country beating a place of that name), only the country's English
    name or a name in its own languages counts (`Nederland`: Gazetteer.country_named), only
    with at least that many people (GeoNames), and never over a capital or the
    city of a tz zone (`unless`: `Kiritimati` is not Kiribati). A country whose zones all keep
    the same UTC offset as its main one, at every week of the year from `now` (`Germany`:
    Europe/Berlin and Europe/Busingen), resolves to the main one with a note.
    A country of several offsets (`Mexico`) is its capital's zone, noted (RegionError in strict
    mode).
    """
    db = gazetteer()
    if min_population:
        code = db.country_named(key)
        if code is None or db.country_population(code) < min_population or prominent(unless):
            return None
    else:
        codes = {cc for cc, admin1 in db.qualifier(key) if not admin1}
        if len(codes) != 1:
            return None
        code = codes.pop()
    return zones_of_country(query, code, now)


def zones_of_country(query: str, code: str, now: datetime | None = None) -> Area | None:
    """The Area of the country with ISO 3166-1 alpha-2 `code` (see country_zone); None when the
    gazetteer has no place in it. A country of several UTC offsets: its capital's zone with a
    note (guess.capital_area; RegionError in strict mode)."""
    db = gazetteer()
    zones = db.country_zones(code)
    name = db.country_name(code) or code
    if len(zones) == 1:
        return Area(name, zones[0], 0, (), code)
    if not zones:
        return None
    if _same_offsets(zones, now or datetime.now(UTC)):
        note = (
            f"'{query.strip()}' is {name}: its {len(zones)} zones keep the same UTC offset all "
            f"year ({', '.join(zones[:4])}); showing {zones[0]}"
        )
        return Area(name, zones[0], 0, (note,), code)
    from world_timer.places.guess import capital_area

    zone, note = capital_area(query, code, name, zones, now or datetime.now(UTC))
    return Area(name, zone, 0, (note,), code, capital=True)


def _same_offsets(zones: list[str], now: datetime) -> bool:
    """True when every zone has the first one's UTC offset at each week of the year from `now`."""
    from world_timer.timekeeping.zones import load_zone

    loaded = [load_zone(zone) for zone in zones]
    for week in range(53):
        instant = now + timedelta(weeks=week)
        first = instant.astimezone(loaded[0]).utcoffset()
        if any(instant.astimezone(zone).utcoffset() != first for zone in loaded[1:]):
            return False
    return True


def prominent(place: Place | None) -> bool:
    """A capital or the city of a tz zone: never beaten by a country or region of its name."""
    return place is not None and place.prominent


def region(query: str, key: str, countries: set[str] | None = None) -> Area | None:
    """Return the region named `key` (the most populous one when several share the name: the
    gazetteer's people in it), only in `countries` (ISO 3166 codes) when given, or None when no
    region has that name."""
    db = gazetteer()
    best: tuple[int, str, str, list[tuple[str, int]]] | None = None
    for cc, admin1 in db.areas_named(key):
        if not admin1 or (countries is not None and cc not in countries):
            continue
        zones = db.region_zones(cc, admin1)
        people = sum(pop for _tz, pop in zones)
        if zones and (best is None or people > best[0]):
            best = (people, cc, admin1, zones)
    if best is None:
        return None
    people, cc, admin1, zones = best
    name = db.region_name(cc, admin1) or admin1
    label = f"{name}, {db.country_name(cc) or cc}"
    others = [tz for tz, pop in zones[1:] if pop >= MINOR_ZONE_SHARE * people]
    notes: tuple[str, ...] = ()
    if others:
        share = zones[0][1] / max(people, 1)
        notes = (
            f"'{query.strip()}' is {label}, which spans {len(others) + 1} zones: showing "
            f"{zones[0][0]} ({share:.0%} of its people); also {', '.join(others[:3])}: "
            "name a city for another",
        )
    return Area(label, zones[0][0], people, notes, cc, admin1)


def namesake_region_note(query: str, key: str, country_code: str) -> tuple[str, ...]:
    """For a country's name that is also a region's elsewhere (`Georgia`: the US state), the
    note naming it and how to ask for it; else ()."""
    db = gazetteer()
    others = {cc for cc, admin1 in db.areas_named(key) if admin1 and cc != country_code}
    found = region(query, key, others) if others else None
    if found is None:
        return ()
    qualifier = found.country_code
    return (
        f"'{query.strip()}' is the country; also {found.label} ({found.zone}): "
        f"type '{query.strip()}, {qualifier}'",
    )
