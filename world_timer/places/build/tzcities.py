"""Build step: the tz database's own places (the city of every zone key), from the pinned tzdata.

Source: IANA tz database as shipped by the `tzdata` package (zone.tab, zone1970.tab, tzdata.zi).
Read at build time only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from world_timer.timekeeping.zones import AREAS, TZDATA_DIR

# Areas whose keys name a city (`Australia/Lord_Howe`); `Etc/`, `US/`, `Canada/` ... do not.
CITY_AREAS = frozenset(AREAS) - {"Etc"}
_COORDINATES = re.compile(r"^([+-])(\d{2})(\d{2})(\d{2})?([+-])(\d{3})(\d{2})(\d{2})?$")


@dataclass(frozen=True)
class ZoneCity:
    """A zone of zone.tab: IANA key, ISO 3166 country codes, latitude/longitude (degrees)."""

    key: str
    countries: tuple[str, ...]
    latitude: float
    longitude: float

    @property
    def city(self) -> str:
        """The key's city, as people write it: `Australia/Lord_Howe` → `Lord Howe`."""
        return key_city(self.key) or self.key


def key_city(key: str) -> str | None:
    """`America/Argentina/Buenos_Aires` → `Buenos Aires`; None for `Etc/GMT+5`, `US/Pacific`."""
    area, _, rest = key.partition("/")
    if area not in CITY_AREAS or not rest:
        return None
    return rest.rsplit("/", 1)[-1].replace("_", " ")


def _degrees(sign: str, deg: str, minutes: str, seconds: str | None) -> float:
    value = int(deg) + int(minutes) / 60 + int(seconds or 0) / 3600
    return -value if sign == "-" else value


def zone_cities() -> dict[str, ZoneCity]:
    """Return every zone of zone1970.tab and zone.tab by IANA key (zone.tab's countries kept)."""
    found: dict[str, ZoneCity] = {}
    for name in ("zone.tab", "zone1970.tab"):
        for line in (TZDATA_DIR / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            codes, coordinates, key, *_ = line.split("\t")
            match = _COORDINATES.match(coordinates)
            if not match or key in found:
                continue
            lat = _degrees(*match.group(1, 2, 3, 4))
            lon = _degrees(*match.group(5, 6, 7, 8))
            found[key] = ZoneCity(key, tuple(codes.split(",")), lat, lon)
    return found


def links() -> dict[str, str]:
    """Return every tz link (`Asia/Calcutta` → `Asia/Kolkata`) from tzdata.zi."""
    result: dict[str, str] = {}
    for line in (TZDATA_DIR / "tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _, target, name = line.split()
            result[name] = target
    return result


def canonical(key: str, link_map: dict[str, str]) -> str:
    """Follow links to the zone a key names (`Asia/Saigon` → `Asia/Ho_Chi_Minh`)."""
    seen = 0
    while key in link_map and seen < 5:
        key = link_map[key]
        seen += 1
    return key
