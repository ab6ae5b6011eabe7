"""The embedded gazetteer: GeoNames places (cities >= 15,000 people) and lookups by name.

The data lives in `world_timer/data/gazetteer.sqlite3` (built by `world_timer/places/build/` from
GeoNames, CC BY 4.0, CLDR and the tz database; see data/ATTRIBUTION.md), opened read-only and
indexed by normalised name, so a lookup reads a few pages and never loads the whole file.
"""

import sqlite3
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

from world_timer.places.normalize import normalize

GAZETTEER_PATH = Path(__file__).parent.parent / "data" / "gazetteer.sqlite3"

_PLACE_COLUMNS = """
    p.geonameid, p.name, p.asciiname, p.country_code, COALESCE(c.name, p.country_code),
    p.admin1_code, a.name, p.population, p.timezone, p.latitude, p.longitude, p.alternatenames,
    p.capital, p.zone_city, p.shows_admin1
"""
_PLACE_FROM = """
    FROM places p
    LEFT JOIN countries c ON c.code = p.country_code
    LEFT JOIN admin1 a ON a.country_code = p.country_code AND a.code = p.admin1_code
"""


NAME_KINDS = {
    0: "own name",
    1: "ASCII form of its name",
    2: "CLDR / tz city name",
    3: "alternate name",
}
"""Kinds of the `names` table: the GeoNames name, its ASCII form, a CLDR exemplar city or the city
of a tz zone key, a GeoNames alternate name. Lower is stronger (world_timer/places/rank.py)."""
CLDR, ALTERNATE = 2, 3


class Place(NamedTuple):
    """A populated place of the gazetteer.

    `geonameid` is GeoNames' id, negative for the city of a tz zone that GeoNames lists under 500
    people (made from zone.tab: `Lord Howe`); `country_code` is ISO 3166-1 alpha-2; `admin1_code`
    the GeoNames first-level division code (`TX`, `08`, `40`), `admin1` its ISO 3166-2 / GeoNames
    name (`Texas`, `Ontario`, `Tokyo`) where known, else None; `timezone` an IANA zone key;
    `alternate_names` every other name GeoNames lists, in any script; `capital` whether it is its
    country's capital (GeoNames countryInfo); `zone_city` whether a tz zone key or CLDR zone id
    is named after it (`America/St_Johns`); `seat` whether it is a US state's capital (the `us`
    package: `Frankfort` is Kentucky's); `shows_admin1` whether its label names the admin1
    (addresses of the US, Canada, Australia and the UK; elsewhere when a namesake shares its
    country).
    """

    geonameid: int
    name: str
    asciiname: str
    country_code: str
    country: str
    admin1_code: str
    admin1: str | None
    population: int
    timezone: str
    latitude: float
    longitude: float
    alternate_names: tuple[str, ...]
    capital: bool = False
    zone_city: bool = False
    shows_admin1: bool = False
    seat: bool = False

    @property
    def prominent(self) -> bool:
        """A capital, the city of a tz zone or a US state's seat: never beaten by a country or
        region of its name, and weighed PROMINENT_RATIO times its people against namesakes."""
        return self.capital or self.zone_city or self.seat

    @property
    def label(self) -> str:
        """`Tokyo, Japan`; `Paris, Texas, United States` where the label names the admin1."""
        admin1 = self.admin1 if self.shows_admin1 and self.admin1 != self.name else None
        return ", ".join(part for part in (self.name, admin1, self.country) if part)

    def to_dict(self) -> dict[str, object]:
        """Return the place as a JSON-ready dict (no alternate names: they can run to hundreds).

        `geonameid` is None for a tz zone's city that GeoNames does not list.
        """
        return {
            "geonameid": self.geonameid if self.geonameid > 0 else None,
            "name": self.name,
            "country_code": self.country_code,
            "country": self.country,
            "admin1_code": self.admin1_code,
            "admin1": self.admin1,
            "population": self.population,
            "timezone": self.timezone,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


def _place(row: tuple[object, ...]) -> Place:
    (
        gid,
        name,
        ascii_,
        cc,
        country,
        a1code,
        a1,
        pop,
        tz,
        lat,
        lon,
        alts,
        capital,
        zone_city,
        shows,
    ) = row
    return Place(
        int(str(gid)),
        str(name),
        str(ascii_),
        str(cc),
        str(country),
        str(a1code),
        str(a1) if a1 is not None else None,
        int(str(pop)),
        str(tz),
        float(str(lat)),
        float(str(lon)),
        tuple(str(alts).split("|")) if alts else (),
        int(str(capital)) == 1,
        bool(zone_city),
        bool(shows),
        int(str(capital)) == 2,
    )


class Gazetteer:
    """Read-only access to the gazetteer database (one SQLite connection, opened immutable)."""

    def __init__(self, path: Path = GAZETTEER_PATH) -> None:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def meta(self) -> dict[str, str]:
        """Return the build metadata: source (with version), license, built (ISO date), places."""
        return {str(k): str(v) for k, v in self._db.execute("SELECT key, value FROM meta")}

    def by_name(self, key: str, official_only: bool = False) -> list[Place]:
        """Return the places one of whose names normalises to `key`, most populous first.

        With `official_only`, only the GeoNames name (or its ASCII form) counts, not the
        CLDR or alternate names.
        """
        return [p for p, kind in self.matches(key) if kind <= 1 or not official_only]

    def matches(self, key: str) -> list[tuple[Place, int]]:
        """Return (place, kind of the name that matched) for every place named `key`, most
        populous first; kinds as in NAME_KINDS."""
        rows = self._db.execute(
            f"SELECT {_PLACE_COLUMNS}, n.kind FROM names n JOIN places p"
            " ON p.geonameid = n.geonameid"
            " LEFT JOIN countries c ON c.code = p.country_code"
            " LEFT JOIN admin1 a ON a.country_code = p.country_code AND a.code = p.admin1_code"
            " WHERE n.key = ? ORDER BY p.population DESC, p.geonameid",
            (key,),
        )
        return [(_place(row[:-1]), int(row[-1])) for row in rows]

    def by_prefix(self, key: str, limit: int = 20) -> list[Place]:
        """Return up to `limit` places with a name starting with `key`, most populous first."""
        rows = self._db.execute(
            f"SELECT {_PLACE_COLUMNS} {_PLACE_FROM}"
            " WHERE p.geonameid IN (SELECT geonameid FROM names WHERE key >= ? AND key < ?)"
            " ORDER BY p.population DESC, p.geonameid LIMIT ?",
            (key, key + "\U0010ffff", limit),
        )
        return [_place(row) for row in rows]

    def country_named(self, key: str, english_only: bool = False) -> str | None:
        """Return the ISO code of the one country whose English name (GeoNames, CLDR `en`),
        everyday alias, or name in its own languages (CLDR, restcountries: build/endonyms.py)
        normalises to `key`, else None (`jamaica` → `JM`; `nederland` → `NL`; `nihon` → `JP`;
        `japon`, how Spanish writes Japan, → None). `english_only`: not the own-language names."""
        rows = self._db.execute(
            "SELECT DISTINCT country_code FROM qualifiers"
            " WHERE key = ? AND kind IN (0, ?) AND admin1_code = ''",
            (key, 0 if english_only else 3),
        ).fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None

    def iso_country(self, text: str) -> str | None:
        """Return the ISO 3166-1 alpha-2 code for an alpha-2 or alpha-3 code (`CAN` → `CA`),
        from GeoNames' country list, else None."""
        upper = text.upper()
        row = self._db.execute(
            "SELECT code FROM countries WHERE code = ? OR iso3 = ?", (upper, upper)
        ).fetchone()
        return str(row[0]) if row else None

    def qualifier(self, key: str) -> list[tuple[str, str]]:
        """Return the (country_code, admin1_code) pairs a qualifier may mean (admin1 '' = any).

        `tx` → [("US", "TX")]; `ca` → [("CA", ""), ("US", "CA")]; unknown → [].
        """
        rows = self._db.execute(
            "SELECT country_code, admin1_code FROM qualifiers WHERE key = ?", (key,)
        )
        return [(str(cc), str(a1)) for cc, a1 in rows]

    def areas_named(self, key: str) -> list[tuple[str, str]]:
        """Return the (country_code, admin1_code) of the countries (admin1 '') and regions whose
        name (in any CLDR locale for countries) normalises to `key`; codes and short forms,
        which are qualifiers only, do not count. `japon` → [("JP", "")]; `bavaria` → [("DE", "02")].
        """
        rows = self._db.execute(
            "SELECT country_code, admin1_code FROM qualifiers WHERE key = ? AND kind != 1", (key,)
        )
        return [(str(cc), str(a1)) for cc, a1 in rows]

    def region_zones(self, country_code: str, admin1_code: str) -> list[tuple[str, int]]:
        """Return (IANA zone, people of the gazetteer's places there) of one admin1 area, most
        people first; [] when the gazetteer has no place in it."""
        rows = self._db.execute(
            "SELECT timezone, population FROM region_zones WHERE country_code = ?"
            " AND admin1_code = ? ORDER BY population DESC, timezone",
            (country_code, admin1_code),
        )
        return [(str(tz), int(pop)) for tz, pop in rows]

    def region_name(self, country_code: str, admin1_code: str) -> str | None:
        """Return the name of an admin1 area (`Texas`, `Bayern`), or None."""
        row = self._db.execute(
            "SELECT name FROM admin1 WHERE country_code = ? AND code = ?",
            (country_code, admin1_code),
        ).fetchone()
        return str(row[0]) if row else None

    def country_zones(self, country_code: str) -> list[str]:
        """Return the IANA zones of a country's places, those of most people first."""
        rows = self._db.execute(
            "SELECT timezone FROM country_zones WHERE country_code = ?"
            " ORDER BY population DESC, timezone",
            (country_code,),
        )
        return [str(tz) for (tz,) in rows]

    def largest_place(self, country_code: str) -> str | None:
        """Return the name of a country's most populous place, or None."""
        row = self._db.execute(
            "SELECT name FROM places WHERE country_code = ? ORDER BY population DESC LIMIT 1",
            (country_code,),
        ).fetchone()
        return str(row[0]) if row else None

    def country_population(self, country_code: str) -> int:
        """Return a country's population (GeoNames countryInfo), 0 when unknown."""
        row = self._db.execute(
            "SELECT population FROM countries WHERE code = ?", (country_code,)
        ).fetchone()
        return int(row[0]) if row else 0

    def country_name(self, country_code: str) -> str | None:
        """Return the GeoNames English name of an ISO 3166-1 alpha-2 code, or None."""
        row = self._db.execute(
            "SELECT name FROM countries WHERE code = ?", (country_code,)
        ).fetchone()
        return str(row[0]) if row else None

    def suggestion_keys(self) -> list[str]:
        """Return every distinct own-name key, in `suggestions` order (index i is rowid i + 1)."""
        row = self._db.execute("SELECT keys FROM suggestion_keys").fetchone()
        return str(row[0]).split("\n") if row else []

    def suggestion_rows(self, indices: list[int]) -> list[tuple[str, int]]:
        """Return (`Name, CC` label, population) of the suggestion keys at `indices`, in order."""
        found: dict[int, tuple[str, int]] = {}
        for start in range(0, len(indices), 500):
            chunk = [i + 1 for i in indices[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT rowid, label, population FROM suggestions WHERE rowid IN ({marks})", chunk
            )
            found.update({int(r) - 1: (str(label), int(pop)) for r, label, pop in rows})
        return [found[i] for i in indices]

    # --- Codes and points (places/codes.py): short forms, abbreviations, airports, coordinates --

    @property
    def connection(self) -> sqlite3.Connection:
        """The read-only connection, for the tables of places/abbreviations, airports and
        short_forms, and the zone tiles (zone_tiles.py)."""
        return self._db

    def by_id(self, geonameid: int) -> Place | None:
        """Return the place with this GeoNames id, or None."""
        row = self._db.execute(
            f"SELECT {_PLACE_COLUMNS} {_PLACE_FROM} WHERE p.geonameid = ?", (geonameid,)
        ).fetchone()
        return _place(row) if row else None

    def near(
        self, latitude: float, longitude: float, degrees: float
    ) -> list[tuple[int, float, float]]:
        """Return (geonameid, latitude, longitude) of the places within `degrees` of latitude
        and longitude of a point (a box, not a circle: the caller measures distances)."""
        # the box may cross the antimeridian: also test the longitudes shifted by ±360°
        bounds = [latitude - degrees, latitude + degrees]
        for shift in (0.0, 360.0, -360.0):
            bounds += [longitude - degrees + shift, longitude + degrees + shift]
        rows = self._db.execute(
            "SELECT geonameid, latitude, longitude FROM places"
            " WHERE latitude BETWEEN ? AND ? AND (longitude BETWEEN ? AND ?"
            " OR longitude BETWEEN ? AND ? OR longitude BETWEEN ? AND ?)",
            bounds,
        )
        return [(int(g), float(lat), float(lon)) for g, lat, lon in rows]


def filter_by_qualifier(places: Iterable[Place], scopes: list[tuple[str, str]]) -> list[Place]:
    """Keep the places inside one of the (country_code, admin1_code) scopes (admin1 '' = any)."""
    return [
        p
        for p in places
        if any(p.country_code == cc and a1 in ("", p.admin1_code) for cc, a1 in scopes)
    ]


@cache
def gazetteer() -> Gazetteer:
    """Return the process-wide Gazetteer on the embedded database."""
    return Gazetteer()


def lookup(text: str) -> list[Place]:
    """Return the places named `text` (any case, accents, script), most populous first."""
    key = normalize(text)
    return gazetteer().by_name(key) if key else []
