"""Which place a name means: the one scoring of the gazetteer's candidates for a name.

A name typed alone matches places through names of four kinds (`names.kind`, NAME_KINDS): the
GeoNames name (0) or its ASCII form (1), a CLDR exemplar city or the city of a tz zone key (2), or
a GeoNames alternate name (3). Alternate names are many and noisy: GeoNames lists `Islamabad` for
Chattogram, `Porto` for Bordeaux, `Cancun` for Changchun, `Puno` for Pune. So:

1. **Names of the place itself come first.** A candidate matched by its own name, its ASCII
   form, or a CLDR / tz name (CLDR's name of a zone's city in some locale, `Wien`, `纽约`; these
   are the places' names in the major languages) outranks every candidate matched by an
   alternate name. Decides: Islamabad (not Chattogram, 6.5x the people), Porto (not Bordeaux),
   Cancún (not Changchun, 5.3x), Puno (not Pune, 24x), Montgomery (not Sahiwal), Batna (not
   Patna), Jayapura (not Jaipur).
2. **Among those, a prominent place beats a namesake** unless the namesake has PROMINENT_RATIO
   (5) times its people. Prominent: a country's capital (GeoNames), a US state's capital (the
   `us` package: `Frankfort` is Kentucky's, not a South African town), or the city a tz zone is
   named after (the tz database and CLDR chose it for its region). Decides: St. John's →
   Newfoundland (America/St_Johns, 2.1x Antigua's capital; both prominent), San José → Costa
   Rica (a capital with a third of San Jose, California's people: the note names California),
   Islamabad, Frankfort.
   Otherwise the most populous first (Hamilton → Ontario, Paris → France, Portland → Oregon,
   Hyderabad → India).
3. **An alternate name wins only as a spelling of its place's own name**: when it is that name
   up to accents, blanks, hyphens and doubled letters (`Odessa` / `Odesa`) and its place has
   VARIANT_RATIO (5) times the people of the best own-name match. Decides: Odessa → Odesa,
   Ukraine (8.8x Odessa, Texas, which the note names). `Batna` / `Patna` and `Puno` / `Pune`
   differ by a letter that is not doubled, so they stay with their own places.
4. **Only alternate names matched**: the most populous (Bombay → Mumbai, Peking → Beijing).

Regions and countries typed alone are weighed by world_timer/places/resolve.py against the result
(REGION_RATIO for a place inside them, ABROAD_RATIO for one elsewhere). Notes for namesakes at
another UTC offset are the resolver's (_pick).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from world_timer.places.gazetteer import ALTERNATE, Place
from world_timer.places.normalize import normalize

PROMINENT_RATIO = 5.0
"""A namesake beats a capital or zone city only with at least this many times its people."""
VARIANT_RATIO = 5.0
"""An alternate name that spells its place's own name beats an own-name match of another place
when its place has at least this many times the people."""
REGION_RATIO = 10.0
"""A region or country typed alone beats a place of that name inside it (`Quebec`: the province,
not Québec City) when it holds at least this many times the place's people (a region: the people
of its places in the gazetteer; a country: GeoNames' figure), unless the place is prominent."""
ABROAD_RATIO = 1.0
"""A region or country typed alone beats a place of that name elsewhere (`Montana` is the US
state, not Montana, Bulgaria; `Tonga` the kingdom, not Tonga, Cameroon; `Ontario`, `Jamaica`,
`Bali`, `Yukon`, `New Brunswick`) when it holds more people than the place, unless the place is
prominent. A region's figure counts only the gazetteer's places (>= 15,000 people, capitals and
zone cities), so it is a floor: Yukon's 29,576 against Yukon, Oklahoma's 25,892 decides it."""
YIELD_RATIO = 50.0
"""A place matched by a CLDR name only (a minor locale's exemplar city) is noted beside any place
with this many times its people that has that name as an alternate name: `Dehli` (Balochi CLDR)
and `दिल्ली` (Nepali CLDR) are Dili, with a note naming Delhi (73x); `Kanton` (German CLDR) is
Canton Island, with a note naming Guangzhou. It reorders nothing: GeoNames' alternate names are
too noisy for that (`Sakata` is an alternate name of Jakarta; `Dili` one of Delhi)."""
ASCII = 1


class Candidate(NamedTuple):
    """A place a name may mean, the kind of name that matched (NAME_KINDS) and why it ranks."""

    place: Place
    kind: int
    reason: str = ""


def skeleton(key: str) -> str:
    """A key without blanks, hyphens and doubled letters: `odessa` and `odesa` → `odesa`."""
    letters = re.sub(r"[\s\-]", "", key)
    return re.sub(r"(.)\1+", r"\1", letters)


def spells_own_name(key: str, place: Place) -> bool:
    """True when `key` is the place's own name up to blanks, hyphens and doubled letters."""
    return skeleton(key) in {skeleton(normalize(place.name)), skeleton(normalize(place.asciiname))}


def _weight(place: Place) -> float:
    """Population, times PROMINENT_RATIO for a capital or the city of a tz zone."""
    return place.population * (PROMINENT_RATIO if place.prominent else 1.0)


def rank(key: str, matches: list[tuple[Place, int]]) -> list[Candidate]:
    """Order the places matched by `key` (see the module docstring), best first, with reasons.

    `matches` are (place, kind) pairs as Gazetteer.matches returns them. [] for [].
    """
    own = [(p, k) for p, k in matches if k < ALTERNATE]
    alternates = [(p, k) for p, k in matches if k >= ALTERNATE]
    own.sort(key=lambda m: (-_weight(m[0]), m[0].geonameid))
    alternates.sort(key=lambda m: (-m[0].population, m[0].geonameid))
    if not own:
        return [
            Candidate(p, k, "matched an alternate name; the most populous such place")
            for p, k in alternates
        ]
    best = own[0][0]
    ranked = [Candidate(p, k, _own_reason(p, k, best, len(own))) for p, k in own]
    for place, kind in alternates:
        if (
            spells_own_name(key, place)
            and place.population >= VARIANT_RATIO * max(best.population, 1)
            and ranked[0].kind < ALTERNATE
        ):
            ratio = place.population / max(best.population, 1)
            reason = (
                f"an alternate name spelling its own name '{place.name}', with {ratio:.1f}x the "
                f"people of {best.name}, {best.country_code} (rank.VARIANT_RATIO)"
            )
            ranked.insert(0, Candidate(place, kind, reason))
        else:
            ranked.append(Candidate(place, kind, "matched an alternate name only"))
    return ranked


def _own_reason(place: Place, kind: int, best: Place, count: int) -> str:
    """Why an own-name candidate stands where it does."""
    from world_timer.places.gazetteer import NAME_KINDS

    how = f"matched its {NAME_KINDS[kind]}"
    if place is not best:
        return how
    if place.capital and count > 1:
        return f"{how}; the capital of {place.country} (rank.PROMINENT_RATIO)"
    if place.zone_city and count > 1:
        return f"{how}; the city of its tz zone {place.timezone} (rank.PROMINENT_RATIO)"
    if place.seat and count > 1:
        return f"{how}; the capital of {place.admin1} (rank.PROMINENT_RATIO)"
    return f"{how}; the most populous place of that name" if count > 1 else how


def beaten_own_names(ranked: list[Candidate]) -> list[Place]:
    """The places whose own name (or its ASCII form) matched but that a pick by another kind of
    name beat: a CLDR name (`Akra` → Accra; also ʼĀkra, Iraq) or an alternate name (`Odessa` →
    Odesa; also Odessa, Texas). The resolver notes them whatever their size."""
    if not ranked or ranked[0].kind <= ASCII:
        return []
    beaten = ASCII if ranked[0].kind < ALTERNATE else ALTERNATE - 1  # an alternate beat CLDR too
    return [c.place for c in ranked[1:] if c.kind <= beaten]
