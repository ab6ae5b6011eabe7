"""Accuracy of place resolution over whole kinds of names, not sample rows (`make accuracy`).

Two measures, both offline (the embedded gazetteer, babel's CLDR data at test time):
- own names: every gazetteer place of >= 100,000 people, queried by its own GeoNames name,
  must resolve to itself, to a true namesake (a place whose own name it is, or a region of that
  name) or to a zone with the same UTC offsets all year; a pick at another offset that says so
  in a note (`Odessa` → Odesa, Ukraine; note: also Odessa, Texas) is counted apart as "noted";
- CLDR exemplar cities: the exemplar city of every tz zone in every locale babel ships must
  resolve to a zone with the same UTC offsets all year as that zone (or a true namesake);
  printed per language.

Usage: python utils/accuracy.py [--show N]   (N failures of each kind listed; default 10)
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from world_timer.errors import WorldTimerError  # noqa: E402
from world_timer.places.gazetteer import GAZETTEER_PATH  # noqa: E402
from world_timer.places.normalize import normalize  # noqa: E402
from world_timer.places.resolve import resolve  # noqa: E402
from world_timer.timekeeping.zones import load_zone  # noqa: E402

PINNED = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)
"""The instant notes are decided at (the tests' pinned `now`)."""
_YEAR = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=d) for d in range(0, 365, 3)]


@cache
def offsets(zone_key: str) -> tuple[timedelta | None, ...]:
    """UTC offsets of a zone every third day of 2026 (covers every DST rule in force)."""
    zone = load_zone(zone_key)
    return tuple(t.astimezone(zone).utcoffset() for t in _YEAR)


class Outcome(NamedTuple):
    """One query: what it should mean, what it resolved to, and the verdict."""

    query: str
    expected: str
    got: str
    verdict: str  # "ok", "noted" or "wrong"


def _judge(query: str, expected_zone: str, expected_id: int | None) -> Outcome:
    try:
        found = resolve(query, PINNED)
    except WorldTimerError as exc:
        return Outcome(query, expected_zone, f"error: {exc}", "wrong")
    got = f"{found.label} {found.zone_key}"
    place = found.place
    key = normalize(query)
    if (
        (place is not None and (place.geonameid == expected_id or normalize(place.name) == key))
        or (place is None and found.name is not None and found.name.startswith(query.strip()))
        or offsets(found.zone_key) == offsets(expected_zone)
    ):
        return Outcome(query, expected_zone, got, "ok")
    noted = any(f"also {query.strip()}" in note for note in found.notes)
    return Outcome(query, expected_zone, got, "noted" if noted else "wrong")


def own_names(min_population: int = 100_000, path: Path = GAZETTEER_PATH) -> list[Outcome]:
    """Every place of >= `min_population` people queried by its own name (see module doc)."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    rows = db.execute(
        "SELECT geonameid, name, timezone FROM places WHERE population >= ? ORDER BY geonameid",
        (min_population,),
    ).fetchall()
    db.close()
    return [_judge(str(name), str(tz), int(gid)) for gid, name, tz in rows]


def exemplar_cities() -> dict[str, list[Outcome]]:
    """Language (`de`, `ja`) → the outcome of each exemplar city its locales name (CLDR)."""
    from world_timer.places.build.cldr import exemplar_cities as cldr_exemplars
    from world_timer.places.build.tzcities import canonical, links

    link_map = links()
    by_language: dict[str, dict[str, str]] = defaultdict(dict)
    for zone_id, cities in cldr_exemplars().items():
        for city, locales in cities.items():
            for locale in locales:
                by_language[locale.split("_")[0]][city] = canonical(zone_id, link_map)
    return {
        language: [_judge(city, zone, None) for city, zone in sorted(pairs.items())]
        for language, pairs in sorted(by_language.items())
    }


def _counts(outcomes: list[Outcome]) -> tuple[int, int, int]:
    wrong = sum(o.verdict == "wrong" for o in outcomes)
    noted = sum(o.verdict == "noted" for o in outcomes)
    return len(outcomes), wrong, noted


def main() -> int:
    """Print both measures; exit 1 when any answer is wrong (not merely noted)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    own = own_names()
    total, wrong, noted = _counts(own)
    print(f"own names (>= 100,000 people): {total} places, {wrong} wrong, {noted} noted")
    for outcome in [o for o in own if o.verdict != "ok"][: args.show]:
        print(f"  {outcome.verdict:5} {outcome.query!r} → {outcome.got} (own {outcome.expected})")
    languages = exemplar_cities()
    all_outcomes = [o for outcomes in languages.values() for o in outcomes]
    total, wrong, noted = _counts(all_outcomes)
    print(f"CLDR exemplar cities: {total} (language, city) pairs, {wrong} wrong, {noted} noted")
    line = []
    for language, outcomes in languages.items():
        n, bad, _ = _counts(outcomes)
        line.append(f"{language} {n - bad}/{n}")
    print("  per language: " + ", ".join(line))
    for outcome in [o for o in all_outcomes if o.verdict != "ok"][: args.show]:
        print(f"  {outcome.verdict:5} {outcome.query!r} → {outcome.got} (zone {outcome.expected})")
    return 1 if wrong or any(o.verdict == "wrong" for o in own) else 0


if __name__ == "__main__":
    raise SystemExit(main())
