"""Reading clocks: queries in, one Reading (place + ZoneTime, or the error) per query out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from world_timer.errors import PlaceError
from world_timer.resolve import Resolution, resolve
from world_timer.zonetime import ZoneTime, zone_time


@dataclass(frozen=True, slots=True)
class Reading:
    """The answer for one query: what it resolved to and the ZoneTime there, or why it failed.

    Exactly one of (`resolution` and `time`) or `error` is set. `source` names where the time came
    from (`embedded`: zoneinfo + tzdata on this machine; `api`: a worldtimeapi server).
    `fallback_reason` says why the API's answer was replaced by the embedded time (else None).
    """

    query: str
    resolution: Resolution | None = None
    time: ZoneTime | None = None
    error: PlaceError | None = None
    source: str = "embedded"
    fallback_reason: str | None = None

    @property
    def ok(self) -> bool:
        """True when the query resolved and has a time."""
        return self.error is None


def read_clocks(queries: Iterable[str], now: datetime | None = None) -> list[Reading]:
    """Resolve each query and read its zone at `now` (aware; default the current instant).

    Returns one Reading per query, in the order given; a query that cannot be resolved gives a
    Reading with its error instead of raising, so the other places are still answered.
    """
    instant = now or datetime.now(UTC)
    readings = []
    for query in queries:
        try:
            resolution = resolve(query, instant)
        except PlaceError as exc:
            readings.append(Reading(query, error=exc))
            continue
        readings.append(Reading(query, resolution, zone_time(resolution.zone, instant)))
    return readings
