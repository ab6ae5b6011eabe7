"""Coordinates (`35.68,139.76`, `-33.87, 151.21`, `40.7N 74.0W`): the zone at that point.

The zone comes from `tzfpy` (ringsaturn/tzfpy, MIT: the timezone-boundary-builder polygons,
compiled into the wheel, offline), imported only on this path; the label is the nearest place of
the gazetteer. Measured against `timezonefinder` on this machine (see CHANGELOG): tzfpy installs
4.8 MB with no dependencies, imports in 0.7 ms and answers in ~1 µs after a ~60 ms first lookup;
timezonefinder 9 needs numpy, h3 and cffi (~108 MB with its data) and 160 ms to import.

The sea outside every country's zone is `Etc/GMT±N` (nautical time, POSIX signs: explained by a
note); a point tzfpy names a zone the pinned tzdata lacks is an error, never a guess.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

_NUMBER = r"[+\-−]?\d{1,3}(?:\.\d+)?"
_POINT = re.compile(
    rf"^(?P<lat>{_NUMBER})\s*°?\s*(?P<ns>[NS])?\s*[,;\s]\s*"
    rf"(?P<lon>{_NUMBER})\s*°?\s*(?P<ew>[EW])?$",
    re.IGNORECASE,
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
    −90…90 or a longitude outside −180…180, or a hemisphere letter on a signed number.
    """
    match = _POINT.match(text.strip())
    if not match:
        return None
    values = []
    for name, letters in (("lat", "ns"), ("lon", "ew")):
        raw, hemisphere = match[name].replace("−", "-"), (match[letters] or "").upper()
        value = float(raw)
        if hemisphere and raw[0] in "+-":
            hemispheres = letters.upper()
            raise ValueError(f"bad coordinate {match[name]!r}: a sign or {hemispheres}, not both")
        values.append(-value if hemisphere in ("S", "W") else value)
    latitude, longitude = values
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude:g} is outside −90…90")
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude:g} is outside −180…180")
    return Point(latitude, longitude)


def zone_at(point: Point) -> str:
    """Return the IANA zone key at `point` (tzfpy; `Etc/GMT±N` at sea)."""
    from tzfpy import get_tz

    return str(get_tz(point.longitude, point.latitude))


def boundaries_release() -> str:
    """The timezone-boundary-builder release tzfpy's polygons come from, e.g. `2026e`."""
    import tzfpy

    return str(tzfpy.data_version())


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance in km between two points (haversine, spherical Earth)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
