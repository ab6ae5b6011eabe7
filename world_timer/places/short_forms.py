"""Short forms people write for a few big cities (`LA`, `SF`, `NYC`, `DC`, `KL`, `HK`, `CDMX`).

A small curated table, each entry with its reason, built into the gazetteer's `short_forms` table
by `world_timer/places/build/codes.py` (the place is looked up there by name, country and admin1,
so the build fails if GeoNames ever loses it). GeoNames lists some of these among the alternate
names (`NYC`), but an alternate name loses to a country's ISO 3166 code (`LA` was Laos) and to any
place's own name; a short form wins over both. An ISO code typed alone stays a country wherever no
short form is listed here (`HK`, `SG`, `FR`).

`HND` is Tokyo Haneda (the airport most who type it mean), not Honduras' ISO 3166 alpha-3 code.
Not listed on purpose: `NOLA` (Nola, Italy is a place's own name), `BA` (Bosnia and Herzegovina),
`SP` (São Paulo state as well as the city): a short form must mean one place to nearly everyone.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from world_timer.places.normalize import normalize

SCHEMA = """
-- Curated short forms of city names (places/short_forms.py), with the reason for each.
CREATE TABLE short_forms(
    key TEXT PRIMARY KEY, geonameid INTEGER NOT NULL, reason TEXT NOT NULL
) WITHOUT ROWID;
"""


class ShortForm(NamedTuple):
    """One curated entry: what is typed, the GeoNames place it means, and why."""

    typed: str
    name: str
    country_code: str
    admin1_code: str
    reason: str


SHORT_FORMS = (
    ShortForm("LA", "Los Angeles", "US", "CA", "the usual short form of Los Angeles"),
    ShortForm("SF", "San Francisco", "US", "CA", "the usual short form of San Francisco"),
    ShortForm("NYC", "New York City", "US", "NY", "New York City, the city's own initials"),
    ShortForm("DC", "Washington", "US", "DC", "Washington, D.C. (District of Columbia)"),
    ShortForm("KL", "Kuala Lumpur", "MY", "14", "the usual short form of Kuala Lumpur"),
    ShortForm("HK", "Hong Kong", "HK", "", "Hong Kong, the city (also its ISO 3166 code)"),
    ShortForm("CDMX", "Mexico City", "MX", "09", "Ciudad de México, the city's own abbreviation"),
    ShortForm("Joburg", "Johannesburg", "ZA", "06", "the common short form of Johannesburg"),
    ShortForm("Philly", "Philadelphia", "US", "PA", "the common short form of Philadelphia"),
    ShortForm("Vegas", "Las Vegas", "US", "NV", "Las Vegas, Nevada, as most people say it"),
    ShortForm(
        "HND",
        "Tokyo",
        "JP",
        "40",
        "Tokyo's Haneda Airport (IATA HND), as most who type it mean; for Honduras (ISO 3166 HND)"
        " type 'Honduras'",
    ),
)
"""The curated table. GeoNames names and admin1 codes; the reason is shown in notes and tests."""


def find_short_form(db: sqlite3.Connection, text: str) -> tuple[int, str] | None:
    """Return (geonameid, reason) of a short form typed in any case (`la`, `LA`), or None."""
    row = db.execute(
        "SELECT geonameid, reason FROM short_forms WHERE key = ?", (normalize(text),)
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


# --- Build time (world_timer/places/build/codes.py) ----------------------------------------------


def build_rows(db: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Return the `short_forms` rows: (key, geonameid of the most populous match, reason).

    Raises LookupError when an entry's place is not in the gazetteer's `places` table.
    """
    rows: list[tuple[object, ...]] = []
    for entry in SHORT_FORMS:
        found = db.execute(
            "SELECT geonameid FROM places WHERE name = ? AND country_code = ? AND admin1_code = ?"
            " ORDER BY population DESC LIMIT 1",
            (entry.name, entry.country_code, entry.admin1_code),
        ).fetchone()
        if found is None:
            raise LookupError(f"short form {entry.typed}: no place {entry.name!r} in the gazetteer")
        rows.append((normalize(entry.typed), int(found[0]), entry.reason))
    return rows
