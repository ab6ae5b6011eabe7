"""Reading clocks through the API source: resolve locally, ask once per zone, fall back per place.

Places always resolve on this machine (gazetteer + tzdata); only the time of each distinct IANA
zone is asked of the API. A fixed UTC offset (`+05:30`) is arithmetic, not a zone the protocol
knows: it is never asked and keeps the embedded source without a fallback mark.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from world_timer.errors import TimeSourceError
from world_timer.ops.logs import log_event
from world_timer.sources import ApiSettings, embedded
from world_timer.timekeeping.clock import Reading, read_clocks


@dataclass(frozen=True, slots=True)
class ApiReadings:
    """The readings of one call (in query order), how many requests it made, and how each
    request ended: (outcome label, seconds) pairs for the run metrics."""

    readings: list[Reading]
    requests: int
    samples: list[tuple[str, float]]


def read_clocks_from_api(
    queries: Iterable[str],
    settings: ApiSettings,
    now: Callable[[], datetime] | None = None,
    fallback: bool = True,
) -> ApiReadings:
    """Resolve each query, then ask the API once per distinct IANA zone (see `fetch_zone_times`).

    `now` is the local clock (aware datetimes; default the system clock), used to resolve and for
    fallback times. A place whose zone the API did not answer well gets the embedded time at the
    moment the API call ended, `source="embedded"` and `fallback_reason`; with `fallback=False` it
    gets a TimeSourceError instead. Never raises for a network failure; returns within
    `settings.timeout` seconds plus local work.
    """
    from world_timer.sources.worldtimeapi import NAME, fetch_zone_times

    clock = now or (lambda: datetime.now(UTC))
    readings = read_clocks(queries, clock())
    keys = [_zone_key(r) for r in readings]
    asked = [key for key in keys if key is not None]
    answers = fetch_zone_times(asked, settings) if asked else {}
    fallback_instant = clock()
    result = []
    for reading, key in zip(readings, keys, strict=True):
        answer = answers.get(key) if key is not None else None
        if answer is None or reading.resolution is None:
            result.append(reading)
        elif answer.time is not None:
            result.append(reading._replace(time=answer.time, source=NAME))
        elif not fallback:
            error = TimeSourceError(reading.query, answer.failure or "no answer")
            result.append(Reading(reading.query, reading.resolution, error=error))
        else:
            time = embedded.read_zones([answer.zone], fallback_instant)[answer.zone]
            log_event(
                "fallback",
                logging.WARNING,
                query=reading.query,
                zone=answer.zone,
                source=embedded.NAME,
                reason=answer.failure,
            )
            result.append(
                reading._replace(time=time, source=embedded.NAME, fallback_reason=answer.failure)
            )
    samples = [(answer.outcome, answer.latency_ms / 1000) for answer in answers.values()]
    return ApiReadings(result, len(answers), samples)


def _zone_key(reading: Reading) -> str | None:
    """The IANA key to ask for, or None (failed query, fixed UTC offset)."""
    if reading.resolution is None or reading.time is None:
        return None
    key: str | None = getattr(reading.resolution.zone, "key", None)
    return key
