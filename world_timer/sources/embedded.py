"""The embedded time source: zoneinfo over the pinned tzdata package, offline, never failing.

It is the default source and the fallback of the API source. Source of facts: the IANA tz database
release shipped in the `tzdata` package (see `world_timer.timekeeping.zones`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from world_timer.timekeeping.zones import load_zone
from world_timer.timekeeping.zonetime import ZoneTime, zone_time

NAME = "embedded"
"""The value of `Reading.source` for times computed here."""


def read_zones(keys: Iterable[str], now: datetime | None = None) -> dict[str, ZoneTime]:
    """Return {zone key: ZoneTime at `now`} (aware; default: the current instant).

    Raises world_timer.timekeeping.zones.UnknownZoneError for a key the tzdata package lacks.
    """
    instant = now or datetime.now(UTC)
    return {key: zone_time(load_zone(key), instant) for key in keys}
