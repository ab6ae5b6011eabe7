"""Accuracy of place resolution over whole kinds of names, not sample rows (`make accuracy`).

Two measures, both offline (the embedded gazetteer, babel's CLDR data at test time):
- own names: every gazetteer place of >= 100,000 people, queried by its own GeoNames name,
  must resolve to itself, to a true namesake (a place whose own name it is, or a region of that
  name) or to a zone with the same UTC offsets all year; a pick at another offset that says so
  in a note (`Odessa` → Odesa, Ukraine; note: also Odessa, Texas) is counted apart as "noted";
- CLDR exemplar cities: the exemplar city of every tz zone in every locale babel ships must
  resolve to a zone with the same UTC offsets all year as that zone (or a true namesake);
  printed per language.

- misspellings: one edit of each of the 2,000 most populous places' own names (a letter
  dropped, doubled, swapped with the next, replaced; seeded), counted as the intended place (or
  what the right spelling resolves to), another place by a guess, another place by a name that
  is some other place's (`Kani` is Kani, Japan, not a typo of Kano), or refused;
- countries of several UTC offsets, by their name in every CLDR locale: the capital's zone;
- CLDR metazone names (long generic, standard and daylight) in every locale: a zone of that
  metazone (the same UTC offsets all year), or a place whose own name it is; per language;
- Windows time zone IDs (CLDR windowsZones): the zone's UTC offsets all year.

Usage: python utils/accuracy.py [--show N]   (N failures of each kind listed; default 10)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, tzinfo
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


def _one_edit(name: str, rng: random.Random) -> list[str]:
    """Four misspellings of `name`: a letter dropped, doubled, swapped with the next, replaced."""
    n = len(name)
    i, j, k, m = (rng.randrange(n) for _ in range(4))
    j = min(j, n - 2)
    letter = rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != name[m].lower()])
    typos = [
        name[:i] + name[i + 1 :],
        name[:k] + name[k] + name[k:],
        name[:j] + name[j + 1] + name[j] + name[j + 2 :],
        name[:m] + letter + name[m + 1 :],
    ]
    return [typo for typo in typos if typo.lower() != name.lower()]


def misspellings(count: int = 2_000, path: Path = GAZETTEER_PATH) -> Counter[str]:
    """Verdicts ("intended", "wrong guess", "other place's name", "refused") of single-edit
    misspellings of the `count` most populous places' own names of 4 letters or more."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    rows = db.execute(
        "SELECT geonameid, name, timezone FROM places ORDER BY population DESC LIMIT ?", (count,)
    ).fetchall()
    db.close()
    rng, verdicts = random.Random(19), Counter[str]()
    for gid, name, zone in rows:
        if len(name) < 4:
            continue
        for typo in _one_edit(str(name), rng):
            try:
                found = resolve(typo, PINNED)
            except WorldTimerError:
                verdicts["refused"] += 1
                continue
            place = found.place
            if (place is not None and place.geonameid == gid) or _same(found.zone, str(zone)):
                verdicts["intended"] += 1
            elif _same(found.zone, _resolved_zone(str(name))):
                verdicts["intended"] += 1  # as the right spelling reads (a namesake's pick)
            elif found.matched == "misspelling":
                verdicts["wrong guess"] += 1
                WRONG_GUESSES.append(f"{typo!r} → {found.label} {found.zone_key} (meant {name})")
            else:
                verdicts["other place's name"] += 1
    return verdicts


WRONG_GUESSES: list[str] = []


def _resolved_zone(name: str) -> str:
    try:
        return resolve(name, PINNED).zone_key
    except WorldTimerError:
        return "UTC"


def _same(zone: tzinfo, key: str) -> bool:
    """True when `zone` keeps the UTC offsets of zone `key` all year (a fixed offset too)."""
    try:
        return tuple(t.astimezone(zone).utcoffset() for t in _YEAR) == offsets(key)
    except WorldTimerError:
        return False


def multi_zone_countries() -> list[Outcome]:
    """Each country of several UTC offsets by its name in every CLDR locale (babel): the zone
    of its capital (GeoNames), or a place whose own name it is."""
    from world_timer.places.build.cldr import territory_names
    from world_timer.places.gazetteer import gazetteer

    db = gazetteer()
    outcomes = []
    for code, names in sorted(territory_names().items()):
        zones = db.country_zones(code)
        if len({offsets(zone) for zone in zones}) < 2:
            continue
        row = db.connection.execute(
            "SELECT timezone FROM places WHERE country_code = ? AND capital = 1"
            " ORDER BY population DESC LIMIT 1",
            (code,),
        ).fetchone()
        if row is None:
            continue
        outcomes += [_judge(name, str(row[0]), None) for name in sorted(names)]
    return outcomes


def metazone_names() -> dict[str, list[Outcome]]:
    """Language → the outcome of every long metazone name its locales use (CLDR via babel)."""
    from babel import Locale
    from babel.core import get_global
    from babel.localedata import locale_identifiers

    zones_of: dict[str, set[str]] = defaultdict(set)
    for zone, metazone in get_global("meta_zones").items():
        zones_of[str(metazone)].add(str(zone))
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for identifier in locale_identifiers():
        try:
            meta = Locale.parse(identifier).meta_zones
        except (ValueError, LookupError):
            continue
        for metazone, forms in meta.items():
            for form in ("generic", "standard", "daylight"):
                name = forms.get("long", {}).get(form)
                if name and metazone in zones_of:
                    names[identifier.split("_")[0]].setdefault(str(name), str(metazone))
    result: dict[str, list[Outcome]] = {}
    for language, pairs in sorted(names.items()):
        outcomes = []
        for name, metazone in sorted(pairs.items()):
            outcome = _judge(name, sorted(zones_of[metazone])[0], None)
            if outcome.verdict != "ok" and not outcome.got.startswith("error"):
                zone_key = outcome.got.rsplit(" ", 1)[-1]
                if any(_same_key(zone_key, z) for z in zones_of[metazone]):
                    outcome = outcome._replace(verdict="ok")
            outcomes.append(outcome)
        result[language] = outcomes
    return result


def _same_key(one: str, other: str) -> bool:
    try:
        return offsets(one) == offsets(other)
    except WorldTimerError:
        return False


def windows_ids() -> list[Outcome]:
    """Every CLDR windowsZones ID but the `UTC±hh` ones (read as UTC offsets)."""
    from babel.core import get_global

    mapping = dict(get_global("windows_zone_mapping"))
    return [
        _judge(name, str(zone), None)
        for name, zone in sorted(mapping.items())
        if not str(zone).startswith("Etc/")
    ]


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
    verdicts = misspellings()
    total = sum(verdicts.values())
    shares = ", ".join(f"{kind} {n} ({100 * n / total:.2f}%)" for kind, n in verdicts.most_common())
    print(f"misspellings (one edit of the 2,000 most populous places): {total}: {shares}")
    for guessed in WRONG_GUESSES[: args.show]:
        print(f"  wrong guess {guessed}")
    countries = multi_zone_countries()
    total, bad, noted = _counts(countries)
    print(
        f"countries of several UTC offsets, every CLDR language: {total} names, "
        f"{total - bad} to the capital's zone ({100 * (total - bad) / total:.1f}%), {bad} wrong"
    )
    for outcome in [o for o in countries if o.verdict != "ok"][: args.show]:
        print(f"  {outcome.verdict:5} {outcome.query!r} → {outcome.got} (zone {outcome.expected})")
    languages = metazone_names()
    outcomes = [o for group in languages.values() for o in group]
    total, bad, _noted = _counts(outcomes)
    print(
        f"CLDR metazone names, every locale: {total} (language, name) pairs, {bad} wrong "
        f"({100 * (total - bad) / total:.2f}% right)"
    )
    worst = sorted(languages.items(), key=lambda item: _counts(item[1])[1] / len(item[1]))[-5:]
    print(
        "  fewest right: "
        + ", ".join(f"{lang} {len(o) - _counts(o)[1]}/{len(o)}" for lang, o in worst)
    )
    for outcome in [o for o in outcomes if o.verdict != "ok"][: args.show]:
        print(f"  {outcome.verdict:5} {outcome.query!r} → {outcome.got} (zone {outcome.expected})")
    windows = windows_ids()
    total, bad, _noted = _counts(windows)
    print(f"Windows time zone IDs (CLDR windowsZones): {total}, {bad} wrong")
    for outcome in [o for o in windows if o.verdict != "ok"][: args.show]:
        print(f"  {outcome.verdict:5} {outcome.query!r} → {outcome.got} (zone {outcome.expected})")
    return 1 if wrong or any(o.verdict == "wrong" for o in own) else 0


if __name__ == "__main__":
    raise SystemExit(main())
