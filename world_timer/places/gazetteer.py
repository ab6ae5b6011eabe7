"""The embedded gazetteer: GeoNames places (cities >= 15,000 people) and lookups by name.

The data lives in `world_timer/data/gazetteer.sqlite3` (built by `utils/build_gazetteer.py` from
GeoNames, CC BY 4.0; see data/ATTRIBUTION.md), opened read-only and indexed by normalised name, so a
lookup reads a few pages and never loads the whole file.
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
    p.admin1_code, a.name, p.population, p.timezone, p.latitude, p.longitude, p.alternatenames
"""
_PLACE_FROM = """
    FROM places p
    LEFT JOIN countries c ON c.code = p.country_code
    LEFT JOIN admin1 a ON a.country_code = p.country_code AND a.code = p.admin1_code
"""


class Place(NamedTuple):
    """A populated place of the GeoNames gazetteer.

    `country_code` is ISO 3166-1 alpha-2; `admin1_code` the GeoNames first-level division code
    (`TX`, `08`), `admin1` its name where the data has one (US states, Canadian provinces,
    Australian states, UK nations), else None; `timezone` an IANA zone key; `alternate_names`
    every other name GeoNames lists, in any script.
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

    @property
    def label(self) -> str:
        """`Tokyo, Japan`; `Paris, Texas, United States` where an admin1 name is known."""
        parts = [self.name, self.admin1, self.country]
        return ", ".join(part for part in parts if part)

    def to_dict(self) -> dict[str, object]:
        """Return the place as a JSON-ready dict (no alternate names: they can run to hundreds)."""
        return {
            "geonameid": self.geonameid,
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
    gid, name, ascii_, cc, country, a1code, a1, pop, tz, lat, lon, alts = row
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
        alternate names.
        """
        rows = self._db.execute(
            f"SELECT {_PLACE_COLUMNS} {_PLACE_FROM}"
            " WHERE p.geonameid IN (SELECT geonameid FROM names WHERE key = ? AND kind <= ?)"
            " ORDER BY p.population DESC, p.geonameid",
            (key, 1 if official_only else 2),
        )
        return [_place(row) for row in rows]

    def by_prefix(self, key: str, limit: int = 20) -> list[Place]:
        """Return up to `limit` places with a name starting with `key`, most populous first."""
        rows = self._db.execute(
            f"SELECT {_PLACE_COLUMNS} {_PLACE_FROM}"
            " WHERE p.geonameid IN (SELECT geonameid FROM names WHERE key >= ? AND key < ?)"
            " ORDER BY p.population DESC, p.geonameid LIMIT ?",
            (key, key + "\U0010ffff", limit),
        )
        return [_place(row) for row in rows]

    def qualifier(self, key: str) -> list[tuple[str, str]]:
        """Return the (country_code, admin1_code) pairs a qualifier may mean (admin1 '' = any).

        `tx` → [("US", "TX")]; `ca` → [("CA", ""), ("US", "CA")]; unknown → [].
        """
        rows = self._db.execute(
            "SELECT country_code, admin1_code FROM qualifiers WHERE key = ?", (key,)
        )
        return [(str(cc), str(a1)) for cc, a1 in rows]

    def country_zones(self, country_code: str) -> list[str]:
        """Return the IANA zones of a country's places, those of most people first."""
        rows = self._db.execute(
            "SELECT timezone FROM places WHERE country_code = ?"
            " GROUP BY timezone ORDER BY SUM(population) DESC",
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

    def country_name(self, country_code: str) -> str | None:
        """Return the GeoNames English name of an ISO 3166-1 alpha-2 code, or None."""
        row = self._db.execute(
            "SELECT name FROM countries WHERE code = ?", (country_code,)
        ).fetchone()
        return str(row[0]) if row else None

    def primary_names(self) -> list[tuple[str, str, int]]:
        """Return (key, `Name, CC` label, population) of every place's own name, most people first.

        One row per distinct key (its most populous place), from the `suggestions` table.
        """
        rows = self._db.execute("SELECT key, label, population FROM suggestions")
        return [(str(k), str(label), int(pop)) for k, label, pop in rows]

    # --- Codes and points (places/codes.py): short forms, abbreviations, airports, coordinates --

    @property
    def connection(self) -> sqlite3.Connection:
        """The read-only connection, for the tables of places/abbreviations, airports and
        short_forms."""
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
