"""IATA airport codes (`LHR`, `JFK`, `NRT`): the zone of the airport, with its name in a note.

Source: the `airportsdata` package (mborsetti/airportsdata, MIT; its `tz` field is an IANA zone
key per airport), read at build time by `utils/build_gazetteer.py` into the gazetteer's `airports`
table; the runtime reads only that table and never imports airportsdata.

Read as an airport only when typed in capitals (`LHR`, not `lhr`), and only when the code is not
a time-zone abbreviation (`IST` is India Standard Time, not Istanbul Airport; `JST` is not
Johnstown's airport) nor an ISO 3166 country code (`AUS` is Australia, `CAN` Canada, `PER` Peru):
places/codes.py holds that order.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

SCHEMA = """
-- IATA airport codes from airportsdata (places/airports.py).
CREATE TABLE airports(
    code TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL, country_code TEXT NOT NULL,
    timezone TEXT NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL
) WITHOUT ROWID;
"""


class Airport(NamedTuple):
    """An airport: IATA `code`, `name`, `city`, ISO 3166-1 alpha-2 `country_code`, IANA
    `timezone`, and its position in decimal degrees (airportsdata)."""

    code: str
    name: str
    city: str
    country_code: str
    timezone: str
    latitude: float
    longitude: float

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


# --- Build time (utils/build_gazetteer.py): airportsdata, never imported at run time -----------


def build_rows(zone_keys: set[str]) -> list[tuple[object, ...]]:
    """Return the rows of the `airports` table: every airportsdata airport with an IATA code.

    Raises ValueError when an airport's zone is not a key of the pinned tzdata (the build fails
    rather than storing a zone the runtime cannot load).
    """
    import airportsdata

    rows: list[tuple[object, ...]] = []
    for code, airport in sorted(airportsdata.load("IATA").items()):
        if airport["tz"] not in zone_keys:
            raise ValueError(f"airport {code}: zone {airport['tz']!r} is not in the pinned tzdata")
        rows.append(
            (
                code,
                airport["name"],
                airport["city"],
                airport["country"],
                airport["tz"],
                float(airport["lat"]),
                float(airport["lon"]),
            )
        )
    return rows


def source() -> str:
    """`airportsdata 20260905`: the package and version the table was built from."""
    from importlib.metadata import version

    return "airportsdata " + version("airportsdata")
