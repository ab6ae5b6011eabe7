"""Reading clocks: queries in, one Reading (place + ZoneTime, or the error) per query out."""

import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple

from world_timer.errors import PlaceError
from world_timer.ops.logs import log_event
from world_timer.places.resolve import Resolution, resolve
from world_timer.timekeeping.zonetime import ZoneTime, zone_time


class Reading(NamedTuple):
    """The answer for one query: what it resolved to and the ZoneTime there, or why it failed.

    Exactly one of (`resolution` and `time`) or `error` is set. `source` names where the time came
    from (`embedded`: zoneinfo + tzdata on this machine; `api`: a worldtimeapi server).
    `fallback_reason` says why the API's answer was replaced by the embedded time (else None).
    `label` is the user's name for the place (`Tokyo office=Asia/Tokyo`), shown instead of the
    place's own name (else None).
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


def read_clocks(queries: Iterable[str], now: datetime | None = None) -> list[Reading]:
    """Resolve each query and read its zone at `now` (aware; default the current instant).

    Returns one Reading per query, in the order given; a query that cannot be resolved gives a
    Reading with its error instead of raising, so the other places are still answered.
    """
    instant = now or datetime.now(UTC)
    readings = []
    for query in queries:
        started = time.perf_counter()
        try:
            resolution = resolve(query, instant)
        except PlaceError as exc:
            readings.append(Reading(query, error=exc, latency_ms=_since(started)))
            continue
        time_there = zone_time(resolution.zone, instant)
        readings.append(Reading(query, resolution, time_there, latency_ms=_since(started)))
    return readings


def with_labels(readings: Iterable[Reading], labels: Iterable[str | None]) -> list[Reading]:
    """The readings with the user's labels set (`places.labels.split_labels`), in order."""
    return [
        reading._replace(label=label) if label else reading
        for reading, label in zip(readings, labels, strict=True)
    ]


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _loggable(query: str, limit: int = 200) -> str:
    """A query as logged: long ones cut (a 1 MB argument is not worth a 1 MB log line)."""
    return query if len(query) <= limit else f"{query[:limit]}… ({len(query)} characters)"


def log_reading(reading: Reading) -> None:
    """Log one line for a reading: query, place, zone, local time, source and latency (ms), or
    the failure with its reason and suggestions."""
    if reading.error is not None or reading.time is None or reading.resolution is None:
        log_event(
            "place",
            logging.WARNING,
            query=_loggable(reading.query),
            error=getattr(reading.error, "reason", "error"),
            message=str(reading.error),
            suggestions=list(getattr(reading.error, "suggestions", ())),
            latency_ms=reading.latency_ms,
        )
        return
    resolution = reading.resolution
    fields: dict[str, object] = {
        "query": _loggable(reading.query),
        "place": resolution.label,
        "geonameid": resolution.place.geonameid if resolution.place else None,
        "zone": resolution.zone_key,
        "local": reading.time.local.isoformat(timespec="seconds"),
        "utc_offset": reading.time.utc_offset,
        "source": reading.source,
        "latency_ms": reading.latency_ms,
    }
    if reading.fallback_reason:
        fields["fallback_reason"] = reading.fallback_reason
    if resolution.notes:
        fields["note"] = " | ".join(resolution.notes)
    log_event("place", logging.INFO, **fields)
