"""Build step: the tables of places/zone_names.py from CLDR via babel (build time only).

Metazone long names of every locale, CLDR's long names of single zones, Windows IDs
(`windowsZones`), the curated bare names and every locale's regionFormat. See
world_timer/places/zone_names.py for what each means.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from typing import Any

from world_timer.places.normalize import normalize
from world_timer.places.zone_names import BARE_NAMES, FORMS


def _people(db: sqlite3.Connection) -> dict[str, int]:
    return {
        str(zone): int(population)
        for zone, population in db.execute(
            "SELECT timezone, SUM(population) FROM places GROUP BY timezone"
        )
    }


def _same_offsets(one: str, other: str) -> bool:
    """True when two zones keep the same UTC offsets at every week of the build's year."""
    from datetime import UTC, datetime, timedelta

    from world_timer.timekeeping.zones import load_zone

    start = datetime.now(UTC).replace(month=1, day=1, hour=12)
    weeks = [start + timedelta(weeks=w) for w in range(53)]
    return all(
        t.astimezone(load_zone(one)).utcoffset() == t.astimezone(load_zone(other)).utcoffset()
        for t in weeks
    )


def _home(identifier: str, likely: dict[str, str]) -> str:
    """The territory of a locale: its own (`en_GB` → GB) or its language's likely one (de → DE)."""
    parts = identifier.split("_")
    territory = next((p for p in parts[1:] if len(p) == 2 and p.isalpha() and p.isupper()), "")
    if territory:
        return territory
    full = likely.get(parts[0], "")
    return next((p for p in full.split("_")[1:] if len(p) == 2 and p.isupper()), "")


class _Cldr:
    """babel's CLDR data the tables are built from, and the metazone rows made so far."""

    def __init__(self, db: sqlite3.Connection) -> None:
        from babel.core import get_global

        from world_timer.places.build.tzcities import canonical, links
        from world_timer.timekeeping.zones import zone_keys

        people, self._links = _people(db), links()
        self._canonical = canonical
        self.known = set(zone_keys().values())
        self.territory_of: dict[str, str] = dict(get_global("zone_territories"))
        self.likely: dict[str, str] = dict(get_global("likely_subtags"))
        self.windows: dict[str, str] = dict(get_global("windows_zone_mapping"))
        self.zones_of: dict[str, list[str]] = defaultdict(list)
        for zone, metazone in get_global("meta_zones").items():
            if self.canonical(zone) in self.known:
                self.zones_of[str(metazone)].append(self.canonical(zone))
        for zones in self.zones_of.values():
            zones.sort(key=lambda z: (-people.get(z, 0), z))
        self.rows: dict[str, tuple[int, str, str, str]] = {}
        self.zone_of_row: dict[int, str] = {}

    def canonical(self, zone: object) -> str:
        """The pinned tzdata's key of a CLDR zone id (`Asia/Calcutta` → Asia/Kolkata)."""
        return str(self._canonical(str(zone), self._links))

    def zone(self, metazone: str, locales: list[str]) -> str:
        """The zone a name of `metazone` (`=Zone/Key` for a single zone) used by `locales`
        shows: in the home of the language that uses it (`Central Time`: en is US English →
        America/Chicago; `Mitteleuropäische Zeit`: de → Europe/Berlin), else the one with the
        most people (`Moscow Standard Time`: Europe/Moscow, not Simferopol by en_UA)."""
        if metazone.startswith("="):
            return metazone[1:]
        zones = self.zones_of[metazone]
        languages = [locale for locale in locales if "_" not in locale] or locales
        homes = [_home(locale, self.likely) for locale in languages]
        at_home = [z for home in homes for z in zones if self.territory_of.get(z) == home]
        return (at_home or zones)[0]

    def row_id(self, metazone: str, locales: list[str]) -> int:
        """The `metazones` row of (metazone, its zone for `locales`), made on first use."""
        from babel import Locale

        zone = self.zone(metazone, locales)
        row_key = f"{metazone}|{zone}"
        if row_key not in self.rows:
            label = metazone.removeprefix("=")
            names = {} if metazone.startswith("=") else Locale.parse("en").meta_zones.get(label, {})
            long_names = names.get("long", {})
            english = long_names.get("generic") or long_names.get("standard") or label
            row = (len(self.rows) + 1, label, zone, str(english).replace("_", " "))
            self.rows[row_key] = row
            self.zone_of_row[row[0]] = zone
        return self.rows[row_key][0]

    def shown_locale(self, zone: str, locales: list[str]) -> str:
        """The locale a note names: at home where the zone is, of the name's main language
        (`Central Time`: en, not ceb)."""
        language = Counter(i.split("_")[0] for i in locales).most_common(1)[0][0]
        return min(
            locales,
            key=lambda i: (
                _home(i, self.likely) != self.territory_of.get(zone),
                i.split("_")[0] != language,
                i.count("_"),
                i,
            ),
        )


def _names_of_locales(
    cldr: _Cldr,
) -> tuple[dict[str, dict[tuple[str, str], list[str]]], dict[tuple[str, str], list[str]]]:
    """(key → (metazone or `=zone`, form) → locales, (prefix, suffix) → locales) over every
    locale babel ships, language-only locales first."""
    from babel import Locale
    from babel.localedata import locale_identifiers

    uses: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    formats: dict[tuple[str, str], list[str]] = defaultdict(list)
    for identifier in sorted(locale_identifiers(), key=lambda i: (i.count("_"), i)):
        try:
            locale = Locale.parse(identifier)
        except (ValueError, LookupError):
            continue
        meta: Any = locale.meta_zones
        single: Any = locale.time_zones
        named = [(m, n) for m, n in meta.items() if m in cldr.zones_of] + [
            ("=" + cldr.canonical(z), n)
            for z, n in single.items()
            if cldr.canonical(z) in cldr.known
        ]
        for reading, names in named:
            for form in FORMS:
                name = names.get("long", {}).get(form)
                if name:
                    uses[normalize(name)][(reading, form)].append(identifier)
        region = str(locale.zone_formats.get("region", ""))
        if region.count("%s") == 1:
            prefix, _, suffix = region.partition("%s")
            formats[(normalize(prefix), normalize(suffix))].append(identifier)
    return uses, formats


def build_tables(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Rows of `metazones`, `zone_names` and `region_formats` (places/zone_names.SCHEMA).

    `db` already holds `places` and `names`. Raises ModuleNotFoundError without babel.
    """
    cldr = _Cldr(db)
    uses, formats = _names_of_locales(cldr)
    taken = {
        str(k) for (k,) in db.execute("SELECT key FROM names UNION SELECT key FROM qualifiers")
    }
    rows: dict[str, tuple[object, ...]] = {}
    for key, readings in uses.items():
        if len(key) < 4 or key in taken:
            # A place's, country's or region's name wins (`Japon` is Wolof's Japan Time and
            # French for Japan; `Акра` Russian's Acre Time and Accra).
            continue
        # The reading of the most locales; ties: the one seen first (language-only locales).
        (metazone, form), locales = max(readings.items(), key=lambda item: len(item[1]))
        row_id = cldr.row_id(metazone, locales)
        shown = cldr.shown_locale(cldr.zone_of_row[row_id], locales)
        rows[key] = (key, row_id, form, shown, "")
    for typed, metazone in BARE_NAMES.items():
        rows[normalize(typed)] = (normalize(typed), cldr.row_id(metazone, ["en"]), "bare", "en", "")
    for windows_id, windows_zone in cldr.windows.items():
        key, zone = normalize(windows_id), cldr.canonical(windows_zone)
        if zone not in cldr.known or zone.startswith("Etc/") or len(key) < 4:
            continue
        previous = rows.get(key)
        cldr_zone = cldr.zone_of_row[int(str(previous[1]))] if previous else zone
        other = "" if _same_offsets(cldr_zone, zone) else cldr_zone
        rows[key] = (key, cldr.row_id("=" + zone, ["en"]), "windows", "en", other)
    region_rows: list[tuple[object, ...]] = [
        (prefix, suffix, " ".join(locales[:3]) + (" …" if len(locales) > 3 else ""))
        for (prefix, suffix), locales in sorted(formats.items())
        if prefix or suffix
    ]
    return {
        "metazones": sorted(cldr.rows.values()),
        "zone_names": sorted(rows.values()),
        "region_formats": region_rows,
    }
