"""Generic time names (`ET`, `PT`, `CT`, `MT`, `AET`, `NZT`): a zone, with its DST, not an offset.

`9am ET` means New York's clock, whatever the season: unlike `EST` (UTC−05:00 all year, see
places/abbreviations.py), a generic name follows the zone's DST. Source: the CLDR metazone short
generic names of the English locales babel ships (`ET` "Eastern Time" in `en`, `AET` "Australian
Eastern Time" in `en_AU`, `NT` "Newfoundland Time" in `en_CA`), read at build time by
world_timer/places/build/codes.py into the gazetteer's `generic_names` table; the runtime reads
only that table. Each name resolves to the zone of its metazone (CLDR, via babel) where the most
of the gazetteer's people live (`ET` → America/New_York, `AET` → Australia/Sydney).

Typed in capitals only (`ET`, not `et`). A two-letter one wins over the ISO 3166 code it shares
(`ET` Ethiopia, `MT` Malta, `PT` Portugal, `AT` Austria), as a short form does (`HK`): in a
world clock `3pm ET` means Eastern Time; the note says how to ask for the country.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

SCHEMA = """
-- CLDR generic short names of metazones in English locales (places/generic_names.py).
CREATE TABLE generic_names(
    key TEXT PRIMARY KEY, zone TEXT NOT NULL, description TEXT NOT NULL, sources TEXT NOT NULL
) WITHOUT ROWID;
"""


class GenericName(NamedTuple):
    """`ET`: the IANA zone key it shows, CLDR's English name, the locales that use it."""

    name: str
    zone: str
    description: str
    sources: str


def find_generic(db: sqlite3.Connection, text: str) -> GenericName | None:
    """Return the generic name typed exactly (capitals: `ET`, `AET`), or None."""
    if not (2 <= len(text) <= 4 and text.isascii() and text.isupper()):
        return None
    row = db.execute(
        "SELECT zone, description, sources FROM generic_names WHERE key = ?", (text,)
    ).fetchone()
    return GenericName(text, str(row[0]), str(row[1]), str(row[2])) if row else None


def generic_note(query: str, found: GenericName, country: str | None) -> str:
    """`'ET' read as Eastern Time (CLDR en): America/New_York, with its DST; for Ethiopia type
    'Ethiopia'`."""
    note = (
        f"'{query.strip()}' read as {found.description} (CLDR {found.sources}): {found.zone}, "
        "with its daylight saving time"
    )
    return note + (f"; for {country} type '{country}'" if country else "")


# --- Build time (world_timer/places/build/codes.py): babel, never imported at run time --------


def build_rows(db: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Return the rows of `generic_names` from babel's English locales: (key, zone, description,
    sources). The zone is the metazone's zone with the most people in the gazetteer's `places`.

    Raises ValueError when a name would mean two metazones (the build fails rather than pick).
    """
    from babel import Locale
    from babel.core import get_global
    from babel.localedata import locale_identifiers

    from world_timer.timekeeping.zones import canonical_key

    people: dict[str, int] = {
        str(zone): int(population)
        for zone, population in db.execute(
            "SELECT timezone, SUM(population) FROM places GROUP BY timezone"
        )
    }
    territory_of = get_global("zone_territories")
    zones_of: dict[str, list[str]] = {}
    for zone, metazone in get_global("meta_zones").items():
        zones_of.setdefault(str(metazone), []).append(str(zone))
    english = [i for i in locale_identifiers() if i == "en" or i.startswith("en_")]
    first = ["en", "en_CA", "en_GB", "en_AU", "en_NZ"]  # `en` is US English in CLDR
    english.sort(key=lambda i: (first.index(i) if i in first else len(first), i))
    found: dict[str, tuple[str, str, list[str]]] = {}
    for identifier in english:
        names_of = Locale.parse(identifier).meta_zones
        for metazone, names in names_of.items():
            short = names.get("short", {}).get("generic", "")
            description = names.get("long", {}).get("generic", "")
            if not (short.isascii() and short.isalpha() and short.isupper() and description):
                continue  # `∅∅∅`: the locale has no short name for it
            if canonical_key(short):
                continue  # `CET`, `EET`, `WET`: tz zone keys, which answer first
            previous = found.setdefault(short, (metazone, str(description), []))
            if previous[0] != metazone:
                raise ValueError(f"{short} names {previous[0]} and {metazone} in CLDR")
            previous[2].append(identifier)
    rows: list[tuple[object, ...]] = []
    for short, (metazone, description, locales) in sorted(found.items()):
        # The zone of the first locale's territory with the most people (`CT`: US English, so
        # America/Chicago, not Mexico City), else the metazone's most people anywhere.
        territories = [("US" if i == "en" else i.partition("_")[2]) for i in locales]
        zones = sorted(zones_of[metazone], key=lambda z: (-people.get(z, 0), z))
        homes = [z for t in territories for z in zones if territory_of.get(z) == t]
        sources = ", ".join(locales[:3]) + (" …" if len(locales) > 3 else "")
        rows.append((short, (homes or zones)[0], description, sources))
    return rows
