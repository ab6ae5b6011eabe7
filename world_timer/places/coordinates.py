"""Coordinates (`35.68,139.76`, `-33.87, 151.21`, `40.7N 74.0W`, `52°31′N 13°24′E`,
`40°42′46″N 74°00′22″W`, `52 31 N 13 24 E`): the zone at that point.

The zone comes from `tzfpy` (ringsaturn/tzfpy, MIT: the timezone-boundary-builder polygons,
compiled into the wheel, offline), baked at build time into the gazetteer's tile index
(`zone_tiles.py`); only a point within a few km of a boundary (or ~300 m of one near a city) loads
tzfpy itself, imported only then. The label is the nearest place of the gazetteer. Measured
against `timezonefinder` on this machine (see CHANGELOG): tzfpy installs 4.8 MB with no
dependencies, imports in 0.7 ms and answers in ~1 µs after a ~48 ms first lookup; timezonefinder
9 needs numpy, h3 and cffi (~108 MB with its data) and 160 ms to import.

The sea outside every country's zone is `Etc/GMT±N` (nautical time, POSIX signs: explained by a
note); a point tzfpy names a zone the pinned tzdata lacks is an error, never a guess.
"""

from __future__ import annotations

import math
import re
import sqlite3
from typing import NamedTuple

_NUMBER = r"[+\-−]?\d{1,3}(?:\.\d+)?"
_POINT = re.compile(
    rf"^(?P<lat>{_NUMBER})\s*°?\s*(?P<ns>[NS])?\s*[,;\s]\s*"
    rf"(?P<lon>{_NUMBER})\s*°?\s*(?P<ew>[EW])?$",
    re.IGNORECASE,
)
# A pair with NaN or an infinity on either side (`NaN,NaN`, `inf, 5`) is a malformed coordinate,
# not the place Nan in Thailand: refused before any name is looked up.
_NON_FINITE = r"[+\-−]?(?:nan|inf(?:inity)?)"
_NON_FINITE_PAIR = re.compile(
    rf"^(?:{_NON_FINITE}\s*[,;\s]\s*(?:{_NON_FINITE}|{_NUMBER})"
    rf"|{_NUMBER}\s*[,;\s]\s*{_NON_FINITE})$",
    re.IGNORECASE,
)
# Degrees, minutes and optional seconds, then a hemisphere letter (required: `52 31 13 24` is
# not read); minutes and seconds may carry decimals; prime marks typed or as apostrophes.
_DMS_PART = (
    r"(?P<{n}d>\d{{1,3}})\s*(?:°|º|\s)\s*(?P<{n}m>\d{{1,2}}(?:\.\d+)?)\s*['′’]?\s*"
    r"(?:(?P<{n}s>\d{{1,2}}(?:\.\d+)?)\s*(?:[\"″”]|'')?\s*)?(?P<{n}h>[{h}])"
)
_DMS = re.compile(
    "^"
    + _DMS_PART.format(n="lat", h="NSns")
    + r"\s*[,;]?\s*"
    + _DMS_PART.format(n="lon", h="EWew")
    + "$"
)
EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), for great-circle distances."""


class Point(NamedTuple):
    """A position in decimal degrees: latitude −90…90 (north positive), longitude −180…180
    (east positive)."""

    latitude: float
    longitude: float

    @property
    def text(self) -> str:
        """`35.6800, 139.7600`: four decimals, about 11 m."""
        return f"{self.latitude:.4f}, {self.longitude:.4f}"


def parse_point(text: str) -> Point | None:
    """Parse `LAT,LON` (comma, semicolon or blanks between; `°` and N/S/E/W allowed).

    Returns None when `text` is not two numbers. Raises ValueError for a latitude outside
    −90…90 or a longitude outside −180…180, a hemisphere letter on a signed number, or a pair
    with NaN or an infinity in it (`NaN,NaN`, `inf, 5`).
    """
    if _NON_FINITE_PAIR.match(text.strip()):
        raise ValueError(f"bad coordinate {text.strip()!r}: NaN and infinity are not positions")
    match = _POINT.match(text.strip())
    if not match:
        return _parse_dms(text.strip())
    values = []
    for name, letters in (("lat", "ns"), ("lon", "ew")):
        raw, hemisphere = match[name].replace("−", "-"), (match[letters] or "").upper()
        value = float(raw)
        if hemisphere and raw[0] in "+-":
            hemispheres = letters.upper()
            raise ValueError(f"bad coordinate {match[name]!r}: a sign or {hemispheres}, not both")
        values.append(-value if hemisphere in ("S", "W") else value)
    return _checked(values[0], values[1])


def _parse_dms(text: str) -> Point | None:
    """`52°31′N 13°24′E`, `40°42′46″N 74°00′22″W`, `52 31 N 13 24 E` as a Point, else None.

    Raises ValueError for minutes or seconds of 60 or more, or a point out of range.
    """
    match = _DMS.match(text)
    if not match:
        return None
    values = []
    for name in ("lat", "lon"):
        minutes, seconds = float(match[name + "m"]), float(match[name + "s"] or 0)
        if minutes >= 60 or seconds >= 60:
            raise ValueError(f"bad coordinate {text!r}: minutes and seconds are below 60")
        value = int(match[name + "d"]) + minutes / 60 + seconds / 3600
        values.append(-value if match[name + "h"].upper() in "SW" else value)
    return _checked(values[0], values[1])


def _checked(latitude: float, longitude: float) -> Point:
    """The Point, or ValueError for a latitude outside −90…90 or a longitude outside −180…180."""
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude:g} is outside −90…90")
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude:g} is outside −180…180")
    return Point(latitude, longitude)


def zone_at(point: Point, tiles: sqlite3.Connection | None = None) -> str:
    """Return the IANA zone key at `point` (tzfpy's polygons; `Etc/GMT±N` at sea).

    With `tiles` (the gazetteer's connection), the baked tile index answers first
    (`world_timer.places.zone_tiles`: one row read, no polygons decoded); only a point within a
    few km of a zone boundary loads tzfpy. Both give the same key.
    """
    if tiles is not None:
        from world_timer.places.zone_tiles import zone_from_tiles

        key = zone_from_tiles(tiles, point.longitude, point.latitude)
        if key is not None:
            return key
    from tzfpy import get_tz

    return str(get_tz(point.longitude, point.latitude))


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance in km between two points (haversine, spherical Earth)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
