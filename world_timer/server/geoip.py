"""The caller's zone from a geo-IP database: an IP address in, an IANA zone key (or None) out.

Reads any MaxMind DB file (`.mmdb`) whose records carry `location.time_zone`: MaxMind's
GeoLite2-City or GeoIP2-City, DB-IP's City Lite, or one made with `mmdb-writer`. The reader
(`maxminddb`, its C extension when installed) memory-maps the file once per worker, so the
workers of one machine share its pages; the last MAX_REMEMBERED_ADDRESSES answers are kept in
an LRU, since a client asks again and again. Imported only by the server stack.

A zone the database names is used only when `world_timer.timekeeping.zones.canonical_key`
knows it (the same lookup as `/api/timezone/...`); any other string, a record without a
zone, an address the database does not hold, and a private, loopback, link-local or other
non-global address give None, and the caller falls back to its default zone.
"""

from __future__ import annotations

import ipaddress
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from world_timer.errors import WorldTimerError
from world_timer.timekeeping.zones import canonical_key

MAX_REMEMBERED_ADDRESSES = 4096
"""Addresses whose zone (or its absence) is remembered per worker (least recently asked out)."""


class GeoIpError(WorldTimerError):
    """The geo-IP database cannot be used (missing, not a regular file, unreadable, not a
    MaxMind DB); str() is one line naming the file and the reason."""


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An IPv4 or IPv6 address in its standard notation (`1.2.3.4`, `2001:db8::1`; an IPv6
    zone index such as `%eth0` is refused). Raises ValueError with ipaddress's one-line reason."""
    if "%" in text:
        raise ValueError(f"{text[:60]!r} has a zone index: give the address alone")
    return ipaddress.ip_address(text)


class GeoIp:
    """An open geo-IP database: `zone_key(address)` → a zone key we know, or None.

    Build it with `open_geoip(path)`; `path` and `database_type` (the file's metadata, e.g.
    `GeoLite2-City`) say what it is. Safe to share between threads (the reader is read-only and
    the LRU is functools').
    """

    def __init__(self, reader: Any, path: Path) -> None:
        self._reader = reader
        self.path = path
        self.database_type = str(reader.metadata().database_type)
        self.zone_key = lru_cache(maxsize=MAX_REMEMBERED_ADDRESSES)(self._zone_key)

    def _zone_key(self, address: str) -> str | None:
        """The zone key of `address` (any notation `ipaddress` takes), or None: see module."""
        try:
            ip = parse_address(address)
        except ValueError:
            return None
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # ::ffff:1.2.3.4 from a dual-stack socket is 1.2.3.4
        if not ip.is_global:
            return None
        try:
            record = self._reader.get(ip)
        except (ValueError, RuntimeError):
            # ValueError: an IPv6 address asked of an IPv4-only database; RuntimeError
            # (maxminddb's InvalidDatabaseError): a record past a corrupt spot of the file.
            return None
        location = record.get("location") if isinstance(record, dict) else None
        zone = location.get("time_zone") if isinstance(location, dict) else None
        return canonical_key(zone) if isinstance(zone, str) and zone else None

    def close(self) -> None:
        """Unmap the file (tests; a worker keeps it until it exits)."""
        self._reader.close()


def open_geoip(path: Path) -> GeoIp:
    """Open the MaxMind DB file at `path` (memory-mapped; a symlink is followed, since the file
    is only read). Raises GeoIpError when it is missing, not a regular file (a FIFO or device is
    never opened: it could hang or never end), unreadable, or not a valid MaxMind DB."""
    import maxminddb

    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        raise GeoIpError(f"{path}: cannot read the geo-IP database: {_reason(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise GeoIpError(f"{path}: the geo-IP database is not a regular file")
    try:
        reader = maxminddb.open_database(str(path), maxminddb.MODE_AUTO)
    except (OSError, ValueError) as exc:  # InvalidDatabaseError is a RuntimeError
        raise GeoIpError(f"{path}: cannot read the geo-IP database: {_reason(exc)}") from None
    except maxminddb.InvalidDatabaseError:
        raise GeoIpError(f"{path}: not a valid MaxMind DB (.mmdb) file") from None
    return GeoIp(reader, path)


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
