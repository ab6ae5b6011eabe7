"""Write a small MaxMind DB (`.mmdb`) for tests and benchmarks of `world-timer serve --geoip-db`.

Made with `mmdb-writer` (a dev dependency): an IPv6 database that holds IPv4 too (as MaxMind's
City databases do), records shaped like GeoLite2-City's (`{"location": {"time_zone": ...}}`).
The networks are public ones, so that the server does not skip them as private, but what they
map to here is made up: this is test data, not geography.

- NETWORKS: Tokyo, Lima, a zone no tz database has, and a record without a location.
- `extra_networks=N` adds N /24 networks under 100.0.0.0/8 … (alternately Asia/Tokyo and
  America/Lima), so a lookup walks a tree about as deep as a real database's (24 bits).

Usage: python utils/geoip_test_db.py OUT.mmdb [--extra-networks N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

NETWORKS: dict[str, dict[str, Any]] = {
    "1.0.16.0/20": {"location": {"time_zone": "Asia/Tokyo"}},
    "2001:200::/32": {"location": {"time_zone": "Asia/Tokyo"}},
    "190.12.64.0/18": {"location": {"time_zone": "America/Lima"}},
    "2800:200::/32": {"location": {"time_zone": "America/Lima"}},
    "5.5.5.0/24": {"location": {"time_zone": "Mars/Olympus_Mons"}},
    "2a00:5::/32": {"location": {"time_zone": "Mars/Olympus_Mons"}},
    "6.6.6.0/24": {"country": {"iso_code": "ZZ"}},
}
"""network → record. Addresses to ask: 1.0.16.1 and 2001:200::1 (Tokyo), 190.12.64.1 and
2800:200::1 (Lima), 5.5.5.5 and 2a00:5::1 (unknown zone), 6.6.6.6 (no location)."""
BENCH_PREFIX = (100, 0)
"""The first two octets of the extra /24 networks (`extra_networks`): 100.0.0.0/24 on."""


def extra_network(index: int) -> str:
    """The `index`-th extra /24 network (0 → 100.0.0.0/24, 256 → 100.1.0.0/24, ...)."""
    value = (BENCH_PREFIX[0] << 24) + (BENCH_PREFIX[1] << 16) + (index << 8)
    octets = [(value >> shift) & 255 for shift in (24, 16, 8)]
    return ".".join(map(str, octets)) + ".0/24"


def write_test_db(
    path: Path,
    networks: dict[str, dict[str, Any]] | None = None,
    extra_networks: int = 0,
) -> Path:
    """Write the database to `path` (NETWORKS unless `networks` is given, plus `extra_networks`
    /24s) and return `path`."""
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet

    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type="WorldTimer-Test-City",
        languages=["en"],
        description="World Timer test data (made up)",
    )
    for network, record in (NETWORKS if networks is None else networks).items():
        writer.insert_network(IPSet([network]), record)
    zones = ("Asia/Tokyo", "America/Lima")
    for index in range(extra_networks):
        record = {"location": {"time_zone": zones[index % 2]}}
        writer.insert_network(IPSet([extra_network(index)]), record)
    writer.to_db_file(str(path))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--extra-networks", type=int, default=0)
    args = parser.parse_args()
    write_test_db(args.out, extra_networks=args.extra_networks)
    print(f"{args.out}: {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
