"""Reading clocks: queries in, one Reading (place + ZoneTime, or the error) per query out.

A run resolves every query on this machine (places/: gazetteer + tzdata), then asks one time
source (sources/: the embedded tz database, or a worldtimeapi server) once for the distinct IANA
zones. A fixed UTC offset (`+05:30`) is arithmetic, not a zone a source knows: it is never asked
and keeps the embedded source. A zone the source failed for falls back to the embedded time at the
moment the source answered (or is an error, without fallback). Nothing here logs or prints:
`reading.journal` writes a run's log lines, the CLI renders.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from world_timer.errors import PlaceError, TimeSourceError
from world_timer.places.resolve import Resolution, resolve
from world_timer.sources.embedded import EMBEDDED
from world_timer.timekeeping.zonetime import ZoneTime, zone_time

if TYPE_CHECKING:
    from world_timer.sources import TimeSource


class Reading(NamedTuple):
    """The answer for one query: what it resolved to and the ZoneTime there, or why it failed.

    Exactly one of (`resolution` and `time`) or `error` is set (a place whose time the source
    could not give, without fallback, has `resolution` and `error`). `source` names where the
    time came from (`embedded`: zoneinfo + tzdata on this machine; `api`: a worldtimeapi server).
    `latency_ms` is the time spent resolving the query, in milliseconds. `fallback_reason` says
    why the source's answer was replaced by the embedded time (else None). `label` is the user's
    name for the place (`Tokyo office=Asia/Tokyo`), shown instead of the place's own name.
    """

    query: str
    resolution: Resolution | None = None
    time: ZoneTime | None = None
    error: PlaceError | None = None
    source: str = "embedded"
    latency_ms: float = 0.0
    fallback_reason: str | None = None
    label: str | None = None

    @property
    def ok(self) -> bool:
        """True when the query resolved and has a time."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class SourceReadings:
    """The readings of one call (in query order), and how each request to the source ended:
    (outcome label, seconds) pairs for the run metrics (none for the embedded source)."""

    readings: list[Reading]
    samples: list[tuple[str, float]]

    @property
    def requests(self) -> int:
        """How many requests the source made."""
        return len(self.samples)


def read_clocks(queries: Iterable[str], now: datetime | None = None) -> list[Reading]:
    """Resolve each query and read its zone at `now` (aware; default the current instant) from
    the embedded tz database (zoneinfo + the pinned tzdata package).

    Returns one Reading per query, in the order given; a query that cannot be resolved gives a
    Reading with its error instead of raising, so the other places are still answered.
    """
    instant = now or datetime.now(UTC)
    return read_clocks_from(EMBEDDED, queries, lambda: instant).readings


def read_clocks_from(
    source: TimeSource,
    queries: Iterable[str],
    now: Callable[[], datetime] | None = None,
    fallback: bool = True,
) -> SourceReadings:
    """Resolve each query, then ask `source` once for the distinct IANA zones.

    `now` is the local clock (aware datetimes; default the system clock): read once to resolve
    and as the instant asked of the source, and once more, when the source failed a zone, for
    the fallback's embedded time. A place whose zone the source did not answer gets that
    embedded time, `source="embedded"` and `fallback_reason`; with `fallback=False` it gets a
    TimeSourceError instead. Never raises for a failure of the source (the API source returns
    within its deadline, `ApiSettings.timeout` seconds, plus local work).
    """
    clock = now or (lambda: datetime.now(UTC))
    instant = clock()
    located = [_locate(query, instant) for query in queries]
    keys = [key for key in dict.fromkeys(map(_zone_key, located)) if key is not None]
    times = source.read_zones(keys, instant) if keys else None
    fallback_instant: datetime | None = None
    readings = []
    for reading in located:
        key = _zone_key(reading)
        resolution = reading.resolution
        if resolution is None:
            readings.append(reading)
            continue
        answer = times.answers.get(key) if times is not None and key is not None else None
        if answer is None:  # a fixed UTC offset: arithmetic, on this machine
            readings.append(reading._replace(time=zone_time(resolution.zone, instant)))
        elif answer.time is not None:
            readings.append(reading._replace(time=answer.time, source=source.name))
        elif not fallback:
            error = TimeSourceError(reading.query, answer.failure or "no answer")
            readings.append(reading._replace(error=error))
        else:
            fallback_instant = fallback_instant or clock()
            time_there = zone_time(resolution.zone, fallback_instant)
            readings.append(
                reading._replace(
                    time=time_there, source=EMBEDDED.name, fallback_reason=answer.failure
                )
            )
    samples = list(times.requests) if times is not None else []
    return SourceReadings(readings, samples)


def with_labels(readings: Iterable[Reading], labels: Iterable[str | None]) -> list[Reading]:
    """The readings with the user's labels set (`places.labels.split_labels`), in order."""
    return [
        reading._replace(label=label) if label else reading
        for reading, label in zip(readings, labels, strict=True)
    ]


def _locate(query: str, instant: datetime) -> Reading:
    """The query resolved at `instant` (a Reading without a time yet), or its error."""
    started = time.perf_counter()
    try:
        resolution = resolve(query, instant)
    except PlaceError as exc:
        return Reading(query, error=exc, latency_ms=_since(started))
    return Reading(query, resolution, latency_ms=_since(started))


def _zone_key(reading: Reading) -> str | None:
    """The IANA key to ask a source for, or None (failed query, fixed UTC offset)."""
    if reading.resolution is None or reading.error is not None:
        return None
    key: str | None = getattr(reading.resolution.zone, "key", None)
    return key


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
