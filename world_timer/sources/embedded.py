"""The embedded time source: zoneinfo over the pinned tzdata package, offline, never failing.

It is the default source and the fallback of the API source. Source of facts: the IANA tz database
release shipped in the `tzdata` package (see `world_timer.timekeeping.zones`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from world_timer.sources import ZoneTimes
from world_timer.timekeeping.zones import load_zone
from world_timer.timekeeping.zonetime import ZoneTime, zone_time

NAME = "embedded"
"""The value of `Reading.source` for times computed here."""


class EmbeddedAnswer(NamedTuple):
    """A zone's time computed here: `time` is always set, `failure` never."""

    zone: str
    time: ZoneTime
    failure: None = None


class EmbeddedSource:
    """The `TimeSource` of zoneinfo + the pinned tzdata: answers every key at the instant asked."""

    name = NAME

    def read_zones(self, keys: Sequence[str], now: datetime) -> ZoneTimes:
        """{key: EmbeddedAnswer} at `now` (aware). Raises world_timer.timekeeping.zones.
        UnknownZoneError for a key the tzdata package lacks (resolved keys never are)."""
        return ZoneTimes(
            {key: EmbeddedAnswer(key, time) for key, time in read_zones(keys, now).items()}
        )


EMBEDDED = EmbeddedSource()
"""The one embedded source (it holds no state)."""


def read_zones(keys: Iterable[str], now: datetime | None = None) -> dict[str, ZoneTime]:
    """Return {zone key: ZoneTime at `now`} (aware; default: the current instant).

    Raises world_timer.timekeeping.zones.UnknownZoneError for a key the tzdata package lacks.
    """
    instant = now or datetime.now(UTC)
    return {key: zone_time(load_zone(key), instant) for key in keys}
