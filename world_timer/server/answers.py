"""The worldtimeapi object of a zone, fast: what stays fixed between two transitions is made once.

A time API is asked for the same few zones again and again, and a zone's UTC offset, abbreviation
and DST fields only change at its transitions. `TimeAnswers.object(zone, now, client_ip)` keeps,
per zone, the fields of the period in effect (taken from `zone_time(...).to_worldtimeapi()`, the
one model) with the period's bounds from `world_timer.timekeeping.transitions`, and per request
computes only what moves: the two datetimes, unixtime and the calendar fields of the local date.

Equal to `{"abbreviation": ..., "client_ip": ..., **zone_time(zone, now).to_worldtimeapi()}` at
every instant: tests/test_server_answers.py checks every zone either side of its transitions.
"""

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, NamedTuple

from world_timer.timekeeping.transitions import zone_transitions
from world_timer.timekeeping.zones import zone_name
from world_timer.timekeeping.zonetime import zone_time

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_ZONES = 4096
"""Zones whose current period is remembered (every tzdata key fits; fixed offsets are few)."""


class _Period(NamedTuple):
    """What a zone's worldtimeapi object keeps from `start` to `end` (unix seconds, floats;
    ±inf when unbounded), and the fixed offset that gives its local time in that stretch.
    `zone` is the object it was made for."""

    zone: tzinfo
    start: float
    end: float
    local_zone: tzinfo
    abbreviation: str
    fields: tuple[
        Any, ...
    ]  # dst, dst_from, dst_offset, dst_until, raw_offset, timezone, utc_offset


_FIXED = ("dst", "dst_from", "dst_offset", "dst_until", "raw_offset", "timezone", "utc_offset")


@lru_cache(maxsize=1024)
def _calendar(ordinal: int) -> tuple[int, int, int]:
    """(day_of_week with Sunday = 0, day_of_year, ISO 8601 week number) of a proleptic
    Gregorian ordinal (`date.toordinal()`, 1 = 0001-01-01, a Monday)."""
    day = date.fromordinal(ordinal)
    return ordinal % 7, ordinal - date(day.year, 1, 1).toordinal() + 1, day.isocalendar()[1]


def _iso(moment: datetime) -> str:
    """`moment.isoformat(timespec="microseconds")`, in half the time (the keyword is slow)."""
    text = moment.isoformat()
    return text if moment.microsecond else f"{text[:19]}.000000{text[19:]}"


def _period(zone: tzinfo, now: datetime) -> _Period:
    """The fixed fields of `zone` around `now`, from the model itself."""
    time = zone_time(zone, now)
    model = time.to_worldtimeapi()
    start, end = float("-inf"), float("inf")
    key = getattr(zone, "key", None)
    if key is not None:
        period = zone_transitions(key).period_at(now.timestamp())
        if period.start is not None:
            start = float(period.start)
        if period.end is not None:
            end = float(period.end)
    local_zone = timezone(timedelta(seconds=time.utc_offset_seconds))
    fields = tuple(model[name] for name in _FIXED)
    return _Period(zone, start, end, local_zone, model["abbreviation"], fields)


class TimeAnswers:
    """The worldtimeapi objects of a server process (see module docstring)."""

    def __init__(self) -> None:
        self._periods: dict[tzinfo, _Period] = {}

    def object(self, zone: tzinfo, now: datetime, client_ip: str) -> dict[str, Any]:
        """The worldtimeapi object of `zone` at `now` (an aware datetime), `client_ip` included,
        keys in the service's (alphabetical) order. Datetimes are ISO 8601 with offset and
        6-digit microseconds; unixtime whole seconds (floored); offsets in seconds."""
        stamp = now.timestamp()
        period = self._periods.get(zone)
        if (
            period is None
            or not period.start <= stamp < period.end
            # `datetime.timezone`s are equal when their offsets are, whatever their names
            or (period.zone is not zone and zone_name(period.zone) != zone_name(zone))
        ):
            period = _period(zone, now)
            if len(self._periods) >= MAX_ZONES:
                self._periods.clear()
            self._periods[zone] = period
        local = now.astimezone(period.local_zone)
        utc = now.astimezone(UTC)
        delta = utc - EPOCH  # days * 86400 + seconds is the floor: seconds are never negative
        day_of_week, day_of_year, week_number = _calendar(local.toordinal())
        dst, dst_from, dst_offset, dst_until, raw_offset, key, utc_offset = period.fields
        return {
            "abbreviation": period.abbreviation,
            "client_ip": client_ip,
            "datetime": _iso(local),
            "day_of_week": day_of_week,
            "day_of_year": day_of_year,
            "dst": dst,
            "dst_from": dst_from,
            "dst_offset": dst_offset,
            "dst_until": dst_until,
            "raw_offset": raw_offset,
            "timezone": key,
            "unixtime": delta.days * 86400 + delta.seconds,
            "utc_datetime": _iso(utc),
            "utc_offset": utc_offset,
            "week_number": week_number,
        }
