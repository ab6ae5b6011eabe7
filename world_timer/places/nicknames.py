"""Well-known nicknames of cities (`Big Apple`, `Music City`, `NOLA`, `City of Light`).

No dataset lists them (GeoNames has a few among alternate names, where they lose to any place's
own name: `NOLA` is also Nola, Italy), so this is a short curated table, each entry with its
source: the nickname section of the city's English Wikipedia article, or Wikipedia's "List of
city nicknames in the United States" (US = that list). A nickname must mean one city to nearly
everyone: not listed on purpose `City of Angels` (Los Angeles and Bangkok), `Big Smoke` (London
and Toronto), `Steel City`, `Queen City`, `Magic City`, `Rose City` (several cities each),
`Frisco` (Frisco, Texas: 200,000 people).
Read before the gazetteer's names, noted; the place is found by its GeoNames name, country and
admin1 code (tests check that each entry is in the gazetteer).
"""

from __future__ import annotations

from typing import NamedTuple

from world_timer.places.gazetteer import Place, gazetteer
from world_timer.places.normalize import normalize

_US = "Wikipedia, List of city nicknames in the United States"


class Nickname(NamedTuple):
    """One curated entry: what is typed, the GeoNames place (name, country, admin1), source."""

    typed: str
    name: str
    country_code: str
    admin1_code: str
    source: str


NICKNAMES = (
    Nickname("Big Apple", "New York City", "US", "NY", _US),
    Nickname("Gotham", "New York City", "US", "NY", _US),
    Nickname("Windy City", "Chicago", "US", "IL", _US),
    Nickname("Chi-Town", "Chicago", "US", "IL", _US),
    Nickname("Music City", "Nashville", "US", "TN", _US),
    Nickname("NOLA", "New Orleans", "US", "LA", _US),
    Nickname("Big Easy", "New Orleans", "US", "LA", _US),
    Nickname("Crescent City", "New Orleans", "US", "LA", _US),
    Nickname("Sin City", "Las Vegas", "US", "NV", _US),
    Nickname("Motor City", "Detroit", "US", "MI", _US),
    Nickname("Mile High City", "Denver", "US", "CO", _US),
    Nickname("Beantown", "Boston", "US", "MA", _US),
    Nickname("City of Brotherly Love", "Philadelphia", "US", "PA", _US),
    Nickname("Emerald City", "Seattle", "US", "WA", _US),
    Nickname("Hotlanta", "Atlanta", "US", "GA", _US),
    Nickname("H-Town", "Houston", "US", "TX", _US),
    Nickname("Big D", "Dallas", "US", "TX", _US),
    Nickname("City of Light", "Paris", "FR", "11", "Wikipedia, Paris (Ville Lumière)"),
    Nickname("Ville Lumière", "Paris", "FR", "11", "Wikipedia, Paris (Ville Lumière)"),
    Nickname("Eternal City", "Rome", "IT", "07", "Wikipedia, Rome (Roma, la Città Eterna)"),
    Nickname("Pink City", "Jaipur", "IN", "24", "Wikipedia, Jaipur"),
    Nickname("City of Joy", "Kolkata", "IN", "28", "Wikipedia, Kolkata"),
    Nickname("Auld Reekie", "Edinburgh", "GB", "SCT", "Wikipedia, Edinburgh"),
    Nickname("Windy Wellington", "Wellington", "NZ", "G2", "Wikipedia, Wellington"),
)
"""The curated table: GeoNames names and admin1 codes; the source of each nickname."""
_BY_KEY = {normalize(entry.typed): entry for entry in NICKNAMES}


def find_nickname(text: str) -> tuple[Place, str] | None:
    """(place, note) for a nickname typed in any case (`big apple`, `NOLA`), else None.

    Raises LookupError when an entry's place is not in the gazetteer (a test keeps it from
    happening).
    """
    entry = _BY_KEY.get(normalize(text))
    if entry is None:
        return None
    row = (
        gazetteer()
        .connection.execute(
            "SELECT geonameid FROM places WHERE name = ? AND country_code = ? AND admin1_code = ?"
            " ORDER BY population DESC LIMIT 1",
            (entry.name, entry.country_code, entry.admin1_code),
        )
        .fetchone()
    )
    place = gazetteer().by_id(int(row[0])) if row else None
    if place is None:
        raise LookupError(f"nickname {entry.typed}: no place {entry.name!r} in the gazetteer")
    return place, f"'{text.strip()}' read as {place.label}: a nickname ({entry.source})"
