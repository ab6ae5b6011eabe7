"""IATA airport codes (`LHR`, `JFK`, `NRT`): the zone of the airport, with its name in a note.

Source: the `airportsdata` package (mborsetti/airportsdata, MIT; its `tz` field is an IANA zone
key per airport), read at build time by `world_timer/places/build/codes.py` into the gazetteer's
`airports` table; the runtime reads only that table and never imports airportsdata.

Read as an airport only when typed in capitals (`LHR`, not `lhr`), and only when the code is not
a time-zone abbreviation (`IST` is India Standard Time, not Istanbul Airport; `JST` is not
Johnstown's airport) nor an ISO 3166 country code (`AUS` is Australia, `CAN` Canada, `PER` Peru),
nor the own name of a place bigger than the one the airport serves (`HUE` is Huế, `ABA` Aba,
Nigeria; but `MAN` is Manchester Airport and `SAN` San Diego's): places/codes.py holds that order.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

SCHEMA = """
-- IATA airport codes from airportsdata (places/airports.py).
CREATE TABLE airports(
    code TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL, country_code TEXT NOT NULL,
    timezone TEXT NOT NULL, served INTEGER NOT NULL
) WITHOUT ROWID;
"""


SERVED_KM = 30.0
"""An airport serves the people of the biggest gazetteer place within this distance."""


class Airport(NamedTuple):
    """An airport: IATA `code`, `name`, `city`, ISO 3166-1 alpha-2 `country_code`, IANA
    `timezone` (airportsdata), and `served`: the population of the biggest gazetteer place
    within 30 km of it (0 if none), which weighs it against a place that has the code as its own
    name (`HUE` is Huế, 1.4 million, not Humera Airport; `MAN` is
    Manchester Airport, not Man, Côte d'Ivoire)."""

    code: str
    name: str
    city: str
    country_code: str
    timezone: str
    served: int

    def note(self, query: str) -> str:
        """`'LHR' read as the IATA code of London Heathrow Airport (London, GB)`."""
        return (
            f"'{query.strip()}' read as the IATA code of {self.name} "
            f"({self.city}, {self.country_code})"
        )


def find_airport(db: sqlite3.Connection, code: str) -> Airport | None:
    """Return the airport of a 3-letter IATA code (exact, upper case), or None."""
    if len(code) != 3 or not code.isascii() or not code.isupper():
        return None
    row = db.execute("SELECT * FROM airports WHERE code = ?", (code,)).fetchone()
    return Airport(*row) if row else None


# --- Build time (world_timer/places/build/codes.py): airportsdata, never imported at run time ----


def build_rows(db: sqlite3.Connection, zone_keys: set[str]) -> list[tuple[object, ...]]:
    """Return the rows of the `airports` table: every airportsdata airport with an IATA code,
    with the people it serves (from the gazetteer's `places`, already filled).

    Raises ValueError when an airport's zone is not a key of the pinned tzdata (the build fails
    rather than storing a zone the runtime cannot load).
    """
    import airportsdata

    from world_timer.places.coordinates import Point, distance_km

    grid: dict[tuple[int, int], list[tuple[Point, int]]] = {}
    for latitude, longitude, population in db.execute(
        "SELECT latitude, longitude, population FROM places"
    ):
        cell = (int(latitude // 1), int(longitude // 1))
        grid.setdefault(cell, []).append((Point(latitude, longitude), int(population)))

    def served(at: Point) -> int:
        row, column = int(at.latitude // 1), int(at.longitude // 1)
        near = [
            population
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            for point, population in grid.get((row + dr, (column + dc + 180) % 360 - 180), [])
            if distance_km(at, point) <= SERVED_KM
        ]
        return max(near, default=0)

    rows: list[tuple[object, ...]] = []
    for code, airport in sorted(airportsdata.load("IATA").items()):
        if airport["tz"] not in zone_keys:
            raise ValueError(f"airport {code}: zone {airport['tz']!r} is not in the pinned tzdata")
        at = Point(float(airport["lat"]), float(airport["lon"]))
        rows.append(
            (
                code,
                airport["name"],
                airport["city"],
                airport["country"],
                airport["tz"],
                served(at),
            )
        )
    return rows


def source() -> str:
    """`airportsdata 20260905`: the package and version the table was built from."""
    from importlib.metadata import version

    return "airportsdata " + version("airportsdata")
