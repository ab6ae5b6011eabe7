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
import socket
import stat
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any

from world_timer.errors import WorldTimerError
from world_timer.timekeeping.zones import canonical_key

MAX_REMEMBERED_ADDRESSES = 4096
"""Addresses whose zone (or its absence) is remembered per worker (least recently asked out)."""
RECORDS_SAMPLED = 1000
"""Records read at opening (from the lowest network on) to check that the file gives zones:
none with `location.time_zone` among them, and it is no City database (a Country one, an ASN
one), which would answer every caller with the default zone."""


NOT_GLOBAL = (
    # IPv4: "this network", private, shared (CGNAT), loopback, link-local, IETF protocol
    # assignments, documentation, benchmarking, multicast, reserved and broadcast
    *("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"),
    *("172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15"),
    *("198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"),
    # IPv6: unspecified, loopback, IPv4-mapped, local-use NAT64, discard-only, IETF protocol
    # assignments (Teredo, ORCHID, ...), documentation, 6to4, unique local, link-local,
    # multicast, SRv6 SIDs
    *("::/128", "::1/128", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23"),
    *("2001:db8::/32", "2002::/16", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10"),
    "ff00::/8",
)
"""The networks whose addresses are never looked up: not globally reachable (IANA's IPv4 and
IPv6 special-purpose address registries), so no database can tell where such a caller is."""


def _ranges(version: int) -> tuple[list[int], list[int]]:
    networks = sorted(
        network for network in map(ipaddress.ip_network, NOT_GLOBAL) if network.version == version
    )
    return [int(n.network_address) for n in networks], [int(n.broadcast_address) for n in networks]


_NOT_GLOBAL = {4: _ranges(4), 6: _ranges(6)}


def address_value(text: str) -> tuple[int, int]:
    """(4 or 6, the address as an integer) of an IP address in standard notation, read by the C
    library's inet_pton: as strict as `ipaddress` (no leading zeros, no `1.2.3`, no spaces; a
    zone index `%eth0` is refused too) at a fifth of its cost. Raises OSError for any other
    text (ValueError for a NUL)."""
    family, version = (socket.AF_INET6, 6) if ":" in text else (socket.AF_INET, 4)
    return version, int.from_bytes(socket.inet_pton(family, text), "big")


def is_not_global(address: str) -> bool:
    """Whether an address (standard notation) is in NOT_GLOBAL: half a microsecond, a quarter
    of `ipaddress`'s `is_global` on a new address object. Raises OSError as `address_value`."""
    version, value = address_value(address)
    starts, ends = _NOT_GLOBAL[version]
    index = bisect_right(starts, value) - 1
    return index >= 0 and value <= ends[index]


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
        """The zone key of `address` (any notation `ipaddress` takes), or None: see module.

        Addresses come checked by `ipaddress` (the socket's peer, an X-Forwarded-For entry,
        a `/api/ip/{address}`), so the cheap `is_not_global` can skip the ones no database
        places before the reader (in C) is asked."""
        if ":" in address and "." in address:  # ::ffff:1.2.3.4 from a dual-stack socket
            try:
                mapped = parse_address(address)
            except ValueError:
                return None
            if isinstance(mapped, ipaddress.IPv6Address) and mapped.ipv4_mapped is not None:
                address = str(mapped.ipv4_mapped)
        try:
            if is_not_global(address):
                return None
            record = self._reader.get(address)
        except (OSError, ValueError, RuntimeError):
            # OSError: inet_pton's "illegal IP address string"; ValueError: the same from the
            # reader, or an IPv6 one asked of an IPv4-only database; RuntimeError (maxminddb's
            # InvalidDatabaseError): a record past a corrupt spot of the file.
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
    try:
        _check_zones(reader, path)
    except GeoIpError:
        reader.close()
        raise
    return GeoIp(reader, path)


def _check_zones(reader: Any, path: Path) -> None:
    """Raise GeoIpError unless one of the first RECORDS_SAMPLED records names a time zone."""
    seen = 0
    try:
        for _network, record in reader:
            location = record.get("location") if isinstance(record, dict) else None
            if isinstance(location, dict) and isinstance(location.get("time_zone"), str):
                return
            seen += 1
            if seen >= RECORDS_SAMPLED:
                break
    except (ValueError, RuntimeError):
        raise GeoIpError(f"{path}: not a valid MaxMind DB (.mmdb) file") from None
    if not seen:
        raise GeoIpError(f"{path}: the geo-IP database holds no records")
    raise GeoIpError(
        f"{path}: none of its first {seen:,} records has location.time_zone:"
        " not a City database (GeoLite2-City, DB-IP City)"
    )


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
