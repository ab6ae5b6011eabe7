"""The IANA tz database as shipped by the pinned `tzdata` package: zone keys, areas, fixed offsets.

Zones are always read from the `tzdata` package (never the operating system's copy), so every
machine answers from the same release. A zone key is only ever looked up in the package's own list
of keys, so no input (`../../etc/passwd`, `Asia/Tokyo/../../x`) can open a file outside it.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import tzdata

TZDATA_DIR = Path(tzdata.__file__).parent / "zoneinfo"
TZDATA_VERSION: str = tzdata.IANA_VERSION
"""IANA release of the zone data, e.g. "2026f" (from the tzdata package)."""

# The areas of canonical zone keys (first part of `Area/Location`).
AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Etc",
    "Europe",
    "Indian",
    "Pacific",
)

_OFFSET = (  # compiled on first use: a query without a digit is never an offset
    r"^(?:(?:UTC|GMT|Z)\s*)?(?P<sign>[+\-−])\s*"
    r"(?:(?P<hours>\d{1,2})(?::(?P<minutes>\d{2}))?|(?P<hh>\d{2})(?P<mm>\d{2}))$"
)
MIN_OFFSET = timedelta(hours=-12)
MAX_OFFSET = timedelta(hours=14)


class UnknownZoneError(LookupError):
    """The key is not a zone of the tz database shipped in the tzdata package."""


@cache
def zone_keys() -> dict[str, str]:
    """Return every zone key of the tzdata package, as {casefolded key: key}.

    Source: the `zones` list of the tzdata package (canonical and backward-compatible keys).
    """
    text = (Path(tzdata.__file__).parent / "zones").read_text(encoding="utf-8")
    return {key.casefold(): key for key in text.split()}


def canonical_key(text: str) -> str | None:
    """Return the zone key spelled as IANA spells it (`america/lima` → `America/Lima`), or None."""
    return zone_keys().get(text.strip().casefold())


@cache
def load_zone(key: str) -> ZoneInfo:
    """Return the ZoneInfo of an exact IANA zone key, read from the tzdata package.

    Raises UnknownZoneError when `key` is not in the package's list of keys.
    """
    if zone_keys().get(key.casefold()) != key:
        raise UnknownZoneError(key)
    with (TZDATA_DIR / key).open("rb") as tzif:
        return ZoneInfo.from_file(tzif, key=key)


def zones_of_country(country_code: str) -> list[str]:
    """Return the sorted zone keys IANA lists for an ISO 3166-1 alpha-2 code (tzdata zone.tab)."""
    text = (TZDATA_DIR / "zone.tab").read_text(encoding="utf-8")
    code = country_code.strip().upper()
    return sorted(
        line.split("\t")[2]
        for line in text.splitlines()
        if line and not line.startswith("#") and line.split("\t")[0] == code
    )


def zones_in_area(area: str) -> list[str]:
    """Return the sorted zone keys under `area` (`Europe` → `Europe/Amsterdam`, ...)."""
    prefix = area.strip().strip("/").casefold() + "/"
    return sorted(key for folded, key in zone_keys().items() if folded.startswith(prefix))


def area_name(text: str) -> str | None:
    """Return the IANA area `text` names (`europe` → `Europe`), or None."""
    folded = text.strip().strip("/").casefold()
    return next((area for area in AREAS if area.casefold() == folded), None)


def parse_fixed_offset(text: str) -> timezone | None:
    """Parse a fixed UTC offset: `UTC+05:30`, `+0545`, `GMT-3`, `utc+14`.

    Returns a `datetime.timezone` named like `UTC+05:30`, or None when `text` is not an offset.
    Raises ValueError for an offset outside the range in use on Earth (−12:00 to +14:00).
    Note: here `+` means east of Greenwich (ISO 8601), unlike POSIX `Etc/GMT+5`.
    """
    if not any(ch.isdigit() for ch in text):
        return None
    match = re.match(_OFFSET, text.strip(), re.IGNORECASE)
    if not match:
        return None
    hours = int(match["hours"] or match["hh"])
    minutes = int(match["minutes"] or match["mm"] or 0)
    if minutes >= 60:
        raise ValueError(f"bad UTC offset {text.strip()!r}: minutes must be below 60")
    offset = timedelta(hours=hours, minutes=minutes)
    if match["sign"] != "+":
        offset = -offset
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise ValueError(f"UTC offset {text.strip()!r} is outside −12:00 … +14:00")
    return timezone(offset, "UTC" + format_offset(offset))


def format_offset(offset: timedelta, colon: bool = True) -> str:
    """Format a UTC offset as ISO 8601 `+05:45` (or `+0545` with colon=False); seconds if any."""
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    sep = ":" if colon else ""
    text = f"{sign}{hours:02d}{sep}{minutes:02d}"
    return text + (f"{sep}{seconds:02d}" if seconds else "")


def zone_name(zone: tzinfo) -> str:
    """Return the name a zone is shown under: its IANA key, or `UTC+05:30` for a fixed offset."""
    return str(getattr(zone, "key", None) or zone.tzname(None))


def posix_sign_note(key: str) -> str | None:
    """Explain POSIX-style keys whose sign is inverted (`Etc/GMT+5` is UTC−05:00), else None."""
    match = re.fullmatch(r"Etc/GMT([+-])(\d{1,2})", key)
    if not match or int(match[2]) == 0:
        return None
    sign = "-" if match[1] == "+" else "+"
    return (
        f"{key} is UTC{sign}{int(match[2]):02d}:00: in the Etc area the sign follows POSIX, "
        "where GMT+N means N hours behind (west of) Greenwich"
    )
