"""Time-zone abbreviations (`PST`, `JST`, `CEST`, `IST`): the fixed UTC offset each one names.

An abbreviation names one UTC offset, not a zone: `PST` is UTC−08:00 in July too (the offset of
America/Los_Angeles in winter), `CEST` is UTC+02:00 in January. So a query that is an abbreviation
resolves to a fixed `datetime.timezone`, with a note that says how it was read.

Sources, read at build time by `world_timer/places/build/codes.py` into the gazetteer's
`abbreviations` table (the runtime reads only that table; babel is never imported at run time):

- CLDR metazone short names, standard and daylight, in every locale babel ships (`PST` and `PDT`
  in `en`, `AEST` in `en_AU`, `SAST` in `en_ZA`, `WIB` in `id`, `JST` in `ja`); the offset is that
  of the metazone's zones in the pinned tzdata (standard: the lower of a zone's offsets since
  2020, daylight: the higher). Generic names (`PT`, `ET`: "whichever is in force") name no single
  offset: they are zones, in places/generic_names.py.
- Every alphabetic abbreviation in the TZif files of the pinned tzdata (`JST`, `KST`, `MSK`, `IST`
  of Asia/Kolkata, Asia/Jerusalem and Europe/Dublin), with the offsets it was used with, current
  (in use since 2020) or historic (with the last year it was used).
- The abbreviations tzdata wrote for living zones before release 2017a (`ICT`, `PHT`, `AFT`,
  `NPT`, `BDT`), which neither source has today: world_timer/places/build/former_abbreviations.py,
  where no current reading exists; they count as in use today.

Left out: two-letter names (they are ISO 3166 codes: `PT` is Portugal), `LMT` (local mean time,
a different offset in every zone), and abbreviations that are themselves a tz zone key with one
offset all year (`UTC`, `GMT`, `EST`, `MST`, `HST`): the zone key answers with the same offset.
`CET`, `EET` and `WET` are zone keys that keep summer time (links to Europe/Brussels, Athens and
Lisbon since tzdata 2024b), and typed alone they stay those zones, as tzdata and the worldtimeapi
protocol define them; their rows here give the note its fixed offset (places/codes.py).

Which reading wins when one abbreviation names several offsets (rank 0 is the pick):

1. in use since 2020 (in tzdata or CLDR) before historic only: `BST` is British Summer Time
   (UTC+01:00), not the Bering Standard Time of America/Adak until 1983;
2. named by CLDR's root English locale `en` before the others: `CST` is US Central Standard Time
   (UTC−06:00), before China (UTC+08:00) and Cuba (UTC−05:00); `AST` is Atlantic (UTC−04:00);
3. most people in the gazetteer living in the zones that use it: `IST` is India Standard Time
   (UTC+05:30, 1.4 billion people) before Israel (UTC+02:00) and Ireland (UTC+01:00).

The note of an ambiguous pick names the other readings (at most three).
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple

SCHEMA = """
-- One row per (abbreviation, offset) reading; rank 0 is the documented pick (places/abbreviations).
CREATE TABLE abbreviations(
    key TEXT NOT NULL, rank INTEGER NOT NULL, abbreviation TEXT NOT NULL,
    utc_offset INTEGER NOT NULL, description TEXT NOT NULL, zones TEXT NOT NULL,
    until INTEGER, sources TEXT NOT NULL,
    PRIMARY KEY(key, rank)
) WITHOUT ROWID;
"""

CURRENT_SINCE = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
"""A reading used at or after this instant (unix seconds) counts as current."""

_NAME = r"[A-Z][A-Za-z]{2,5}"  # `JST`, `AEST`, `ChST`; not `Gk`, `+05` (compiled by the build)
_MAX_OTHERS = 3


class Reading(NamedTuple):
    """One offset an abbreviation names.

    `utc_offset` is seconds east of UTC; `description` the CLDR English name of the time
    (`Pacific Standard Time`; "" for a historic tzdata reading); `zones` the IANA zone keys that
    use it, most people first (at most 3); `until` the last year it was used (None: in use since
    2020); `sources` e.g. `CLDR en, en_AU; tzdata`.
    """

    abbreviation: str
    utc_offset: int
    description: str
    zones: tuple[str, ...]
    until: int | None
    sources: str

    def describe(self) -> str:
        """`Pacific Standard Time, UTC−08:00 all year (America/Los_Angeles)`; a historic reading
        says until when: `UTC−11:00 (America/Adak, until 1983)`."""
        from datetime import timedelta

        from world_timer.timekeeping.zones import format_offset

        offset = "UTC" + format_offset(timedelta(seconds=self.utc_offset))
        used = ", ".join(self.zones[:2])
        if self.until is not None:
            return f"{offset} ({used}, until {self.until})"
        return f"{self.description + ', ' if self.description else ''}{offset} all year ({used})"


def find_readings(db: sqlite3.Connection, text: str) -> list[Reading]:
    """Return the readings of the abbreviation `text` (any case), the pick first; [] if none."""
    if not (3 <= len(text) <= 6 and text.isascii() and text.isalpha()):
        return []
    rows = db.execute(
        "SELECT abbreviation, utc_offset, description, zones, until, sources FROM abbreviations"
        " WHERE key = ? ORDER BY rank",
        (text.upper(),),
    )
    return [
        Reading(str(a), int(o), str(d), tuple(str(z).split("|")), u, str(s))
        for a, o, d, z, u, s in rows
    ]


def reading_note(query: str, readings: list[Reading]) -> str:
    """The note of an abbreviation: how it was read; when ambiguous, the other readings in use
    today (at most three), else the historic ones (`BST`: Bering Standard Time until 1983)."""
    pick = readings[0]
    others = [r for r in readings[1:] if r.until is None]
    historic = len(readings) - 1 - len(others)
    note = f"'{query.strip()}' read as a time-zone abbreviation: {pick.describe()}"
    if others:
        shown = "; ".join(o.describe() for o in others[:_MAX_OTHERS])
        more = f" and {len(others) - _MAX_OTHERS} more" if len(others) > _MAX_OTHERS else ""
        note += f"; it also names {shown}{more}: for those, type the offset or a city"
    if historic and not others:
        past = [r for r in readings[1:] if r.until is not None][:_MAX_OTHERS]
        note += "; tzdata also has it for " + "; ".join(r.describe() for r in past)
    elif historic:
        note += f" ({historic} historic use{'s' if historic > 1 else ''} in tzdata left out)"
    return note


# --- Build time (world_timer/places/build/codes.py): babel and the TZif files, never imported at r


class _Use(NamedTuple):
    """One (abbreviation, offset) in one zone: the last instant it was in force (None: ongoing)."""

    zone: str
    offset: int
    isdst: bool
    last: int | None


class _Entry:
    """What the build knows of one (abbreviation, offset) reading (a plain class: dataclasses
    would cost every run ~1 ms of imports for a build-time helper)."""

    def __init__(self) -> None:
        self.zones: set[str] = set()  # zones that use it today
        self.past: set[str] = set()  # zones that used it before 2020
        self.last: int | None = None  # last instant in force (unix seconds); None: in use today
        self.historic = True  # False once any source has it in use today
        self.sources: set[str] = set()
        self.description = ""
        self.english = False  # named by CLDR's root English locale `en`

    def used(self, last: int | None) -> None:
        if last is None:
            self.historic, self.last = False, None
        elif self.historic:
            self.last = last if self.last is None else max(self.last, last)


def build_rows(db: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Return the rows of the `abbreviations` table (SCHEMA), ranked as the module says.

    Reads the gazetteer's `places` (already filled) for the people per zone, babel for CLDR and
    the pinned tzdata's TZif files. Each row: key (upper case), rank, abbreviation, utc_offset,
    description, zones (`|`-joined), until, sources.
    """
    people: dict[str, int] = defaultdict(int)
    for zone, population in db.execute(
        "SELECT timezone, SUM(population) FROM places GROUP BY timezone"
    ):
        people[canonical_zone(str(zone))] += int(population)
    current = _present_names()
    found: dict[tuple[str, int], _Entry] = defaultdict(_Entry)
    for abbr, description, locale, zones, daylight, english_names in _cldr_names():
        for zone in zones:
            names = current.get(zone)
            if not names or (daylight and len(names) < 2):
                continue
            offset = max(names) if daylight else min(names)
            if not _agrees(names[offset], english_names):
                continue
            entry = found[(abbr, offset)]
            entry.zones.add(zone)
            entry.used(None)
            entry.sources.add(f"CLDR {locale}")
            entry.description = entry.description or description
            entry.english = entry.english or locale == "en"
    english = _english_names()
    for abbr, use in _tzdata_uses():
        entry = found[(abbr, use.offset)]
        (entry.zones if use.last is None else entry.past).add(use.zone)
        entry.sources.add("tzdata")
        entry.used(use.last)
        if use.last is None and not entry.description:
            standard = use.offset == min(current[use.zone])
            entry.description = english.get((use.zone, standard), "")
    _add_former(found, current)
    ranked: dict[str, list[tuple[tuple[bool, bool, int, int], tuple[object, ...]]]] = defaultdict(
        list
    )
    for (abbr, offset), entry in found.items():
        if _is_fixed_zone_key(abbr):
            continue
        # a current reading lists the zones that use it today; a historic one, those that did
        zones = sorted(entry.zones or entry.past, key=lambda z: (-people[canonical_zone(z)], z))
        until = None
        if entry.historic and entry.last is not None:
            until = datetime.fromtimestamp(entry.last, UTC).year
        order = (entry.historic, not entry.english, -sum(people[z] for z in zones), offset)
        sources = _sources(sorted(entry.sources))
        row = (abbr, offset, entry.description, "|".join(zones[:3]), until, sources)
        ranked[abbr.upper()].append((order, row))
    rows: list[tuple[object, ...]] = []
    for key, entries in sorted(ranked.items()):
        entries.sort(key=lambda e: e[0])
        rows += [(key, rank, *row) for rank, (_order, row) in enumerate(entries)]
    return rows


def _add_former(found: dict[tuple[str, int], _Entry], current: dict[str, dict[int, str]]) -> None:
    """The abbreviations tzdata wrote before 2017a for living zones (build/former_abbreviations),
    where no current reading of the abbreviation exists; offsets from the pinned tzdata."""
    from world_timer.places.build.former_abbreviations import FORMER, SOURCE

    in_use = {abbr for (abbr, _offset), entry in found.items() if not entry.historic}
    for abbr, description, zones in FORMER:
        if abbr in in_use:
            continue
        # a zone that is a link today (Asia/Kuala_Lumpur → Asia/Singapore) keeps its own key,
        # the one people expect to see, and takes the offsets of the zone it stands for
        living = [zone for zone in zones if canonical_zone(zone) in current]
        if not living:
            continue
        offset = min(current[canonical_zone(living[0])])
        entry = found[(abbr, offset)]
        entry.zones.update(living)
        entry.used(None)
        entry.sources.add(SOURCE)
        entry.description = description


def canonical_zone(key: str) -> str:
    """The zone.tab key a link points to (`Asia/Calcutta` → `Asia/Kolkata`), by TZif contents."""
    return _canonical_zones().get(key, key)


@cache
def _canonical_zones() -> dict[str, str]:
    from world_timer.timekeeping.zones import TZDATA_DIR, zone_keys

    # zone1970.tab names the zone a link stands for (Europe/Jersey → Europe/London)
    named = [*_zone_tab(), *_zone_tab("zone1970.tab")]
    by_bytes = {(TZDATA_DIR / zone).read_bytes(): zone for zone in named}
    result = {}
    for key in zone_keys().values():
        path = TZDATA_DIR / key
        if path.is_file():
            result[key] = by_bytes.get(path.read_bytes(), key)
    return result


def _zones() -> list[str]:
    """The zones of zone.tab, links folded into the zone they stand for, sorted."""
    return sorted({canonical_zone(zone) for zone in _zone_tab()})


def _zone_tab(name: str = "zone.tab") -> list[str]:
    """The zone keys of tzdata's zone.tab (or zone1970.tab), in file order."""
    from world_timer.timekeeping.zones import TZDATA_DIR

    text = (TZDATA_DIR / name).read_text(encoding="utf-8")
    return [line.split("\t")[2] for line in text.splitlines() if line and line[0] != "#"]


def _tzdata_uses() -> Iterator[tuple[str, _Use]]:
    """(abbreviation, use) for every alphabetic abbreviation in a zone.tab zone's TZif file."""
    from world_timer.timekeeping.transitions import zone_transitions

    for zone in _zones():
        transitions = zone_transitions(zone)
        last: dict[tuple[str, int, bool], int | None] = {}
        for period in transitions.periods:
            name = (period.abbreviation, period.utc_offset, period.isdst)
            if name not in last:
                last[name] = period.end
            elif last[name] is not None:
                last[name] = None if period.end is None else max(period.end, last[name] or 0)
        rule = transitions.rule
        if rule is not None:
            last[(rule.std_name, rule.std_offset, False)] = None
            if rule.dst_name and rule.dst_offset is not None:
                last[(rule.dst_name, rule.dst_offset, True)] = None
        for (abbr, offset, isdst), end in last.items():
            if re.fullmatch(_NAME, abbr) and abbr != "LMT":
                ongoing = end is None or end >= CURRENT_SINCE
                yield abbr, _Use(zone, offset, isdst, None if ongoing else end)


def _present_names() -> dict[str, dict[int, str]]:
    """Each zone's offsets today, with tzdata's name for each: its TZif footer rule.

    CLDR maps a zone to its metazone as of today, so its short names take today's offsets
    (America/Chihuahua is CST, UTC−06:00, since 2022, not its MST of 2020).
    """
    from world_timer.timekeeping.transitions import zone_transitions

    result: dict[str, dict[int, str]] = {}
    for zone in _zones():
        transitions = zone_transitions(zone)
        rule = transitions.rule
        last = transitions.periods[-1]
        names = {last.utc_offset: last.abbreviation}
        if rule is not None:
            names = {rule.std_offset: rule.std_name}
            if rule.dst_name and rule.dst_offset is not None:
                names[rule.dst_offset] = rule.dst_name
        result[zone] = names
    return result


def _agrees(tzdata_name: str, elsewhere: set[str]) -> bool:
    """A CLDR short name holds for a zone's offset unless tzdata names that offset with an
    English short name of another metazone: a CLDR metazone may lag a change tzdata already has
    (a zone gone from Pacific to Mountain time). Numeric (`+06`) or other names (`HDT` where CLDR
    says `HADT`; `EST` where fr_CA says `HNE`) do not contradict it."""
    return tzdata_name not in elsewhere


def _cldr_names() -> Iterator[tuple[str, str, str, list[str], bool, set[str]]]:
    """CLDR short names: (abbreviation, English description, locale, zones, is daylight, the
    English short names of every other metazone)."""
    from babel import Locale, localedata
    from babel.core import get_global

    zones_of: dict[str, list[str]] = defaultdict(list)
    for zone, metazone in get_global("meta_zones").items():
        zones_of[metazone].append(canonical_zone(zone))
    english = Locale("en").meta_zones
    found = []
    in_english: dict[str, set[str]] = defaultdict(set)
    for identifier in sorted(localedata.locale_identifiers()):
        for metazone, names in Locale.parse(identifier).meta_zones.items():
            for kind in ("standard", "daylight"):
                abbr = (names.get("short") or {}).get(kind)
                if abbr and re.fullmatch(_NAME, abbr):
                    found.append((abbr, identifier, metazone, kind))
                    if identifier.split("_")[0] == "en":
                        in_english[metazone].add(abbr)
    every = set().union(*in_english.values())
    for abbr, identifier, metazone, kind in found:
        long_names = (english.get(metazone) or {}).get("long") or {}
        description = long_names.get(kind, "")
        daylight = kind == "daylight"
        elsewhere = every - in_english[metazone]
        yield abbr, description, identifier, zones_of[metazone], daylight, elsewhere


def _english_names() -> dict[tuple[str, bool], str]:
    """{(zone, is standard): CLDR English long name of its metazone}, e.g. Japan Standard Time."""
    from babel import Locale
    from babel.core import get_global

    english = Locale("en").meta_zones
    result = {}
    for zone, metazone in get_global("meta_zones").items():
        long_names = (english.get(metazone) or {}).get("long") or {}
        for standard, kind in ((True, "standard"), (False, "daylight")):
            if long_names.get(kind):
                result[(canonical_zone(zone), standard)] = long_names[kind]
    return result


def _is_fixed_zone_key(abbr: str) -> bool:
    """True for `UTC`, `GMT`, `EST`, `MST`, `HST`: a zone key with one offset all year."""
    from world_timer.timekeeping.transitions import zone_transitions
    from world_timer.timekeeping.zones import canonical_key

    key = canonical_key(abbr)
    if key is None or key != abbr:
        return False
    transitions = zone_transitions(key)
    rule = transitions.rule
    return rule is None or rule.dst_name is None


def _sources(sources: list[str]) -> str:
    """`CLDR en, en_AU, … (12 locales); tzdata`."""
    locales = [s.removeprefix("CLDR ") for s in sources if s.startswith("CLDR ")]
    locales.sort(key=lambda locale: (locale != "en", locale))
    parts = []
    if locales:
        shown = ", ".join(locales[:4])
        more = f", … ({len(locales)} locales)" if len(locales) > 4 else ""
        parts.append(f"CLDR {shown}{more}")
    if "tzdata" in sources:
        parts.append("tzdata")
    parts += [s for s in sources if s != "tzdata" and not s.startswith("CLDR ")]
    return "; ".join(parts)
