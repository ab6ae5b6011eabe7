"""The log lines of a run: one per place read (and one per fallback), written together.

Each line goes to the `world_timer` logger through `ops.logs.log_event` (key=value fields; the
daily file is set up by the CLI). The API source logs its own request lines as it makes them
(`sources.worldtimeapi`); everything else a run logs is written from here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from world_timer.ops.logs import batched, log_event
from world_timer.reading.readings import Reading
from world_timer.sources.embedded import NAME as EMBEDDED_NAME

QUERY_LIMIT = 200
"""Characters of a query that are logged; a longer one is cut and its length said."""


def log_readings(readings: Iterable[Reading]) -> None:
    """Log a run: first a `fallback` line for each place whose time fell back to the embedded
    tz database, then a `place` line per reading (see `log_reading`), in order, in one locked
    write (`ops.logs.batched`)."""
    readings = list(readings)
    with batched():
        for reading in readings:
            if reading.fallback_reason and reading.resolution is not None:
                log_event(
                    "fallback",
                    logging.WARNING,
                    query=_loggable(reading.query),
                    zone=reading.resolution.zone_key,
                    source=EMBEDDED_NAME,
                    reason=reading.fallback_reason,
                )
        for reading in readings:
            log_reading(reading)


def log_reading(reading: Reading) -> None:
    """Log one line for a reading: query, place, geonameid, zone, local time, UTC offset, source
    and latency (ms), or the failure with its reason and suggestions (WARNING)."""
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


def _loggable(query: str, limit: int = QUERY_LIMIT) -> str:
    """A query as logged: long ones cut (a 1 MB argument is not worth a 1 MB log line)."""
    return query if len(query) <= limit else f"{query[:limit]}… ({len(query)} characters)"
