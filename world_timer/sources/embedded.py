"""The embedded time source: zoneinfo over the pinned tzdata package, offline, never failing.

It is the default source and the fallback of the API source. Source of facts: the IANA tz database
release shipped in the `tzdata` package (see `world_timer.zones`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from world_timer.zones import load_zone
from world_timer.zonetime import ZoneTime, zone_time

NAME = "embedded"
"""The value of `Reading.source` for times computed here."""


def read_zones(keys: Iterable[str], now: datetime | None = None) -> dict[str, ZoneTime]:
    """Return {zone key: ZoneTime at `now`} (aware; default: the current instant).

    Raises world_timer.zones.UnknownZoneError for a key the tzdata package does not have.
    """
    instant = now or datetime.now(UTC)
    return {key: zone_time(load_zone(key), instant) for key in keys}
