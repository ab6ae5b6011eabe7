"""Time-zone names spelt out: CLDR metazone names in every locale, Windows IDs, "X time" forms.

- **Metazone names** (`Central Time`, `Mitteleuropäische Zeit`, `heure normale du Japon`,
  `日本標準時`): the long generic, standard and daylight names of every CLDR metazone in every
  locale babel ships, and CLDR's own long names of single zones (`British Summer Time`). Each
  means a zone, with its DST, even when it says "standard" or "summer" (`PST` spelt as an
  abbreviation is a fixed UTC−08:00: places/abbreviations.py; spelt out, people mean the clock
  in Los Angeles, as Windows does). The zone is the metazone's zone in the home territory of
  the first locale that uses the name (`en` is US English: `Central Time` → America/Chicago;
  `de` → Germany: Europe/Berlin), else its zone with the most of the gazetteer's people.
- **Windows time zone IDs** (`W. Europe Standard Time`, `Tokyo Standard Time`, `AUS Eastern
  Standard Time`: what Outlook, .NET, PowerShell and Teams print): CLDR `windowsZones` via babel,
  the zone of territory 001; a Windows ID means the zone, whatever "Standard" says. Where an ID
  is also a CLDR name of another metazone (`Arabian Standard Time`: Windows' UTC+04:00 Dubai,
  CLDR's UTC+03:00 Riyadh), the ID wins and the note names the other reading.
- **Bare names**: `Eastern`, `Central` and `Mountain` alone are the North American zones, as
  `ET`, `CT` and `MT` are (curated: CLDR's English generic names without "Time"), not places
  in Uganda.
- **"X time" forms** (CLDR regionFormat, every locale: `India Time`, `Ora din India`, `Hora de:
  Regne Unit`, `インド時間`): the pattern's place part is resolved as a name (location_parts).

A key that is also a place's, country's or region's name in the gazetteer is left out at build
time (`Japon` is Wolof's Japan Time and French for Japan): a place's name wins. Built by
world_timer/places/build/codes.py into the tables below; the runtime reads only them (babel is a
dev dependency).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from functools import cache
from typing import NamedTuple

from world_timer.places.normalize import normalize

SCHEMA = """
-- Metazones and zones a spelt-out name means (places/zone_names.py): CLDR via babel.
CREATE TABLE metazones(
    id INTEGER PRIMARY KEY, metazone TEXT NOT NULL, zone TEXT NOT NULL, english TEXT NOT NULL
);
-- Every spelt-out name: normalised key -> metazone row, its form and a locale that uses it.
CREATE TABLE zone_names(
    key TEXT PRIMARY KEY, metazone INTEGER NOT NULL, form TEXT NOT NULL, locale TEXT NOT NULL,
    other TEXT NOT NULL
) WITHOUT ROWID;
-- CLDR regionFormat patterns ("{0} Time", "Ora din {0}"), split around the place.
CREATE TABLE region_formats(prefix TEXT NOT NULL, suffix TEXT NOT NULL, locales TEXT NOT NULL);
"""

FORMS = ("generic", "standard", "daylight")
"""CLDR's long name forms; `windows` and `bare` are the two others a row can have."""
BARE_NAMES = {
    "Eastern": "America_Eastern",
    "Central": "America_Central",
    "Mountain": "America_Mountain",
}
"""Curated: CLDR en generic names without "Time", typed alone in North America (issue 19)."""


class ZoneName(NamedTuple):
    """A spelt-out name: the zone it shows, its form, the CLDR metazone and English name."""

    zone: str
    form: str  # "generic", "standard", "daylight", "windows" or "bare"
    metazone: str
    english: str
    locale: str
    other: str  # another reading's zone, for a Windows ID that is also a CLDR name; else ""


def find_zone_name(db: sqlite3.Connection, text: str) -> ZoneName | None:
    """The spelt-out zone name `text` is (any case, accents optional), else None."""
    key = normalize(text)
    if len(key) < 4:
        return None
    row = db.execute(
        "SELECT m.zone, n.form, m.metazone, m.english, n.locale, n.other FROM zone_names n"
        " JOIN metazones m ON m.id = n.metazone WHERE n.key = ?",
        (key,),
    ).fetchone()
    return ZoneName(*(str(value) for value in row)) if row else None


def zone_name_note(query: str, found: ZoneName) -> str:
    """`'Mitteleuropäische Zeit' read as Central European Time (CLDR de): Europe/Berlin, the
    zone's own clock`, saying which reading a Windows ID or a standard/daylight name is."""
    typed = query.strip()
    if found.form == "windows":
        note = f"'{typed}' read as the Windows time zone ID of {found.zone} (CLDR windowsZones)"
        note += ": the zone's own clock, whatever 'Standard' says"
        if found.other:
            note += f"; in CLDR's English that name is {found.other}: type a city for it"
        return note
    source = "CLDR en, without 'Time'" if found.form == "bare" else f"CLDR {found.locale}"
    note = f"'{typed}' read as {found.english} ({source}): {found.zone}, the zone's own clock"
    if found.form in ("standard", "daylight"):
        return note + f" (a {found.form} name: daylight saving time, if any, still applies)"
    return note


@cache
def _region_formats(db: sqlite3.Connection) -> tuple[tuple[str, str, str], ...]:
    rows = db.execute("SELECT prefix, suffix, locales FROM region_formats").fetchall()
    return tuple((str(p), str(s), str(loc)) for p, s, loc in rows)


def location_parts(db: sqlite3.Connection, text: str) -> list[tuple[str, str]]:
    """The (place part, locales) of every CLDR regionFormat `text` fits: `Ora din India` →
    [("India", "ro")], `India Time` → [("India", "en ...")]; longest prefix and suffix first."""
    key = normalize(text)
    found = []
    for prefix, suffix, locales in _region_formats(db):
        if not key.startswith(prefix) or not key.endswith(suffix):
            continue
        inner = key[len(prefix) : len(key) - len(suffix)]
        core = inner.strip()
        if not core or core == key:
            continue
        if (prefix and spaced(prefix[-1], inner[0]) and inner[0] != " ") or (
            suffix and spaced(inner[-1], suffix[0]) and inner[-1] != " "
        ):
            continue  # `hora delhi` is not `hora de` + `lhi`
        found.append((len(prefix) + len(suffix), core, locales))
    found.sort(key=lambda item: -item[0])
    return [(core, locales) for _length, core, locales in found]


def spaced(left: str, right: str) -> bool:
    """True when two letters belong to scripts written with blanks between words (not CJK)."""

    def blanks(char: str) -> bool:
        return char.isalnum() and not unicodedata.name(char, "").startswith(
            ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")
        )

    return blanks(left) and blanks(right)
